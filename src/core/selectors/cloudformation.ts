/**
 * CloudFormation templates (YAML through eemeli/yaml, which keeps CloudFormation's `!Ref`-style tags and every
 * node's offsets; JSON through jsonc-parser): finds `AWS::CloudTrail::Trail` and `AWS::CloudTrail::EventDataStore`
 * resources and turns their `AdvancedEventSelectors` / `EventSelectors` into {@link EmbeddedResource}s.
 *
 * Intrinsic functions are unknown values, except where they resolve to literals inside the same template:
 * `Ref` to a parameter with a literal Default, `Fn::FindInMap` with literal keys, `Fn::Sub` of a string whose
 * `${…}` are such parameters.
 */
import { parseDocument, isMap, isSeq, isScalar, type Node as YNode, type Pair } from 'yaml';
import { parseTree, type Node as JNode } from 'jsonc-parser';
import { nestingTooDeepAt, TREE_MAX_NESTING } from '../json/nesting';
import { LineIndex } from './document';
import { analyzeResource, completeResource, hoverResource, type EEntry, type EVal, type EmbeddedResource, type StringStyle } from './embedded';
import type { SelectorCompletion, SelectorHover } from './complete';
import { checkEventConfiguration, hoverEventConfiguration, EVENT_CONFIG_KEYS } from './eventConfig';
import type { SelectorDiagnostic, ValidateOptions } from './types';

/** A template node, whichever parser read it. */
type TNode =
  | { k: 'scalar'; value: unknown; start: number; end: number; style: StringStyle; contentStart?: number; contentEnd?: number; tag?: string; resolved?: boolean }
  | { k: 'seq'; items: TNode[]; start: number; end: number; tag?: string }
  | { k: 'map'; entries: { key: string; keyStart: number; keyEnd: number; value?: TNode }[]; start: number; end: number; tag?: string };

const TRAIL = 'AWS::CloudTrail::Trail';
const EDS = 'AWS::CloudTrail::EventDataStore';

/** Cheap content test: could this text be a template with CloudTrail resources? (A substring search.) */
export function mayHoldCloudFormationCloudTrail(text: string): boolean {
  return text.includes('AWS::CloudTrail::');
}

/** `shift`: where the parsed slice starts in `text` (slices are parsed alone, see {@link yamlRoot}). */
function fromYaml(n: YNode | null | undefined, text: string, shift = 0): TNode | undefined {
  if (!n) return undefined;
  let [start, , end] = (n.range ?? [0, 0, 0]).map((x) => x + shift);
  const tag = n.tag && n.tag.startsWith('!') && !n.tag.startsWith('!!') ? n.tag : undefined;
  if (tag) {
    // The node's range starts after its tag; let `!Ref Name` cover the tag too.
    const at = text.lastIndexOf(tag, start);
    if (at >= 0 && start - at <= tag.length + 16) start = at;
  }
  if (isScalar(n)) {
    const t = n.type;
    const style: StringStyle = t === 'QUOTE_SINGLE' ? 'yaml-single' : t === 'QUOTE_DOUBLE' ? 'yaml-double' : 'yaml-plain';
    const valueStart = n.range ? n.range[0] + shift : start;
    const valueEnd = n.range ? n.range[1] + shift : end;
    const quoted = t === 'QUOTE_SINGLE' || t === 'QUOTE_DOUBLE';
    const isBlock = t === 'BLOCK_FOLDED' || t === 'BLOCK_LITERAL';
    const out: TNode = { k: 'scalar', value: n.value, start, end: valueEnd, style, tag };
    if (!isBlock && !tag) {
      out.contentStart = quoted ? valueStart + 1 : valueStart;
      out.contentEnd = quoted ? valueEnd - 1 : valueEnd;
    }
    return out;
  }
  if (isSeq(n)) return { k: 'seq', items: n.items.map((i) => fromYaml(i as YNode, text, shift)).filter((i): i is TNode => !!i), start, end, tag };
  if (isMap(n)) {
    const entries: { key: string; keyStart: number; keyEnd: number; value?: TNode }[] = [];
    for (const p of n.items as Pair<YNode, YNode>[]) {
      const key = p.key as YNode | null;
      if (!key || !isScalar(key)) continue;
      entries.push({ key: String(key.value), keyStart: key.range ? key.range[0] + shift : start, keyEnd: key.range ? key.range[1] + shift : start, value: fromYaml(p.value, text, shift) });
    }
    return { k: 'map', entries, start, end, tag };
  }
  return undefined;
}

