/**
 * Finds which documented field a text offset points at: the JSON token under the cursor, its JSON path in the
 * file, and that path with the container prefix removed (`Records[i]`, a root array `[i]`, a JSON Lines line,
 * `Events[i]` of lookup-events output, or the top level of a digest file).
 */
import { createScanner, findNodeAtOffset, getNodePath, parseTree, SyntaxKind, type Node } from 'jsonc-parser';
import type { FileKind } from '../records/types';
import { nestingTooDeepAt, TREE_MAX_NESTING } from '../json/nesting';
import { LOOKUP_DOCS, type DocKind } from './docs';

export type Primitive = string | number | boolean | null;

export interface PathAt {
  /** Which documentation table `path` belongs to. */
  docKind: DocKind;
  /** Path inside one event (or digest / lookup wrapper / container); array indices kept. */
  path: (string | number)[];
  /** Path from the root of the JSON text that holds the token (for JSON Lines: the line). */
  fullPath: (string | number)[];
  /** True when the token is a property key, false for a value. */
  isKey: boolean;
  /** Start of the token (its quotes included) as an offset in the whole text. */
  offset: number;
  /** Length of the token. */
  length: number;
  /** The property's value when it is a primitive (also when hovering the key, if known). */
  value?: Primitive;
}

const LOOKUP_WRAPPER_KEYS = new Set(LOOKUP_DOCS.map((d) => d.segments[0]));

/** Above this size a hover scans the text instead of building (and keeping) a syntax tree. */
export const TREE_SIZE_LIMIT = 8 * 1024 * 1024;

interface Token {
  fullPath: (string | number)[];
  isKey: boolean;
  offset: number;
  length: number;
  value?: Primitive;
}

function isLeaf(node: Node): boolean {
  return node.type === 'string' || node.type === 'number' || node.type === 'boolean' || node.type === 'null';
}

function tokenFromTree(root: Node, offset: number): Token | undefined {
  const node = findNodeAtOffset(root, offset, false);
  if (!node || !isLeaf(node)) return undefined;
  const parent = node.parent;
  const isKey = parent?.type === 'property' && parent.children?.[0] === node;
  let value: Primitive | undefined;
  if (isKey) {
    const v = parent?.children?.[1];
    if (v && isLeaf(v)) value = v.value as Primitive;
  } else {
    value = node.value as Primitive;
  }
  const token: Token = { fullPath: getNodePath(node), isKey, offset: node.offset, length: node.length };
  if (value !== undefined) token.value = value;
  return token;
}

interface ScanFrame {
  array: boolean;
  /** Current key (objects) or index (arrays). */
  at: string | number | undefined;
  expectKey: boolean;
}

/**
 * Streaming variant for big or deeply nested texts: no tree, and a key's value is not known. Iterative (an
 * explicit stack over jsonc-parser's scanner), so no nesting depth can overflow the call stack, and it stops at
 * the token under `offset`.
 */
function tokenFromScan(text: string, offset: number): Token | undefined {
  const scanner = createScanner(text, true);
  const stack: ScanFrame[] = [];
  const pathOf = (frames: ScanFrame[]) => frames.map((f) => f.at as string | number);
  for (;;) {
    const kind = scanner.scan();
    if (kind === SyntaxKind.EOF) return undefined;
    const start = scanner.getTokenOffset();
    const length = scanner.getTokenLength();
    if (start > offset) return undefined;
    const top = stack[stack.length - 1];
    switch (kind) {
      case SyntaxKind.OpenBraceToken:
      case SyntaxKind.OpenBracketToken:
        if (top && !top.array) top.expectKey = false;
        stack.push({ array: kind === SyntaxKind.OpenBracketToken, at: kind === SyntaxKind.OpenBracketToken ? 0 : undefined, expectKey: kind === SyntaxKind.OpenBraceToken });
        break;
      case SyntaxKind.CloseBraceToken:
      case SyntaxKind.CloseBracketToken:
        stack.pop();
        break;
      case SyntaxKind.CommaToken:
        if (top?.array) top.at = (top.at as number) + 1;
        else if (top) top.expectKey = true;
        break;
      case SyntaxKind.ColonToken:
        if (top && !top.array) top.expectKey = false;
        break;
      case SyntaxKind.StringLiteral:
      case SyntaxKind.NumericLiteral:
      case SyntaxKind.TrueKeyword:
      case SyntaxKind.FalseKeyword:
      case SyntaxKind.NullKeyword: {
        const isKey = !!top && !top.array && top.expectKey && kind === SyntaxKind.StringLiteral;
        const hit = offset >= start && offset < start + length;
        if (isKey) {
          top.at = scanner.getTokenValue();
          top.expectKey = false;
          if (hit) return { fullPath: pathOf(stack), isKey: true, offset: start, length };
        } else if (hit) {
          const raw = scanner.getTokenValue();
          const value: Primitive =
            kind === SyntaxKind.StringLiteral ? raw : kind === SyntaxKind.NumericLiteral ? Number(raw) : kind === SyntaxKind.NullKeyword ? null : kind === SyntaxKind.TrueKeyword;
          return { fullPath: pathOf(stack), isKey: false, offset: start, length, value };
        }
        break;
      }
    }
  }
}

