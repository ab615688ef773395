/**
 * Look-ups over the documentation tables: field docs by JSON path, meaning of values, and the text shown in
 * hovers (Markdown) and webviews (plain). Nothing here echoes event data except values that matched a
 * documented value exactly, so hostile strings in a file never reach the rendered Markdown.
 */
import {
  CONTAINER_DOCS,
  DIGEST_DOCS,
  EVENT_ALIASES,
  EVENT_DOCS,
  LOOKUP_DOCS,
  pantherDoc,
  type DocEntry,
  type DocKind,
  type FieldDoc,
} from './docs';
import { LosslessNumber } from '../records/types';

export type FieldPath = readonly (string | number)[];

const SEP = '\u0000';

interface Table {
  exact: Map<string, DocEntry>;
  folded: Map<string, DocEntry>;
}

function buildTable(entries: readonly DocEntry[]): Table {
  const exact = new Map<string, DocEntry>();
  const folded = new Map<string, DocEntry>();
  for (const e of entries) {
    const key = e.segments.join(SEP);
    if (exact.has(key)) throw new Error(`duplicate field doc ${e.path}`);
    exact.set(key, e);
    // First entry wins if two documented paths differ only in case (none do today).
    if (!folded.has(key.toLowerCase())) folded.set(key.toLowerCase(), e);
  }
  return { exact, folded };
}

const TABLES: Record<DocKind, Table> = {
  event: buildTable(EVENT_DOCS),
  digest: buildTable(DIGEST_DOCS),
  lookup: buildTable(LOOKUP_DOCS),
  container: buildTable(CONTAINER_DOCS),
};

/** Object keys of a path; array indices carry no meaning for documentation. */
function keysOf(path: FieldPath): string[] {
  return path.filter((p): p is string => typeof p === 'string');
}

function findEntry(keys: string[], kind: DocKind): { entry: DocEntry; aliasNote?: string } | undefined {
  if (keys.length === 0) return undefined;
  const table = TABLES[kind];
  const key = keys.join(SEP);
  const exact = table.exact.get(key);
  if (exact) return { entry: exact };
  if (kind === 'event') {
    if (keys[0].startsWith('p_')) return keys.length === 1 ? { entry: pantherDoc(keys[0]) } : undefined;
    const lower = key.toLowerCase();
    const alias = Object.prototype.hasOwnProperty.call(EVENT_ALIASES, lower) ? EVENT_ALIASES[lower] : undefined;
    if (alias) {
      const target = table.exact.get(alias.target.join(SEP));
      if (target) return { entry: target, aliasNote: alias.note };
    }
  }
  // Lower-case (CloudTrail Lake / Athena exports) and PascalCase (legacy IoT) spellings.
  const folded = table.folded.get(key.toLowerCase());
  return folded ? { entry: folded } : undefined;
}

/** Strips look-up internals so callers get a plain, immutable-looking FieldDoc. */
function publicDoc(entry: DocEntry, extraNote?: string): FieldDoc {
  const out: FieldDoc = { path: entry.path, title: entry.title, type: entry.type, summary: entry.summary };
  if (entry.since) out.since = entry.since;
  if (entry.url) out.url = entry.url;
  if (entry.values) out.values = { ...entry.values };
  const notes = [...(extraNote ? [extraNote] : []), ...(entry.notes ?? [])];
  if (notes.length) out.notes = notes;
  if (entry.freeForm) out.freeForm = true;
  return out;
}

/**
 * Documentation of the field at `path` inside one event (e.g. `['userIdentity','sessionContext','sessionIssuer','arn']`
 * or `['resources', 0, 'ARN']`). Array indices are ignored. The exact spelling is tried first, then known
 * misspellings, then a case-insensitive match. `kind` selects another table: `'digest'` for digest files,
 * `'lookup'` for lookup-events `Events[]` wrappers, `'container'` for `Records`/`Events`/`NextToken`.
 */
export function lookupField(path: FieldPath, kind: DocKind = 'event'): FieldDoc | undefined {
  const found = findEntry(keysOf(path), kind);
  return found ? publicDoc(found.entry, found.aliasNote) : undefined;
}

/** Documentation of a digest-file field; same as `lookupField(path, 'digest')`. */
export function lookupDigestField(path: FieldPath): FieldDoc | undefined {
  return lookupField(path, 'digest');
}