/** Start of the line holding `i`, and that line's indentation; lines that are blank or comments are skipped by callers. */
function lineStart(text: string, i: number): number {
  return text.lastIndexOf('\n', i - 1) + 1;
}
function indentAt(text: string, ls: number): number {
  let j = ls;
  while (text.charCodeAt(j) === 32) j++;
  const c = text.charCodeAt(j);
  // Blank and comment lines do not end a block.
  return c === 10 || c === 13 || c === 35 || j >= text.length ? -1 : j - ls;
}
function nextLine(text: string, ls: number): number {
  const nl = text.indexOf('\n', ls);
  return nl < 0 ? text.length : nl + 1;
}
/** The end of the block whose first line starts at `ls` with indentation `indent`. */
function blockEnd(text: string, ls: number, indent: number): number {
  let i = nextLine(text, ls);
  while (i < text.length) {
    const ind = indentAt(text, i);
    if (ind >= 0 && ind <= indent) return i;
    i = nextLine(text, i);
  }
  return text.length;
}

function parseSlice(text: string, start: number, end: number): TNode | undefined {
  const doc = parseDocument(text.slice(start, end), { strict: false, prettyErrors: false, uniqueKeys: false });
  if (doc.errors.length) return undefined;
  return fromYaml(doc.contents as YNode, text, start);
}

/**
 * A large template is mostly other resources, and parsing all of it costs far more than the CloudTrail parts.
 * For block-style templates only the blocks that matter are handed to the YAML parser: each resource whose
 * `Type` is a CloudTrail type (the block around the type), and the top-level Parameters and Mappings (for
 * intrinsic resolution). Anything unexpected falls back to parsing the whole text.
 */
function yamlRoot(text: string): { root?: TNode; error?: string } {
  const whole = () => {
    const doc = parseDocument(text, { strict: false, prettyErrors: false, uniqueKeys: false });
    return { root: fromYaml(doc.contents as YNode, text), error: doc.errors[0]?.message };
  };
  if (text.length < 16 * 1024) return whole();
  const top = new Map<string, { start: number; end: number }>();
  for (let i = 0; i < text.length; i = nextLine(text, i)) {
    if (indentAt(text, i) !== 0) continue;
    for (const key of ['Parameters:', 'Mappings:', 'Resources:']) {
      if (text.startsWith(key, i)) top.set(key, { start: i, end: blockEnd(text, i, 0) });
    }
  }
  const res = top.get('Resources:');
  if (!res) return whole();
  const entries: { key: string; keyStart: number; keyEnd: number; value?: TNode }[] = [];
  for (let at = text.indexOf('AWS::CloudTrail::', res.start); at >= 0 && at < res.end; at = text.indexOf('AWS::CloudTrail::', at + 1)) {
    const typeLine = lineStart(text, at);
    const typeIndent = indentAt(text, typeLine);
    if (typeIndent <= 0) return whole();
    let idLine = typeLine;
    do {
      if (idLine <= res.start) return whole();
      idLine = lineStart(text, idLine - 1);
    } while (indentAt(text, idLine) < 0 || indentAt(text, idLine) >= typeIndent);
    const end = blockEnd(text, idLine, indentAt(text, idLine));
    const node = parseSlice(text, idLine, end);
    if (node?.k !== 'map' || node.entries.length !== 1) return whole();
    if (!entries.some((e) => e.keyStart === node.entries[0].keyStart)) entries.push(node.entries[0]);
    at = Math.max(at, end - 1);
  }
  const rootEntries: { key: string; keyStart: number; keyEnd: number; value?: TNode }[] = [];
  for (const key of ['Parameters:', 'Mappings:']) {
    const r = top.get(key);
    if (!r) continue;
    const node = parseSlice(text, r.start, r.end);
    if (node?.k !== 'map') return whole();
    rootEntries.push(...node.entries);
  }
  rootEntries.push({ key: 'Resources', keyStart: res.start, keyEnd: res.start + 9, value: { k: 'map', entries, start: res.start, end: res.end } });
  return { root: { k: 'map', entries: rootEntries, start: 0, end: text.length } };
}