/** The API's Event wrapper uses PascalCase keys; records shown inline use the record's camelCase names. */
function wrapperOrEvent(rest: readonly (string | number)[]): DocKind {
  return typeof rest[0] === 'string' && LOOKUP_WRAPPER_KEYS.has(rest[0]) ? 'lookup' : 'event';
}

/** Removes the container prefix from a JSON path according to the file's kind. */
export function stripContainer(
  fullPath: readonly (string | number)[],
  kind: FileKind,
): { docKind: DocKind; path: (string | number)[] } | undefined {
  if (fullPath.length === 0 || kind === 'unknown') return undefined;
  const [first, second] = fullPath;
  if (kind === 'digest') return { docKind: 'digest', path: [...fullPath] };
  if (kind === 'eventbridge') {
    // EventBridge events (one, an array of them, or one per line): the CloudTrail record is under `detail`.
    const rest = typeof first === 'number' ? fullPath.slice(1) : [...fullPath];
    return rest[0] === 'detail' && rest.length > 1 ? { docKind: 'event', path: rest.slice(1) } : undefined;
  }
  if (first === 'Records' && kind !== 'lookup-events' && kind !== 'array') {
    if (fullPath.length === 1) return { docKind: 'container', path: ['Records'] };
    return typeof second === 'number' && fullPath.length > 2 ? { docKind: 'event', path: fullPath.slice(2) } : undefined;
  }
  if ((first === 'Events' || first === 'NextToken') && (kind === 'lookup-events' || kind === 'console-export')) {
    if (fullPath.length === 1) return { docKind: 'container', path: [first] };
    if (first !== 'Events' || typeof second !== 'number' || fullPath.length < 3) return undefined;
    const rest = fullPath.slice(2);
    return { docKind: wrapperOrEvent(rest), path: rest };
  }
  if (kind === 'log' || kind === 'lookup-events') return undefined;
  if (typeof first === 'number') {
    // A root array of records, or (console export) of Event-history wrappers.
    if (fullPath.length < 2) return undefined;
    const rest = fullPath.slice(1);
    return { docKind: kind === 'console-export' ? wrapperOrEvent(rest) : 'event', path: rest };
  }
  if (kind === 'array') return undefined;
  // Single event, one JSON Lines line, legacy IoT or console export of one event: the root object is the event.
  return { docKind: 'event', path: [...fullPath] };
}

function findToken(
  text: string,
  offset: number,
  kind: FileKind,
  tree: Node | null | undefined,
): { token: Token | undefined; base: number } {
  if (kind === 'jsonl') return tokenInLine(text, offset);
  const root = tree ?? (tree === null || text.length > TREE_SIZE_LIMIT ? undefined : treeOf(text));
  if (!root) return { token: tokenFromScan(text, offset), base: 0 };
  if (offset >= root.offset + root.length && (kind === 'event' || kind === 'legacy-iot' || kind === 'eventbridge')) {
    // More values follow the first object: the file is really JSON Lines (a kind guessed from the file's start
    // cannot always tell), so read the line.
    return tokenInLine(text, offset);
  }
  return { token: tokenFromTree(root, offset), base: 0 };
}

function tokenInLine(text: string, offset: number): { token: Token | undefined; base: number } {
  const base = text.lastIndexOf('\n', offset - 1) + 1;
  let end = text.indexOf('\n', offset);
  if (end < 0) end = text.length;
  const line = text.slice(base, end);
  const root = treeOf(line);
  if (!root) return { token: tokenFromScan(line, offset - base), base };
  return { token: tokenFromTree(root, offset - base), base };
}

/**
 * jsonc-parser's syntax tree of a user's document, or undefined when the document nests deeper than
 * {@link TREE_MAX_NESTING} levels: its recursive parser would exhaust the call stack (near 10,000 levels), so such
 * a document is read with the scanner instead (`getLocation`, which does not recurse).
 */
export function treeOf(text: string): Node | undefined {
  return nestingTooDeepAt(text, TREE_MAX_NESTING) >= 0 ? undefined : parseTree(text);
}

/**
 * The field under `offset` in `text`, for a file whose kind the record core detected. For JSON Lines only the
 * line holding the offset is parsed. `tree` may pass a cached `parseTree(text)` result (ignored for JSON Lines);
 * `null` forces a streaming scan (used for very large texts).
 */
export function eventPathAt(text: string, offset: number, kind: FileKind, tree?: Node | null): PathAt | undefined {
  if (kind === 'unknown' || offset < 0 || offset > text.length) return undefined;
  let token: Token | undefined;
  let base = 0;
  try {
    ({ token, base } = findToken(text, offset, kind, tree));
  } catch {
    // Pathologically deep nesting can exhaust the stack in the recursive tree helpers: no hover then.
    return undefined;
  }
  if (!token) return undefined;
  const stripped = stripContainer(token.fullPath, kind);
  if (!stripped) return undefined;
  const out: PathAt = {
    docKind: stripped.docKind,
    path: stripped.path,
    fullPath: token.fullPath,
    isKey: token.isKey,
    offset: base + token.offset,
    length: token.length,
  };
  if (token.value !== undefined) out.value = token.value;
  return out;
}
