/**
 * Turns one event into the detail pane's bounded tree (protocol `JsonNode`) with field documentation attached,
 * and resolves paths for "copy value". Pure: no `vscode`, so it is unit-tested in plain Node.
 */
import { LosslessNumber, type JsonObject, type JsonValue } from '../core/records/types';
import { hoverPlain, type DocKind } from '../core/fields';
import { stringifyJson } from '../core/json';
import {
  DETAIL_MAX_DEPTH,
  DETAIL_MAX_ENTRIES,
  DETAIL_RAW_MAX_CHARS,
  DETAIL_STRING_MAX_CHARS,
  type JsonNode,
  type JsonPath,
} from '../protocol/protocol';

function isLossless(v: unknown): v is { text: string } {
  return LosslessNumber.is(v);
}

/** Field documentation as one plain-text tooltip: the same words as the JSON editor hover. */
export function docText(path: JsonPath, value: unknown, kind: DocKind): string | undefined {
  let h: ReturnType<typeof hoverPlain>;
  try {
    h = hoverPlain(path, isLossless(value) ? value.text : value, kind);
  } catch {
    return undefined;
  }
  if (!h) return undefined;
  return `${h.title}\n${h.body}${h.url ? `\n${h.url}` : ''}`;
}

export interface TreeOptions {
  kind: DocKind;
  /** Prefix of the documentation path (e.g. `['logFiles', 3]` for a digest entry). */
  docPrefix?: JsonPath;
}

/** Builds the display tree: strings cut, containers bounded, nesting capped; docs on documented paths. */
export function toJsonNode(value: JsonValue, opts: TreeOptions): JsonNode {
  const prefix = opts.docPrefix ?? [];
  const walk = (v: JsonValue, path: JsonPath, depth: number): JsonNode => {
    const doc = path.length ? docText([...prefix, ...path], v, opts.kind) : undefined;
    const withDoc = <T extends JsonNode>(n: T): T => (doc ? { ...n, doc } : n);
    if (v === null) return withDoc({ t: 'z', v: 'null' });
    switch (typeof v) {
      case 'string': {
        if (v.length <= DETAIL_STRING_MAX_CHARS) return withDoc({ t: 's', v });
        return withDoc({ t: 's', v: v.slice(0, DETAIL_STRING_MAX_CHARS), cut: v.length - DETAIL_STRING_MAX_CHARS });
      }
      case 'number':
        return withDoc({ t: 'n', v: Number.isFinite(v) ? String(v) : 'null' });
      case 'boolean':
        return withDoc({ t: 'b', v: String(v) });
    }
    if (isLossless(v)) return withDoc({ t: 'n', v: String(v.text) });
    if (depth >= DETAIL_MAX_DEPTH) return withDoc({ t: 'deep' });
    if (Array.isArray(v)) {
      const items = v.slice(0, DETAIL_MAX_ENTRIES).map((x, i) => walk(x, [...path, i], depth + 1));
      const more = v.length - items.length;
      return withDoc(more > 0 ? { t: 'a', items, more } : { t: 'a', items });
    }
    const keys = Object.keys(v);
    const entries: [string, JsonNode][] = [];
    for (const k of keys.slice(0, DETAIL_MAX_ENTRIES)) entries.push([k, walk((v as JsonObject)[k], [...path, k], depth + 1)]);
    const more = keys.length - entries.length;
    return withDoc(more > 0 ? { t: 'o', entries, more } : { t: 'o', entries });
  };
  return walk(value, [], 0);
}

/** The value at `path` (own properties only, so `__proto__` and friends are plain keys). */
export function valueAt(root: JsonValue, path: JsonPath): JsonValue | undefined {
  let cur: JsonValue | undefined = root;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object' || isLossless(cur)) return undefined;
    if (Array.isArray(cur)) {
      if (typeof seg !== 'number' || seg < 0 || seg >= cur.length) return undefined;
      cur = cur[seg];
    } else {
      const key = String(seg);
      if (!Object.prototype.hasOwnProperty.call(cur, key)) return undefined;
      cur = (cur as JsonObject)[key];
    }
  }
  return cur;
}

/** Clipboard text for a value: strings as they are, everything else as exact JSON. */
export function copyText(v: JsonValue): string {
  return typeof v === 'string' ? v : stringifyJson(v, 2);
}

/** Pretty JSON for the Raw tab, bounded. */
export function rawText(v: JsonValue): { raw: string; truncated: boolean } {
  const s = stringifyJson(v, 2);
  return s.length <= DETAIL_RAW_MAX_CHARS ? { raw: s, truncated: false } : { raw: s.slice(0, DETAIL_RAW_MAX_CHARS), truncated: true };
}

/** Checks that a path from the webview is a plain list of keys and indexes (and bounded). */
export function isJsonPath(p: unknown): p is JsonPath {
  return Array.isArray(p) && p.length <= 10_000 && p.every((s) => typeof s === 'string' || (typeof s === 'number' && Number.isInteger(s)));
}