function fromJson(n: JNode | undefined): TNode | undefined {
  if (!n) return undefined;
  const start = n.offset;
  const end = n.offset + n.length;
  if (n.type === 'object') {
    const entries: { key: string; keyStart: number; keyEnd: number; value?: TNode }[] = [];
    for (const p of n.children ?? []) {
      const kn = p.children?.[0];
      if (!kn || typeof kn.value !== 'string') continue;
      entries.push({ key: kn.value, keyStart: kn.offset, keyEnd: kn.offset + kn.length, value: fromJson(p.children?.[1]) });
    }
    return { k: 'map', entries, start, end };
  }
  if (n.type === 'array') return { k: 'seq', items: (n.children ?? []).map(fromJson).filter((i): i is TNode => !!i), start, end };
  return { k: 'scalar', value: n.value, start, end, style: 'json', contentStart: n.type === 'string' ? start + 1 : undefined, contentEnd: n.type === 'string' ? end - 1 : undefined };
}

function get(n: TNode | undefined, key: string): TNode | undefined {
  return n?.k === 'map' ? n.entries.find((e) => e.key === key)?.value : undefined;
}
function entry(n: TNode | undefined, key: string) {
  return n?.k === 'map' ? n.entries.find((e) => e.key === key) : undefined;
}

/** Intrinsic function name of a node (`Ref`, `Fn::Sub`, …), short or long form. */
function intrinsic(n: TNode): { fn: string; arg: TNode | undefined } | undefined {
  if (n.tag) {
    const name = n.tag.slice(1);
    const fn = name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
    const arg: TNode = n.k === 'scalar' ? { ...n, tag: undefined } : n.k === 'seq' ? { ...n, tag: undefined } : { ...n, tag: undefined };
    return { fn, arg };
  }
  if (n.k === 'map' && n.entries.length === 1) {
    const k = n.entries[0].key;
    if (k === 'Ref' || k === 'Condition' || k.startsWith('Fn::')) return { fn: k, arg: n.entries[0].value };
  }
  return undefined;
}

class Resolver {
  constructor(private readonly root: TNode | undefined) {}

  private parameterDefault(name: string): TNode | undefined {
    const p = get(get(this.root, 'Parameters'), name);
    const def = get(p, 'Default');
    if (!def || def.k !== 'scalar' || def.tag) return undefined;
    const type = get(p, 'Type');
    const typeName = type?.k === 'scalar' ? String(type.value) : 'String';
    if (/^(CommaDelimitedList|List<)/.test(typeName) && typeof def.value === 'string') {
      return { k: 'seq', start: def.start, end: def.end, items: def.value.split(',').map((s) => ({ k: 'scalar', value: s.trim(), start: def.start, end: def.end, style: 'json' as StringStyle })) };
    }
    return def;
  }

