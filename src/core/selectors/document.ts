/**
 * Finds selectors inside a JSON document and keeps the jsonc-parser nodes so every diagnostic, completion
 * and hover can point at exact ranges. Detection is by content: a file is a selector document when its
 * shape says so, or when it is named `*.selectors.json` (then even an empty file counts).
 */
import { createScanner, parseTree, findNodeAtOffset, type Node, type ParseError } from 'jsonc-parser';
import { closestName, type Target } from './catalogue';

export type SelectorDocumentKind =
  /** A root array of advanced selectors (`--advanced-event-selectors file://…`). */
  | 'advanced-array'
  /** A root array of basic selectors (`--event-selectors file://…`). */
  | 'basic-array'
  /** An object with `AdvancedEventSelectors` and/or `EventSelectors` (API input or get-event-selectors output). */
  | 'object'
  /** A `*.selectors.json` file that is empty or not (yet) one of the shapes above. */
  | 'empty';

export interface DetectedDocument {
  kind: SelectorDocumentKind;
  /** Target named by the document itself, if it says (TrailName → trail, CreateEventDataStore keys → event data store). */
  target?: Target;
}

export const SELECTORS_FILE_SUFFIX = '.selectors.json';

/** Keys that only CreateEventDataStore/UpdateEventDataStore (or their output) carry. */
const EDS_KEYS = [
  'RetentionPeriod', 'EventDataStore', 'EventDataStoreArn', 'TerminationProtectionEnabled', 'BillingMode',
  'FederationEnabled', 'FederationRoleArn', 'StartIngestion', 'OrganizationEnabled',
];
const TRAIL_KEYS = ['TrailName', 'TrailARN', 'TrailArn'];
const BASIC_KEYS = ['readwritetype', 'includemanagementevents', 'dataresources', 'excludemanagementeventsources'];

export interface OperatorEntry {
  /** The operator as written (may be misspelt; see `canonical`). */
  key: string;
  /** The operator it stands for, when recognised (exact or via {@link closestName}). */
  canonical?: string;
  keyNode: Node;
  valueNode?: Node;
  values: { value: unknown; node: Node }[];
}

export interface FieldSelectorEntry {
  node: Node;
  index: number;
  /** The `Field` property's value node (any JSON type). */
  fieldNode?: Node;
  fieldKeyNode?: Node;
  /** The field name when it is a string. */
  field?: string;
  operators: OperatorEntry[];
  /** Other keys (not Field, not an operator). */
  otherKeys: { key: string; keyNode: Node; canonical?: string }[];
}

export interface AdvancedSelectorEntry {
  node: Node;
  index: number;
  nameNode?: Node;
  fieldSelectorsKeyNode?: Node;
  fieldSelectorsNode?: Node;
  fieldSelectors: FieldSelectorEntry[];
  otherKeys: { key: string; keyNode: Node; canonical?: string }[];
  /** Values of the eventCategory Equals operators. */
  categories: string[];
}

export interface SelectorDocument {
  text: string;
  root?: Node;
  syntaxErrors: ParseError[];
  /** Comments, trailing commas and over-deep nesting (see {@link scanLeniency}). */
  leniency: Leniency;
  detected?: DetectedDocument;
  /** The array node of advanced selectors, and the property key node naming it (object form). */
  advancedArray?: Node;
  advancedKey?: Node;
  basicArray?: Node;
  basicKey?: Node;
  advanced: AdvancedSelectorEntry[];
  /** Root object property helpers. */
  rootProps: Map<string, { keyNode: Node; valueNode?: Node }>;
}

/**
 * Deepest nesting of objects/arrays read. Real selector documents are 5 levels deep (object → list →
 * selector → FieldSelectors → field selector → operator list); the parser recurses per level, so a
 * 100,000-deep document would overflow the stack.
 */
export const MAX_NESTING = 64;

/** What strict JSON (the AWS CLI's `file://`, the API) rejects but the lenient parser reads. */
export interface Leniency {
  /** `// …` and `/* … *\/` comments. */
  comments: { offset: number; length: number; line: boolean }[];
  /** A `,` right before `]` or `}`. */
  trailingCommas: number[];
  /** Offset of the `[`/`{` that went past {@link MAX_NESTING}; the document is then not parsed. */
  tooDeepAt?: number;
}

// jsonc-parser's SyntaxKind is a const enum in its typings, which the bundler cannot inline.
const T_OPEN_BRACE = 1, T_CLOSE_BRACE = 2, T_OPEN_BRACKET = 3, T_CLOSE_BRACKET = 4, T_COMMA = 5;
const T_LINE_COMMENT = 12, T_BLOCK_COMMENT = 13, T_LINE_BREAK = 14, T_TRIVIA = 15, T_EOF = 17;