/**
 * True when `path` lies inside an object whose content is service-specific (requestParameters, responseElements,
 * additionalEventData, serviceEventDetails, eventContext, edgeDeviceDetails, federation attributes, Panther
 * enrichment…), where undocumented keys are expected.
 */
export function isFreeFormPath(path: FieldPath, kind: DocKind = 'event'): boolean {
  const keys = keysOf(path);
  for (let i = 1; i < keys.length; i++) {
    const found = findEntry(keys.slice(0, i), kind);
    if (found?.entry.freeForm) return true;
  }
  return false;
}

function valueText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  // LosslessNumber and similar wrappers keep their source text.
  if (LosslessNumber.is(value)) return value.text;
  return undefined;
}

interface ValueMeaning {
  /** The value, only set when it is one of the documented values (safe to echo). */
  known?: string;
  text: string;
}

function valueMeaning(entry: DocEntry, value: unknown): ValueMeaning | undefined {
  const text = valueText(value);
  if (text === undefined) return undefined;
  const values = entry.values;
  if (values && Object.prototype.hasOwnProperty.call(values, text)) return { known: text, text: values[text] };
  const hint = entry.hint?.(text);
  return hint ? { text: hint } : undefined;
}

/** What a value of the field at `path` means, e.g. the meaning of `userIdentity.type` `"AssumedRole"`. */
export function describeValue(path: FieldPath, value: unknown, kind: DocKind = 'event'): string | undefined {
  const found = findEntry(keysOf(path), kind);
  return found ? valueMeaning(found.entry, value)?.text : undefined;
}

/**
 * Markdown for a hover: title, path, type, version, summary, the value's meaning (when known) and a link.
 * Untrusted content is never interpolated; only our own text and documented values are.
 */
export function hoverMarkdown(path: FieldPath, value?: unknown, kind: DocKind = 'event'): string | undefined {
  const found = findEntry(keysOf(path), kind);
  if (!found) return undefined;
  const { entry, aliasNote } = found;
  const parts: string[] = [];
  parts.push(`**${entry.title}** \`${entry.path}\``);
  parts.push(`*${entry.type}*${entry.since ? ` · since eventVersion ${entry.since}` : ''}`);
  parts.push(entry.summary);
  const meaning = value === undefined ? undefined : valueMeaning(entry, value);
  if (meaning) parts.push(meaning.known !== undefined ? `\`${meaning.known}\`: ${meaning.text}` : meaning.text);
  const notes = [...(aliasNote ? [aliasNote] : []), ...(entry.notes ?? [])];
  if (notes.length) parts.push(notes.map((n) => `- ${n}`).join('\n'));
  if (entry.url) parts.push(`[AWS documentation](${entry.url})`);
  return parts.join('\n\n');
}

/** Markdown code marks removed, for places that render plain text (webviews set it with textContent). */
function plain(s: string): string {
  return s.replace(/`/g, '');
}

/** The same information as {@link hoverMarkdown}, as plain text for webviews. */
export function hoverPlain(
  path: FieldPath,
  value?: unknown,
  kind: DocKind = 'event',
): { title: string; body: string; url?: string } | undefined {
  const found = findEntry(keysOf(path), kind);
  if (!found) return undefined;
  const { entry, aliasNote } = found;
  const lines: string[] = [];
  lines.push(`${entry.type}${entry.since ? ` · since eventVersion ${entry.since}` : ''}`);
  lines.push(plain(entry.summary));
  const meaning = value === undefined ? undefined : valueMeaning(entry, value);
  if (meaning) lines.push(plain(meaning.known !== undefined ? `${meaning.known}: ${meaning.text}` : meaning.text));
  for (const n of [...(aliasNote ? [aliasNote] : []), ...(entry.notes ?? [])]) lines.push(`• ${plain(n)}`);
  const out: { title: string; body: string; url?: string } = { title: `${entry.title} (${entry.path})`, body: lines.join('\n') };
  if (entry.url) out.url = entry.url;
  return out;
}

/** Every documented entry of a table (for tests and for listing fields in UIs). */
export function allFieldDocs(kind: DocKind = 'event'): FieldDoc[] {
  const source = { event: EVENT_DOCS, digest: DIGEST_DOCS, lookup: LOOKUP_DOCS, container: CONTAINER_DOCS }[kind];
  return source.map((e) => publicDoc(e));
}