  /** A literal node for an intrinsic that resolves inside the template, else undefined. */
  resolve(n: TNode, depth = 0): TNode | undefined {
    const f = intrinsic(n);
    if (!f || depth > 8) return f ? undefined : n;
    const at = (r: TNode | undefined): TNode | undefined => {
      if (!r) return undefined;
      // The value comes from elsewhere: report at the intrinsic, never edit it in place.
      const lit = this.resolve(r, depth + 1);
      if (!lit) return undefined;
      return relocate(lit, n.start, n.end);
    };
    if (f.fn === 'Ref' && f.arg?.k === 'scalar' && typeof f.arg.value === 'string') return at(this.parameterDefault(f.arg.value));
    if (f.fn === 'Fn::FindInMap' && f.arg?.k === 'seq' && f.arg.items.length >= 3) {
      const keys = f.arg.items.slice(0, 3).map((k) => (k.k === 'scalar' ? k : this.resolve(k, depth + 1)));
      if (keys.some((k) => !k || k.k !== 'scalar' || typeof k.value !== 'string')) return undefined;
      const [m, a, b] = keys.map((k) => String((k as { value: unknown }).value));
      return at(get(get(get(get(this.root, 'Mappings'), m), a), b));
    }
    if (f.fn === 'Fn::Sub' && f.arg?.k === 'scalar' && typeof f.arg.value === 'string') {
      let ok = true;
      const value = f.arg.value.replace(/\$\{([^}!]*)\}/g, (_m, name: string) => {
        const d = this.parameterDefault(name.trim());
        if (d?.k === 'scalar' && (typeof d.value === 'string' || typeof d.value === 'number')) return String(d.value);
        ok = false;
        return '';
      });
      return ok ? { k: 'scalar', value: value.replace(/\$\{!/g, '${'), start: n.start, end: n.end, style: 'json', resolved: true } : undefined;
    }
    return undefined;
  }
}

/** A value resolved from elsewhere in the template, reported at the intrinsic that names it (and never edited there). */
function relocate(n: TNode, start: number, end: number): TNode {
  if (n.k === 'scalar') return { k: 'scalar', value: n.value, start, end, style: n.style, resolved: true };
  if (n.k === 'seq') return { k: 'seq', items: n.items.map((i) => relocate(i, start, end)), start, end };
  return { k: 'map', entries: n.entries.map((e) => ({ ...e, keyStart: start, keyEnd: end, value: e.value && relocate(e.value, start, end) })), start, end };
}

function toEVal(n: TNode | undefined, resolver: Resolver, at: number): EVal {
  if (!n) return { t: 'scalar', value: null, start: at, end: at };
  if (intrinsic(n)) {
    const r = resolver.resolve(n);
    if (!r) return { t: 'unknown', start: n.start, end: n.end, why: 'intrinsic function' };
    n = r;
  }
  if (n.k === 'scalar') {
    if (typeof n.value === 'string') {
      return { t: 'str', value: n.value, start: n.start, end: n.end, style: n.style, contentStart: n.contentStart, contentEnd: n.contentEnd, resolved: n.resolved };
    }
    if (typeof n.value === 'number' || typeof n.value === 'boolean' || n.value === null) return { t: 'scalar', value: n.value, start: n.start, end: n.end };
    return { t: 'str', value: String(n.value), start: n.start, end: n.end, style: n.style };
  }
  if (n.k === 'seq') return { t: 'list', items: n.items.map((i) => toEVal(i, resolver, i.start)), start: n.start, end: n.end };
  return {
    t: 'map', start: n.start, end: n.end,
    entries: n.entries.map((e) => ({ key: e.key, keyStart: e.keyStart, keyEnd: e.keyEnd, value: toEVal(e.value, resolver, e.keyEnd) })),
  };
}

function literalString(n: TNode | undefined, resolver: Resolver): string | undefined {
  if (!n) return undefined;
  const r = intrinsic(n) ? resolver.resolve(n) : n;
  return r?.k === 'scalar' && typeof r.value === 'string' ? r.value : undefined;
}

export interface CloudFormationTemplate {
  resources: EmbeddedResource[];
  /** Why nothing could be read (syntax error), if so. */
  error?: string;
}