/** One linear, non-recursive pass over the tokens: comments, trailing commas and the nesting depth. */
export function scanLeniency(text: string): Leniency {
  const out: Leniency = { comments: [], trailingCommas: [] };
  const scanner = createScanner(text, false);
  let depth = 0;
  let pendingComma = -1;
  for (let t = scanner.scan(); t !== T_EOF; t = scanner.scan()) {
    if (t === T_LINE_BREAK || t === T_TRIVIA) continue;
    if (t === T_LINE_COMMENT || t === T_BLOCK_COMMENT) {
      out.comments.push({ offset: scanner.getTokenOffset(), length: scanner.getTokenLength(), line: t === T_LINE_COMMENT });
      continue;
    }
    if ((t === T_CLOSE_BRACE || t === T_CLOSE_BRACKET) && pendingComma >= 0) out.trailingCommas.push(pendingComma);
    pendingComma = t === T_COMMA ? scanner.getTokenOffset() : -1;
    if (t === T_OPEN_BRACE || t === T_OPEN_BRACKET) {
      if (++depth > MAX_NESTING && out.tooDeepAt === undefined) {
        out.tooDeepAt = scanner.getTokenOffset();
        break;
      }
    } else if (t === T_CLOSE_BRACE || t === T_CLOSE_BRACKET) depth = Math.max(0, depth - 1);
  }
  return out;
}

export function parseJson(text: string): { root?: Node; errors: ParseError[]; leniency: Leniency } {
  const errors: ParseError[] = [];
  const leniency = scanLeniency(text);
  // Too deep for the recursive parser: nothing is read (the validator reports where the limit was passed).
  if (leniency.tooDeepAt !== undefined) return { root: undefined, errors, leniency };
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  return { root, errors, leniency };
}

export function propertyEntries(obj: Node): { key: string; keyNode: Node; valueNode?: Node }[] {
  const out: { key: string; keyNode: Node; valueNode?: Node }[] = [];
  if (obj.type !== 'object') return out;
  for (const p of obj.children ?? []) {
    const keyNode = p.children?.[0];
    if (!keyNode || typeof keyNode.value !== 'string') continue;
    out.push({ key: keyNode.value, keyNode, valueNode: p.children?.[1] });
  }
  return out;
}

function looksAdvancedElement(n: Node): boolean {
  return propertyEntries(n).some((e) => e.key.toLowerCase() === 'fieldselectors');
}
function looksBasicElement(n: Node): boolean {
  return propertyEntries(n).some((e) => BASIC_KEYS.includes(e.key.toLowerCase()));
}

/** Classifies a parsed root. `fileName` only matters for the `*.selectors.json` rule. */
function detectFromRoot(root: Node | undefined, fileName?: string): DetectedDocument | undefined {
  const named = !!fileName && fileName.toLowerCase().endsWith(SELECTORS_FILE_SUFFIX);
  if (root?.type === 'array') {
    const elems = root.children ?? [];
    if (elems.some(looksAdvancedElement)) return { kind: 'advanced-array' };
    if (elems.some(looksBasicElement)) return { kind: 'basic-array', target: 'trail' };
    // A *.selectors.json array is being written as advanced selectors even before its shape shows.
    return named ? { kind: 'advanced-array' } : undefined;
  }
  if (root?.type === 'object') {
    const props = propertyEntries(root);
    const keys = new Set(props.map((p) => p.key));
    const lower = new Set(props.map((p) => p.key.toLowerCase()));
    if (lower.has('advancedeventselectors') || lower.has('eventselectors')) {
      let target: Target | undefined;
      if (TRAIL_KEYS.some((k) => keys.has(k))) target = 'trail';
      else if (EDS_KEYS.some((k) => keys.has(k)) || (keys.has('Name') && keys.has('MultiRegionEnabled'))) {
        target = 'event-data-store';
      } else if (props.some((p) => p.key.toLowerCase() === 'eventselectors' && p.valueNode?.type === 'array' && p.valueNode.children?.length)) {
        // Basic selectors exist only on trails.
        target = 'trail';
      }
      return target ? { kind: 'object', target } : { kind: 'object' };
    }
    return named ? { kind: 'empty' } : undefined;
  }
  return named ? { kind: 'empty' } : undefined;
}

/** Public detection entry point: `{kind, target?}` for a selector document, undefined for any other JSON. */
export function detectSelectorDocument(text: string, fileName?: string): DetectedDocument | undefined {
  // Cheap pre-check so unrelated large JSON files are not fully parsed on every keystroke.
  const named = !!fileName && fileName.toLowerCase().endsWith(SELECTORS_FILE_SUFFIX);
  if (!named && !/selectors|readwritetype|dataresources/i.test(text.slice(0, 200_000))) return undefined;
  return detectFromRoot(parseJson(text).root, fileName);
}

const ADV_KEYS = ['Name', 'FieldSelectors'];
const FS_KEYS = ['Field', 'Equals', 'StartsWith', 'EndsWith', 'NotEquals', 'NotStartsWith', 'NotEndsWith'];