/** Reads a YAML or JSON template. `json` picks the parser; by default a text starting with `{` is JSON. */
export function readCloudFormation(text: string, json = /^\s*\{/.test(text)): CloudFormationTemplate {
  if (!mayHoldCloudFormationCloudTrail(text)) return { resources: [] };
  let root: TNode | undefined;
  let error: string | undefined;
  if (json) {
    // jsonc-parser's parseTree recurses: a hostile depth would overflow the call stack.
    const deep = nestingTooDeepAt(text, TREE_MAX_NESTING);
    if (deep >= 0) return { resources: [], error: `Nesting too deep: objects and arrays are nested more than ${TREE_MAX_NESTING} levels (at offset ${deep}); the template was not read.` };
    root = fromJson(parseTree(text, [], { allowTrailingComma: true, disallowComments: false }));
  } else {
    ({ root, error } = yamlRoot(text));
  }
  const resolver = new Resolver(root);
  const resources: EmbeddedResource[] = [];
  const res = get(root, 'Resources');
  if (res?.k !== 'map') return { resources, error };
  for (const r of res.entries) {
    const type = literalString(get(r.value, 'Type'), resolver);
    if (type !== TRAIL && type !== EDS) continue;
    const props = get(r.value, 'Properties');
    const out: EmbeddedResource = {
      format: 'cloudformation', name: r.key, type, target: type === TRAIL ? 'trail' : 'event-data-store',
      nameStart: r.keyStart, nameEnd: r.keyEnd, start: r.value?.start ?? r.keyStart, end: r.value?.end ?? r.keyEnd,
    };
    const adv = entry(props, 'AdvancedEventSelectors');
    if (adv) out.advanced = toEntry(adv, resolver);
    const basic = entry(props, 'EventSelectors');
    if (basic && type === TRAIL) out.basic = toEntry(basic, resolver);
    // PutEventConfiguration settings, where the template sets them.
    const extra = EVENT_CONFIG_KEYS.map((k) => entry(props, k)).filter((e): e is NonNullable<typeof e> => !!e).map((e) => toEntry(e, resolver));
    if (extra.length) out.extra = extra;
    if (type === TRAIL) {
      out.logBucket = literalString(get(props, 'S3BucketName'), resolver);
      out.logPrefix = literalString(get(props, 'S3KeyPrefix'), resolver);
    }
    resources.push(out);
  }
  return { resources, error };
}

function toEntry(e: { key: string; keyStart: number; keyEnd: number; value?: TNode }, resolver: Resolver): EEntry {
  return { key: e.key, keyStart: e.keyStart, keyEnd: e.keyEnd, value: toEVal(e.value, resolver, e.keyEnd) };
}

export function validateCloudFormation(text: string, options: ValidateOptions & { json?: boolean } = {}): SelectorDiagnostic[] {
  const t = readCloudFormation(text, options.json);
  if (!t.resources.length) return [];
  const lines = new LineIndex(text);
  return t.resources.flatMap((r) => [
    ...(r.advanced || r.basic ? analyzeResource(text, r, lines, options).diagnostics : []),
    ...checkEventConfiguration(r, lines),
  ]);
}

function resourceAt(t: CloudFormationTemplate, offset: number): EmbeddedResource | undefined {
  return t.resources.find((r) => r.start <= offset && offset <= r.end);
}

export function completeCloudFormation(text: string, offset: number, options: ValidateOptions & { json?: boolean } = {}): SelectorCompletion[] {
  const r = resourceAt(readCloudFormation(text, options.json), offset);
  return r ? completeResource(text, r, offset, options) : [];
}

export function hoverCloudFormation(text: string, offset: number, options: ValidateOptions & { json?: boolean } = {}): SelectorHover | undefined {
  const r = resourceAt(readCloudFormation(text, options.json), offset);
  return r ? hoverEventConfiguration(r, offset) ?? hoverResource(text, r, offset, options) : undefined;
}