function readFieldSelector(node: Node, index: number): FieldSelectorEntry {
  const entry: FieldSelectorEntry = { node, index, operators: [], otherKeys: [] };
  for (const p of propertyEntries(node)) {
    const canonical = FS_KEYS.includes(p.key) ? p.key : closestName(p.key, FS_KEYS);
    if (canonical === 'Field') {
      // Prefer the exactly spelt key when both are present.
      if (entry.fieldNode && p.key !== 'Field') {
        entry.otherKeys.push({ key: p.key, keyNode: p.keyNode, canonical });
        continue;
      }
      entry.fieldNode = p.valueNode;
      entry.fieldKeyNode = p.keyNode;
      entry.field = typeof p.valueNode?.value === 'string' ? p.valueNode.value : undefined;
      if (p.key !== 'Field') entry.otherKeys.push({ key: p.key, keyNode: p.keyNode, canonical });
    } else if (canonical) {
      const values: { value: unknown; node: Node }[] = [];
      if (p.valueNode?.type === 'array') {
        for (const c of p.valueNode.children ?? []) values.push({ value: c.value, node: c });
      }
      entry.operators.push({ key: p.key, canonical, keyNode: p.keyNode, valueNode: p.valueNode, values });
      if (p.key !== canonical) entry.otherKeys.push({ key: p.key, keyNode: p.keyNode, canonical });
    } else {
      entry.otherKeys.push({ key: p.key, keyNode: p.keyNode });
    }
  }
  return entry;
}

function readAdvanced(node: Node, index: number): AdvancedSelectorEntry {
  const entry: AdvancedSelectorEntry = { node, index, fieldSelectors: [], otherKeys: [], categories: [] };
  for (const p of propertyEntries(node)) {
    const canonical = ADV_KEYS.includes(p.key) ? p.key : closestName(p.key, ADV_KEYS);
    if (canonical === 'Name' && !entry.nameNode) entry.nameNode = p.valueNode;
    else if (canonical === 'FieldSelectors' && !entry.fieldSelectorsNode) {
      entry.fieldSelectorsKeyNode = p.keyNode;
      entry.fieldSelectorsNode = p.valueNode;
    }
    if (p.key !== canonical) entry.otherKeys.push({ key: p.key, keyNode: p.keyNode, canonical });
  }
  if (entry.fieldSelectorsNode?.type === 'array') {
    (entry.fieldSelectorsNode.children ?? []).forEach((c, i) => {
      if (c.type === 'object') entry.fieldSelectors.push(readFieldSelector(c, i));
    });
  }
  for (const fs of entry.fieldSelectors) {
    if (fs.field !== 'eventCategory') continue;
    for (const op of fs.operators) {
      if (op.canonical !== 'Equals') continue;
      for (const v of op.values) if (typeof v.value === 'string') entry.categories.push(v.value);
    }
  }
  return entry;
}

/** Parses and structures a document. Works for any text; `detected` is undefined for non-selector JSON. */
export function readSelectorDocument(text: string, fileName?: string): SelectorDocument {
  const { root, errors, leniency } = parseJson(text);
  const doc: SelectorDocument = {
    text,
    root,
    syntaxErrors: errors,
    leniency,
    detected: detectFromRoot(root, fileName),
    advanced: [],
    rootProps: new Map(),
  };
  if (!root || !doc.detected) return doc;
  if (root.type === 'array') {
    if (doc.detected.kind === 'basic-array') doc.basicArray = root;
    else doc.advancedArray = root;
  } else if (root.type === 'object') {
    for (const p of propertyEntries(root)) {
      doc.rootProps.set(p.key, { keyNode: p.keyNode, valueNode: p.valueNode });
      const lower = p.key.toLowerCase();
      if (lower === 'advancedeventselectors' && !doc.advancedKey) {
        doc.advancedKey = p.keyNode;
        doc.advancedArray = p.valueNode;
      } else if (lower === 'eventselectors' && !doc.basicKey) {
        doc.basicKey = p.keyNode;
        doc.basicArray = p.valueNode;
      }
    }
  }
  if (doc.advancedArray?.type === 'array') {
    (doc.advancedArray.children ?? []).forEach((c, i) => {
      if (c.type === 'object') doc.advanced.push(readAdvanced(c, i));
    });
  }
  return doc;
}

/** A string-valued root property, e.g. `S3BucketName`. */
export function rootString(doc: SelectorDocument, key: string): string | undefined {
  const v = doc.rootProps.get(key)?.valueNode?.value;
  return typeof v === 'string' ? v : undefined;
}

/** The innermost node at an offset (string/number/… leaf or container). */
export function nodeAt(doc: SelectorDocument, offset: number): Node | undefined {
  return doc.root ? findNodeAtOffset(doc.root, offset, true) : undefined;
}

/** 1-based line/column for offsets, built once per text. */
export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.starts.push(i + 1);
      }
    }
  }
  position(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo] + 1 };
  }
  lineStart(line1: number): number {
    return this.starts[Math.max(0, Math.min(line1 - 1, this.starts.length - 1))];
  }
}
