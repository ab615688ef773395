/**
 * The selector linter: every rule of shared/reference/selectors.md as a diagnostic with a stable code and
 * an exact range. Errors are what CloudTrail rejects; warnings are legal-but-wrong configurations or values
 * we do not know (new resource types, new network sources) — the tool never blocks what AWS may accept.
 */
import { printParseErrorCode, type Node } from 'jsonc-parser';
import {
  ALL_CATEGORIES, BASIC_RESOURCE_TYPES, BOOLEAN_STRINGS, EDS_ONLY_CATEGORIES, ERROR_CODES, EVENT_NAMES_BY_TYPE, EVENT_TYPES,
  FIELD_NAMES, FIELD_PATTERN, LIMITS, NETWORK_SOURCES, NETWORK_SOURCES_VERIFIED, READ_WRITE_TYPES,
  TRAIL_MANAGEMENT_EXCLUDABLE_SOURCES, TYPES_WITHOUT_ARN, allowedFields, allowedOnOtherTarget, allowedOperators,
  arnFormatRegExp, closestName, isOperator, resourceTypeInfo, RESOURCE_TYPE_NAMES, type Operator, type Target,
} from './catalogue';
import {
  LineIndex, MAX_NESTING, propertyEntries, readSelectorDocument, rootString, type AdvancedSelectorEntry, type DetectedDocument,
  type FieldSelectorEntry, type Leniency, type SelectorDocument,
} from './document';
import { matchSelector, type AdvancedSelectorLike, type FieldSelectorLike } from './evaluate';
import { toAdvanced, type BasicSelectorLike } from './convert';
import type { SelectorDiagnostic, SelectorFix, SelectorSeverity, TextEdit, ValidateOptions } from './types';

/** `an AWS::S3::Object`, `a …`: the article for a resource type or other name as read aloud. */
export function withArticle(name: string): string {
  return `${/^(AWS|[aeiou])/i.test(name) ? 'an' : 'a'} ${name}`;
}

/**
 * Resource types a Data selector without resources.type most likely means, best first, from its other field
 * selectors: eventName values (Invoke → AWS::Lambda::Function), eventSource (s3.amazonaws.com → AWS::S3::Object)
 * and resources.ARN values (the service in the ARN). Empty when nothing points anywhere.
 */
export function likelyResourceTypes(sel: AdvancedSelectorEntry): string[] {
  const score = new Map<string, number>();
  const vote = (t: string, n: number) => score.set(t, (score.get(t) ?? 0) + n);
  const positive = (fs: FieldSelectorEntry) => fs.operators.filter((o) => o.canonical === 'Equals' || o.canonical === 'StartsWith' || o.canonical === 'EndsWith')
    .flatMap((o) => o.values.map((v) => v.value)).filter((v): v is string => typeof v === 'string');
  const typeOrder = Object.keys(EVENT_NAMES_BY_TYPE);
  for (const fs of sel.fieldSelectors) {
    const values = positive(fs);
    if (fs.field === 'eventName') {
      for (const v of values) {
        for (const [t, names] of Object.entries(EVENT_NAMES_BY_TYPE)) if (names.includes(v)) vote(t, 3);
      }
    } else if (fs.field === 'eventSource') {
      for (const v of values) {
        const service = v.replace(/\.amazonaws\.com$/, '');
        for (const t of typeOrder) if (resourceTypeInfo(t)?.arnFormats.some((f) => f.split(':')[2] === service)) vote(t, 1);
      }
    } else if (fs.field === 'resources.ARN') {
      for (const v of values) {
        const service = v.split(':')[2];
        if (!service) continue;
        for (const t of RESOURCE_TYPE_NAMES) {
          const formats = resourceTypeInfo(t)?.arnFormats ?? [];
          if (formats.some((f) => arnFormatRegExp(f).test(v))) vote(t, 4);
          else if (formats.some((f) => f.split(':')[2] === service)) vote(t, BASIC_RESOURCE_TYPES.includes(t) || typeOrder.includes(t) ? 2 : 1);
        }
      }
    }
  }
  return [...score.entries()].sort((a, b) => b[1] - a[1] || rank(a[0]) - rank(b[0])).map(([t]) => t);
  function rank(t: string): number {
    const i = BASIC_RESOURCE_TYPES.indexOf(t);
    if (i >= 0) return i;
    const j = typeOrder.indexOf(t);
    return j >= 0 ? 10 + j : 1000;
  }
}

/** Every code the validator can emit, with a one-line description (used by docs and tests). */
export const DIAGNOSTIC_CODES: Record<string, string> = {
  'json-syntax': 'The JSON itself is malformed.',
  'json-comment': 'A comment: the AWS CLI (file://) and the API read strict JSON, which has none.',
  'json-trailing-comma': 'A comma before `]` or `}`: strict JSON (AWS CLI, API) rejects it.',
  'nesting-too-deep': 'Objects/arrays nested deeper than any selector document is; the file is not read.',
  'not-array': 'A selector list or operator is not a JSON array.',
  'key-case': 'A key is misspelt or wrongly cased (e.g. `fieldSelectors`).',
  'unknown-key': 'A key CloudTrail does not accept in this object.',
  'selector-not-object': 'A selector list element is not an object.',
  'name-invalid': 'Name is not a string or longer than 1000 characters.',
  'field-selectors-missing': 'An advanced selector has no FieldSelectors.',
  'field-selectors-empty': 'FieldSelectors is an empty list.',
  'field-selector-not-object': 'A FieldSelectors element is not an object.',
  'field-missing': 'A field selector has no Field.',
  'field-pattern': 'Field is not a 1–1000 character string of letters, digits, `.` and `_`.',
  'field-misspelt': 'Field is a wrong-case or misspelt known field name.',
  'field-unknown': 'Field is not a field CloudTrail is known to accept.',
  'field-not-allowed': 'The field is not allowed for the selector\'s eventCategory on this target.',
  'category-missing': 'The selector has no eventCategory field selector.',
  'category-target': 'The eventCategory value exists only for event data stores.',
  'category-multiple': 'The selector names more than one eventCategory.',
  'operator-missing': 'A field selector has no operator.',
  'operator-empty': 'An operator has an empty value list (get-event-selectors output has them; put-event-selectors rejects them).',
  'operator-not-allowed': 'The operator is not allowed for this field.',
  'value-not-string': 'A value is not a string.',
  'value-empty': 'A value is an empty string.',
  'value-too-long': 'A value is longer than 2048 characters.',
  'value-invalid': 'A value CloudTrail rejects for this field.',
  'value-unknown': 'A value we do not know; AWS may accept it (new types and sources appear often).',
  'resources-type-missing': 'A Data selector has no resources.type.',
  'resources-type-multiple': 'More than one resources.type in one selector.',
  'event-source-missing': 'A NetworkActivity selector has no eventSource with Equals.',
  'event-source-multiple': 'A NetworkActivity eventSource lists more than one source.',
  'arn-not-supported': 'resources.ARN used with a resource type that has no ARNs.',
  'arn-format': 'An Equals/NotEquals ARN does not fit the selected resource type.',
  's3-arn-slash': 'An S3 bucket ARN lacks the trailing `/` that object ARNs need.',
  wildcard: '`*` is not a wildcard in selectors.',
  contradiction: 'Conditions in one selector exclude each other.',
  'duplicate-selector': 'The same selector appears twice.',
  'duplicate-field-selector': 'The same field selector appears twice in one selector.',
  'value-count': 'How many of the 500 values per trail/event data store the selectors use.',
  'value-budget': 'More than 500 values across all advanced selectors.',
  'selector-count': 'More than 5 advanced selectors on an event data store.',
  'mixed-selectors': 'Basic and advanced selectors in one document.',
  'basic-on-event-data-store': 'Basic selectors on an event data store.',
  'basic-selector-count': 'More than 5 basic selectors.',
  'basic-data-resource-count': 'More than 250 data resources in basic selectors.',
  'basic-read-write-type': 'ReadWriteType is not ReadOnly, WriteOnly or All.',
  'basic-value': 'A basic selector property has the wrong JSON type.',
  'basic-exclude-source': 'ExcludeManagementEventSources holds something other than kms/rdsdata.',
  'basic-resource-type': 'A data resource type basic selectors do not support.',
  'basic-values-empty': 'A data resource has no Values.',
  'log-bucket-loop': 'The selector logs S3 data events on the trail\'s own log bucket.',
  'trail-name': 'TrailName is not a valid trail name or ARN.',
};

export interface Analysis {
  detected?: DetectedDocument;
  /** The target used for the rules. */
  target: Target;
  /** True when the document itself named the target. */
  targetFromDocument: boolean;
  /** Values counted towards the 500 limit. */
  valueCount: number;
  logBucket?: string;
  diagnostics: SelectorDiagnostic[];
}

interface Span {
  offset: number;
  length: number;
}

function span(n: Node | Span): Span {
  return { offset: n.offset, length: n.length };
}

const q = (s: string) => '`' + s + '`';

class Collector {
  readonly out: SelectorDiagnostic[] = [];
  constructor(private readonly lines: LineIndex) {}
  add(code: string, severity: SelectorSeverity, at: Node | Span, message: string, fixes?: SelectorFix[]): void {
    const s = span(at);
    const start = this.lines.position(s.offset);
    const end = this.lines.position(s.offset + s.length);
    const d: SelectorDiagnostic = {
      code, severity, message, offset: s.offset, length: s.length,
      line: start.line, column: start.column, endLine: end.line, endColumn: end.column,
    };
    if (fixes?.length) d.fixes = fixes;
    this.out.push(d);
  }
}

// "arn:aws:s3:::b/*" → "arn:aws:s3:::b/", "arn:aws:s3:::*" + "/*" → "arn:aws:s3:::": the text before the first `*`,
// when only wildcard segments (`*` and `/`) follow it; undefined otherwise (a `*` in the middle has no prefix meaning).
export function wildcardPrefix(value: string): string | undefined {
  const i = value.indexOf('*');
  if (i <= 0 || !/^[*/]*$/.test(value.slice(i))) return undefined;
  return value.slice(0, i);
}
/** "*.jpg" → ".jpg": text after the last `*`, when only `*`s come before it. */
function wildcardSuffix(value: string): string | undefined {
  const i = value.lastIndexOf('*');
  if (i < 0 || i === value.length - 1 || !/^\**$/.test(value.slice(0, i + 1))) return undefined;
  return value.slice(i + 1);
}

const replaceNode = (n: Node | Span, newText: string): TextEdit => ({ offset: n.offset, length: n.length, newText });

/** Leading whitespace of the line the offset is on. */
function indentAt(text: string, offset: number): string {
  let s = offset;
  while (s > 0 && text[s - 1] !== '\n' && text[s - 1] !== '\r') s--;
  let e = s;
  while (e < text.length && (text[e] === ' ' || text[e] === '\t')) e++;
  return text.slice(s, e);
}

const isBlank = (ch: string | undefined) => ch === ' ' || ch === '\t';
const isBreak = (ch: string | undefined) => ch === '\n' || ch === '\r';

/**
 * Edits that make a leniently-read document strict JSON: each comment (with its line when it stands alone
 * on it) and each trailing comma. Edits never overlap, so they can all be applied at once.
 */
export function strictJsonEdits(text: string, leniency: Leniency): { kind: 'comment' | 'comma'; at: Span; edit: TextEdit }[] {
  const out: { kind: 'comment' | 'comma'; at: Span; edit: TextEdit }[] = [];
  for (const c of leniency.comments) {
    let start = c.offset;
    let end = c.offset + c.length;
    let ls = start;
    while (ls > 0 && isBlank(text[ls - 1])) ls--;
    let le = end;
    while (le < text.length && isBlank(text[le])) le++;
    const aloneBefore = ls === 0 || isBreak(text[ls - 1]);
    const aloneAfter = le >= text.length || isBreak(text[le]);
    if (aloneBefore && aloneAfter && ls > 0) {
      // The whole line, with the line break before it (keeps the next line's indentation intact).
      start = ls - 1;
      if (text[start] === '\n' && text[start - 1] === '\r') start--;
      end = le;
    } else if (aloneAfter) {
      start = ls; // "x, // note" → "x,"
      end = le;
    }
    out.push({ kind: 'comment', at: { offset: c.offset, length: c.length }, edit: { offset: start, length: end - start, newText: '' } });
  }
  for (const at of leniency.trailingCommas) {
    out.push({ kind: 'comma', at: { offset: at, length: 1 }, edit: { offset: at, length: 1, newText: '' } });
  }
  out.sort((a, b) => a.edit.offset - b.edit.offset);
  // A comma inside a removed comment line cannot happen (the scanner saw it outside comments), but be safe.
  return out.filter((x, i) => i === 0 || out[i - 1].edit.offset + out[i - 1].edit.length <= x.edit.offset);
}

/**
 * Edits removing some properties (their `key: value` nodes) of one object, with the commas between them,
 * leaving valid JSON. Runs of adjacent removed properties become one edit; edits never overlap.
 */
export function removePropertiesEdits(obj: Node, remove: Node[]): TextEdit[] {
  const props = obj.children ?? [];
  const gone = new Set(remove);
  const edits: TextEdit[] = [];
  if (props.every((p) => gone.has(p))) {
    const first = props[0];
    const last = props[props.length - 1];
    return [{ offset: first.offset, length: last.offset + last.length - first.offset, newText: '' }];
  }
  let i = 0;
  while (i < props.length) {
    if (!gone.has(props[i])) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < props.length && gone.has(props[j + 1])) j++;
    if (j + 1 < props.length) {
      // Followed by a kept property: remove from this run's start up to that property.
      edits.push({ offset: props[i].offset, length: props[j + 1].offset - props[i].offset, newText: '' });
    } else {
      // The run ends the object: remove from the end of the kept property before it.
      const prev = props[i - 1];
      const from = prev.offset + prev.length;
      edits.push({ offset: from, length: props[j].offset + props[j].length - from, newText: '' });
    }
    i = j + 1;
  }
  return edits;
}

/**
 * An edit that inserts a field selector (JSON text) into a selector's FieldSelectors, after the element
 * `afterIndex` (or first when -1), matching the list's layout (one per line or inline).
 */
export function insertFieldSelectorEdit(text: string, sel: AdvancedSelectorEntry, fsText: string, afterIndex = -1): TextEdit | undefined {
  const arr = sel.fieldSelectorsNode;
  if (!arr || arr.type !== 'array') return undefined;
  const items = arr.children ?? [];
  if (!items.length) return { offset: arr.offset + 1, length: 0, newText: fsText };
  const first = items[0];
  const between = text.slice(arr.offset + 1, first.offset);
  const sep = /[\r\n]/.test(between) ? '\n' + indentAt(text, first.offset) : ' ';
  if (afterIndex < 0) return { offset: first.offset, length: 0, newText: fsText + ',' + sep };
  const after = items[Math.min(afterIndex, items.length - 1)];
  return { offset: after.offset + after.length, length: 0, newText: ',' + sep + fsText };
}

function fsJson(field: string, op: Operator, values: string[]): string {
  return `{ "Field": ${JSON.stringify(field)}, "${op}": [${values.map((v) => JSON.stringify(v)).join(', ')}] }`;
}

/** A selector as plain data (canonical keys, string values only) for the evaluator. */
export function selectorFromEntry(sel: AdvancedSelectorEntry): AdvancedSelectorLike {
  const fieldSelectors: FieldSelectorLike[] = [];
  for (const fs of sel.fieldSelectors) {
    if (typeof fs.field !== 'string') continue;
    const plain: Record<string, unknown> = { Field: fs.field };
    for (const op of fs.operators) {
      if (!op.canonical || !isOperator(op.canonical) || plain[op.canonical]) continue;
      plain[op.canonical] = op.values.map((v) => v.value).filter((v): v is string => typeof v === 'string');
    }
    fieldSelectors.push(plain as unknown as FieldSelectorLike);
  }
  const name = sel.nameNode?.value;
  return typeof name === 'string' ? { Name: name, FieldSelectors: fieldSelectors } : { FieldSelectors: fieldSelectors };
}

function normalisedFieldSelector(fs: FieldSelectorEntry): string {
  const ops = fs.operators
    .filter((o) => o.canonical)
    .map((o) => `${o.canonical}=${o.values.map((v) => JSON.stringify(v.value)).sort().join(',')}`)
    .sort();
  return `${fs.field}|${ops.join('|')}`;
}

function selectorAnchor(sel: AdvancedSelectorEntry): Node | Span {
  return sel.nameNode ?? sel.fieldSelectorsKeyNode ?? { offset: sel.node.offset, length: 1 };
}

/**
 * CloudFormation-style types that are not data-event resource types, with the data type a user who writes
 * them most likely means (S3 bucket-level calls are management events; object calls are AWS::S3::Object).
 */
const NON_DATA_TYPES: Readonly<Record<string, string>> = {
  'AWS::S3::Bucket': 'AWS::S3::Object',
  'AWS::S3Express::Bucket': 'AWS::S3Express::Object',
  'AWS::S3Express::DirectoryBucket': 'AWS::S3Express::Object',
  'AWS::S3::AccessPointPolicy': 'AWS::S3::AccessPoint',
  'AWS::S3Tables::TableBucketPolicy': 'AWS::S3Tables::TableBucket',
  'AWS::Lambda::Alias': 'AWS::Lambda::Function',
  'AWS::Lambda::Version': 'AWS::Lambda::Function',
  'AWS::DynamoDB::GlobalTable': 'AWS::DynamoDB::Table',
  'AWS::SNS::Subscription': 'AWS::SNS::Topic',
  'AWS::SQS::QueuePolicy': 'AWS::SQS::Queue',
};

/** The data resource type most likely meant by a type that is not one (same service), if any. */
export function likelyDataType(type: string): string | undefined {
  if (NON_DATA_TYPES[type]) return NON_DATA_TYPES[type];
  const service = /^AWS::([A-Za-z0-9]+)::/.exec(type)?.[1];
  if (!service) return undefined;
  const same = RESOURCE_TYPE_NAMES.filter((n) => n.startsWith(`AWS::${service}::`));
  return same.length === 1 ? same[0] : undefined;
}

const TRAIL_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9]|[._-](?=[A-Za-z0-9]))*$/;

class Validator {
  readonly c: Collector;
  readonly doc: SelectorDocument;
  target: Target = 'trail';
  targetFromDocument = false;
  logBucket?: string;
  logPrefix?: string;
  valueCount = 0;

  constructor(readonly text: string, readonly options: ValidateOptions) {
    this.doc = readSelectorDocument(text, options.fileName);
    this.c = new Collector(new LineIndex(text));
  }

  run(): Analysis {
    const { doc } = this;
    // An empty *.selectors.json is where snippets start: not a syntax error yet.
    for (const e of this.text.trim() ? doc.syntaxErrors : []) {
      this.c.add('json-syntax', 'error', { offset: e.offset, length: Math.max(e.length, 1) },
        `JSON syntax error (${printParseErrorCode(e.error)}). Fix the JSON first; CloudTrail and the AWS CLI read strict JSON.`);
    }
    this.checkStrictJson();
    const detected = doc.detected;
    if (detected?.target) {
      this.target = detected.target;
      this.targetFromDocument = true;
    } else this.target = this.options.target ?? 'trail';
    this.logBucket = rootString(doc, 'S3BucketName') ?? (this.options.logBucket || undefined);
    this.logPrefix = rootString(doc, 'S3KeyPrefix');
    if (detected) {
      this.checkRoot();
      if (doc.advancedArray) this.checkAdvancedList();
      if (doc.basicArray) this.checkBasicList();
    }
    const diagnostics = this.c.out.sort((a, b) => a.offset - b.offset || a.code.localeCompare(b.code));
    return {
      detected, target: this.target, targetFromDocument: this.targetFromDocument,
      valueCount: this.valueCount, logBucket: this.logBucket, diagnostics,
    };
  }

  /** Comments, trailing commas and over-deep nesting: read leniently here, rejected by AWS. */
  private checkStrictJson(): void {
    const { leniency } = this.doc;
    if (leniency.tooDeepAt !== undefined) {
      this.c.add('nesting-too-deep', 'error', { offset: leniency.tooDeepAt, length: 1 },
        `Nesting too deep: objects and arrays are nested more than ${MAX_NESTING} levels here (a selector document needs 6). The file was not read further; check that it is the file you meant.`);
      return;
    }
    const all = strictJsonEdits(this.text, leniency);
    const allFix: SelectorFix[] = all.length > 1
      ? [{ title: `Remove all ${all.length} comments and trailing commas`, edits: all.map((x) => x.edit) }]
      : [];
    for (const x of all) {
      const comment = x.kind === 'comment';
      this.c.add(comment ? 'json-comment' : 'json-trailing-comma', 'error', x.at,
        comment
          ? 'Comments are not JSON: the AWS CLI (file://) and the CloudTrail API reject this document. Remove the comment.'
          : 'Trailing comma: strict JSON, which the AWS CLI (file://) and the CloudTrail API read, rejects a comma before `]` or `}`. Remove it.',
        [{ title: comment ? 'Remove the comment' : 'Remove the trailing comma', edits: [x.edit], preferred: true }, ...allFix]);
    }
  }

  /** One edit per empty operator list in the document, to remove them all at once (computed once). */
  private emptyListEdits?: TextEdit[];
  private removeEmptyListsFix(): SelectorFix[] {
    if (!this.emptyListEdits) {
      const edits: TextEdit[] = [];
      for (const sel of this.doc.advanced) for (const fs of sel.fieldSelectors) {
        const empty = fs.operators.filter((o) => o.valueNode?.type === 'array' && !o.values.length).map((o) => o.keyNode.parent!).filter(Boolean);
        if (empty.length) edits.push(...removePropertiesEdits(fs.node, empty));
      }
      this.emptyListEdits = edits;
    }
    const n = this.doc.advanced.reduce((a, sel) => a + sel.fieldSelectors.reduce((b, fs) => b + fs.operators.filter((o) => o.valueNode?.type === 'array' && !o.values.length).length, 0), 0);
    return this.emptyListEdits.length
      ? [{ title: n === 1 ? 'Remove the empty list' : `Remove all ${n} empty operator lists`, edits: this.emptyListEdits, preferred: true }]
      : [];
  }

  private checkRoot(): void {
    const { doc } = this;
    for (const [key, canonical] of [[doc.advancedKey, 'AdvancedEventSelectors'], [doc.basicKey, 'EventSelectors']] as const) {
      if (key && key.value !== canonical) {
        this.c.add('key-case', 'error', key, `Write ${q(canonical)} (exact case); the API does not know ${q(String(key.value))}.`,
          [{ title: `Rename to ${canonical}`, edits: [replaceNode(key, JSON.stringify(canonical))], preferred: true }]);
      }
    }
    for (const [arr, key] of [[doc.advancedArray, doc.advancedKey], [doc.basicArray, doc.basicKey]] as const) {
      if (arr && arr.type !== 'array' && key) {
        this.c.add('not-array', 'error', arr, `${q(String(key.value))} must be a JSON array of selectors.`);
      }
    }
    if (doc.advancedKey && doc.basicKey) {
      this.c.add('mixed-selectors', 'error', doc.basicKey,
        'A request carries either EventSelectors or AdvancedEventSelectors, never both: writing one kind replaces the other. Convert the basic selectors to advanced ones and keep only AdvancedEventSelectors.',
        this.mergeBasicFix());
    }
    const trailName = doc.rootProps.get('TrailName')?.valueNode;
    if (trailName && typeof trailName.value === 'string' && !trailName.value.startsWith('arn:')) {
      const n = trailName.value;
      if (n.length < 3 || n.length > 128 || !TRAIL_NAME.test(n) || /^\d+\.\d+\.\d+\.\d+$/.test(n)) {
        this.c.add('trail-name', 'error', trailName,
          'A trail name is 3–128 ASCII letters, digits, `.`, `_` and `-`, starts and ends with a letter or digit, has no adjacent `.`/`_`/`-` and does not look like an IP address. Or give the trail ARN.');
      }
    }
    if (doc.basicArray && this.target === 'event-data-store') {
      this.c.add('basic-on-event-data-store', 'error', doc.basicKey ?? { offset: doc.basicArray.offset, length: 1 },
        'Event data stores take advanced selectors only. Convert these basic selectors to advanced ones.',
        this.convertFixes());
    }
  }

  // ---------- advanced selectors ----------

  private checkAdvancedList(): void {
    const { doc } = this;
    const arr = doc.advancedArray!;
    if (arr.type !== 'array') return;
    for (const child of arr.children ?? []) {
      if (child.type !== 'object') {
        this.c.add('selector-not-object', 'error', child, 'Each advanced selector is an object: {"Name": "…", "FieldSelectors": [ … ]}.');
      }
    }
    for (const sel of doc.advanced) this.checkSelector(sel);

    if (this.target === 'event-data-store' && doc.advanced.length > LIMITS.advancedSelectorsPerEventDataStore) {
      const extra = doc.advanced[LIMITS.advancedSelectorsPerEventDataStore];
      this.c.add('selector-count', 'error', selectorAnchor(extra),
        `An event data store takes at most ${LIMITS.advancedSelectorsPerEventDataStore} advanced selectors; this is number ${doc.advanced.length > 6 ? '6 of ' + doc.advanced.length : '6'}. Merge selectors of the same category.`);
    }

    // Every value of every operator counts, eventCategory included.
    let count = 0;
    for (const sel of doc.advanced) for (const fs of sel.fieldSelectors) for (const op of fs.operators) count += op.values.length;
    this.valueCount = count;
    const budgetAt = doc.advancedKey ?? { offset: arr.offset, length: 1 };
    const who = this.target === 'trail' ? 'trail' : 'event data store';
    if (count > LIMITS.valuesPerTrail) {
      this.c.add('value-budget', 'error', budgetAt,
        `${count} of ${LIMITS.valuesPerTrail} values: a ${who} allows at most ${LIMITS.valuesPerTrail} values across all advanced selectors. Merge selectors or use StartsWith prefixes instead of long Equals lists.`);
    } else {
      this.c.add('value-count', 'hint', budgetAt, `${count} of ${LIMITS.valuesPerTrail} values used (limit per ${who}).`);
    }

    // Duplicates.
    const seen = new Map<string, number>();
    for (const sel of doc.advanced) {
      if (!sel.fieldSelectors.length) continue;
      const key = sel.fieldSelectors.map(normalisedFieldSelector).sort().join('\n');
      const prev = seen.get(key);
      if (prev !== undefined) {
        this.c.add('duplicate-selector', 'warning', selectorAnchor(sel),
          `This selector has the same conditions as selector ${prev + 1}; it logs nothing more but uses ${this.countValues(sel)} more of the ${LIMITS.valuesPerTrail} values. Remove it.`);
      } else seen.set(key, sel.index);
    }

    if (this.logBucket) for (const sel of doc.advanced) this.checkLogBucket(sel);
  }

  /** Inserting a field selector into a document that does not parse makes it worse: offered only on clean JSON. */
  private insertFs(sel: AdvancedSelectorEntry, fsText: string, afterIndex = -1): TextEdit | undefined {
    return this.doc.syntaxErrors.length ? undefined : insertFieldSelectorEdit(this.text, sel, fsText, afterIndex);
  }

  private countValues(sel: AdvancedSelectorEntry): number {
    let n = 0;
    for (const fs of sel.fieldSelectors) for (const op of fs.operators) n += op.values.length;
    return n;
  }

  private keyProblems(keys: { key: string; keyNode: Node; canonical?: string }[], allowed: string): void {
    for (const k of keys) {
      if (k.canonical) {
        this.c.add('key-case', 'error', k.keyNode, `Write ${q(k.canonical)}; keys are case-sensitive and ${q(k.key)} is not one.`,
          [{ title: `Change to ${k.canonical}`, edits: [replaceNode(k.keyNode, JSON.stringify(k.canonical))], preferred: true }]);
      } else {
        this.c.add('unknown-key', 'error', k.keyNode, `${q(k.key)} is not accepted here; ${allowed}. Remove it.`);
      }
    }
  }

  private checkSelector(sel: AdvancedSelectorEntry): void {
    const { c } = this;
    this.keyProblems(sel.otherKeys, 'an advanced selector has only `Name` and `FieldSelectors`');
    if (sel.nameNode) {
      if (typeof sel.nameNode.value !== 'string') c.add('name-invalid', 'error', sel.nameNode, 'Name must be a string.');
      else if (sel.nameNode.value.length > LIMITS.nameLength) {
        c.add('name-invalid', 'error', sel.nameNode, `Name is ${sel.nameNode.value.length} characters; the limit is ${LIMITS.nameLength}. Shorten it.`);
      }
    }
    const fsNode = sel.fieldSelectorsNode;
    if (!fsNode) {
      c.add('field-selectors-missing', 'error', { offset: sel.node.offset, length: 1 },
        'This selector has no FieldSelectors. Add "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}] or similar.');
      return;
    }
    if (fsNode.type !== 'array') {
      c.add('not-array', 'error', fsNode, 'FieldSelectors must be a JSON array of field selectors.');
      return;
    }
    if (!fsNode.children?.length) {
      c.add('field-selectors-empty', 'error', fsNode, 'FieldSelectors needs at least one field selector, starting with eventCategory.',
        this.categoryInsertFixes(sel));
      return;
    }
    for (const child of fsNode.children) {
      if (child.type !== 'object') c.add('field-selector-not-object', 'error', child, 'Each field selector is an object: {"Field": "…", "Equals": ["…"]}.');
    }

    // Category.
    const categoryFs = sel.fieldSelectors.filter((f) => f.field === 'eventCategory');
    const category = this.checkCategory(sel, categoryFs);

    for (const fs of sel.fieldSelectors) this.checkFieldSelector(sel, fs, category);

    if (category === 'Data') {
      const types = sel.fieldSelectors.filter((f) => f.field === 'resources.type');
      if (!types.length) {
        const at = categoryFs[0];
        const anchor = at?.operators.find((o) => o.canonical === 'Equals')?.values.find((v) => v.value === 'Data')?.node ?? at?.fieldNode ?? selectorAnchor(sel);
        const fixes: SelectorFix[] = [];
        // The type the selector's other fields point at comes first (Invoke → AWS::Lambda::Function).
        const likely = likelyResourceTypes(sel);
        const candidates = [...new Set([...likely, ...BASIC_RESOURCE_TYPES])];
        for (const t of candidates) {
          const e = this.insertFs(sel, fsJson('resources.type', 'Equals', [t]), at ? at.index : -1);
          if (e) fixes.push({ title: `Add resources.type ${t}`, edits: [e], preferred: t === (likely[0] ?? 'AWS::S3::Object') });
        }
        c.add('resources-type-missing', 'error', anchor,
          'Data selectors need a resources.type field selector (e.g. AWS::S3::Object) naming which data events to log.', fixes);
      }
      for (const extra of types.slice(1)) {
        c.add('resources-type-multiple', 'error', extra.fieldNode ?? extra.node,
          'Only one resources.type field selector is allowed per selector. Put each resource type in its own selector.');
      }
    }
    if (category === 'NetworkActivity') {
      const sources = sel.fieldSelectors.filter((f) => f.field === 'eventSource' && f.operators.some((o) => o.canonical === 'Equals'));
      if (!sources.length) {
        const at = categoryFs[0];
        const anchor = at?.operators.find((o) => o.canonical === 'Equals')?.values.find((v) => v.value === 'NetworkActivity')?.node ?? selectorAnchor(sel);
        const fixes: SelectorFix[] = [];
        for (const s of NETWORK_SOURCES_VERIFIED) {
          const e = this.insertFs(sel, fsJson('eventSource', 'Equals', [s]), at ? at.index : -1);
          if (e) fixes.push({ title: `Add eventSource ${s}`, edits: [e] });
        }
        c.add('event-source-missing', 'error', anchor,
          'NetworkActivity selectors need an eventSource field selector with Equals and one source (e.g. kms.amazonaws.com).', fixes);
      }
    }

    // Duplicate field selectors.
    const seen = new Set<string>();
    for (const fs of sel.fieldSelectors) {
      if (!fs.field) continue;
      const k = normalisedFieldSelector(fs);
      if (seen.has(k)) {
        c.add('duplicate-field-selector', 'warning', fs.fieldNode ?? fs.node, 'This field selector repeats an earlier one in the same selector. Remove it.');
      }
      seen.add(k);
    }
    this.checkContradictions(sel);
  }

  private categoryInsertFixes(sel: AdvancedSelectorEntry): SelectorFix[] {
    const fixes: SelectorFix[] = [];
    for (const cat of ['Management', 'Data']) {
      const e = this.insertFs(sel, fsJson('eventCategory', 'Equals', [cat]), -1);
      if (e) fixes.push({ title: `Add eventCategory ${cat}`, edits: [e] });
    }
    return fixes;
  }

  /** Checks eventCategory and returns the category the other rules should assume (undefined: unknown). */
  private checkCategory(sel: AdvancedSelectorEntry, categoryFs: FieldSelectorEntry[]): string | undefined {
    const { c } = this;
    if (!categoryFs.length) {
      const misspelt = sel.fieldSelectors.some((f) => typeof f.field === 'string' && f.field !== 'eventCategory' && closestName(f.field, FIELD_NAMES) === 'eventCategory');
      if (!misspelt) {
        c.add('category-missing', 'error', sel.fieldSelectorsKeyNode ?? selectorAnchor(sel),
          'Every advanced selector needs an eventCategory field selector (Equals Management, Data or NetworkActivity).',
          this.categoryInsertFixes(sel));
      }
      // With a misspelt eventCategory the field-misspelt error explains it; use its values.
      const mis = sel.fieldSelectors.find((f) => typeof f.field === 'string' && closestName(f.field, FIELD_NAMES) === 'eventCategory');
      const v = mis?.operators.find((o) => o.canonical === 'Equals')?.values[0]?.value;
      return typeof v === 'string' && ALL_CATEGORIES.includes(v) ? v : undefined;
    }
    let category: string | undefined;
    const distinct = new Set<string>();
    for (const fs of categoryFs) {
      for (const op of fs.operators) {
        if (op.canonical !== 'Equals') continue;
        for (const v of op.values) {
          if (typeof v.value !== 'string' || !v.value) continue;
          const value = v.value;
          if (!ALL_CATEGORIES.includes(value)) {
            const near = closestName(value, ALL_CATEGORIES);
            c.add('value-invalid', 'error', v.node,
              `${q(value)} is not an event category. Use ${this.target === 'trail' ? 'Management, Data or NetworkActivity' : 'Management, Data, NetworkActivity, Insight, ConfigurationItem, Evidence or ActivityAuditLog'}.`,
              near ? [{ title: `Change to ${near}`, edits: [replaceNode(v.node, JSON.stringify(near))], preferred: true }] : undefined);
            if (near) category ??= near;
            continue;
          }
          if (this.target === 'trail' && (EDS_ONLY_CATEGORIES as readonly string[]).includes(value)) {
            c.add('category-target', 'error', v.node,
              `${q(value)} is only for event data stores (CloudTrail Lake). On a trail use Management, Data or NetworkActivity${this.targetFromDocument ? '' : ', or switch the target to event data store'}.`);
          }
          distinct.add(value);
          category ??= value;
        }
      }
    }
    if (distinct.size > 1) {
      c.add('category-multiple', 'warning', categoryFs[0].fieldNode ?? categoryFs[0].node,
        `This selector names several categories (${[...distinct].join(', ')}); each category has its own required fields. Use one selector per category.`);
    }
    return category;
  }

  private checkFieldSelector(sel: AdvancedSelectorEntry, fs: FieldSelectorEntry, category: string | undefined): void {
    const { c } = this;
    this.keyProblems(fs.otherKeys.filter((k) => k.canonical !== 'Field' || k.key !== 'Field'),
      'a field selector has `Field` and the operators Equals, StartsWith, EndsWith, NotEquals, NotStartsWith, NotEndsWith');
    if (!fs.fieldNode) {
      c.add('field-missing', 'error', fs.node, 'This field selector has no "Field". Add one, e.g. "Field": "eventCategory".');
      return;
    }
    if (typeof fs.field !== 'string') {
      c.add('field-pattern', 'error', fs.fieldNode, 'Field must be a string such as "eventCategory" or "resources.type".');
      return;
    }
    let field = fs.field;
    if (!field.length || field.length > LIMITS.fieldLength || !FIELD_PATTERN.test(field)) {
      const near = field ? closestName(field.replace(/[^\w.]/g, ''), FIELD_NAMES) : undefined;
      c.add('field-pattern', 'error', fs.fieldNode,
        `Field names are 1–${LIMITS.fieldLength} letters, digits, \`.\` and \`_\` (no wildcards or spaces).${near ? ` Did you mean ${q(near)}?` : ''}`,
        near ? [{ title: `Change to ${near}`, edits: [replaceNode(fs.fieldNode, JSON.stringify(near))], preferred: true }] : undefined);
      if (!near) return;
      field = near;
    } else if (!FIELD_NAMES.includes(field)) {
      const near = closestName(field, FIELD_NAMES);
      if (near) {
        c.add('field-misspelt', 'error', fs.fieldNode, `Field names are case-sensitive: write ${q(near)}, not ${q(field)}.`,
          [{ title: `Change to ${near}`, edits: [replaceNode(fs.fieldNode, JSON.stringify(near))], preferred: true }]);
        field = near;
      } else {
        c.add('field-unknown', 'warning', fs.fieldNode,
          `${q(field)} is not a field CloudTrail is known to accept (known: ${FIELD_NAMES.join(', ')}). AWS will probably reject it; check the name.`);
        return;
      }
    }

    if (category) {
      const allowed = allowedFields(category, this.target);
      if (allowed && !allowed.includes(field)) {
        const where = this.target === 'trail' ? 'on a trail' : 'on an event data store';
        const msg = allowedOnOtherTarget(field, category, this.target)
          ? `${q(field)} is not allowed in ${category} selectors ${where}; only ${this.target === 'trail' ? 'event data stores' : 'trails'} accept it. Remove it${this.target === 'trail' ? ' or log to an event data store' : ''}.`
          : `${q(field)} cannot be used in ${category} selectors. Allowed here: ${allowed.join(', ')}.`;
        c.add('field-not-allowed', 'error', fs.fieldNode, msg);
      }
    }

    if (!fs.operators.length) {
      c.add('operator-missing', 'error', fs.fieldNode,
        `${q(field)} has no operator; CloudTrail rejects a field selector with only "Field". Add one, e.g. "${allowedOperators(field, category, this.target)[0]}": ["…"].`);
      return;
    }
    const allowedOps = allowedOperators(field, category, this.target);
    for (const op of fs.operators) {
      const opName = op.canonical as Operator;
      if (!op.valueNode || op.valueNode.type !== 'array') {
        c.add('not-array', 'error', op.valueNode ?? op.keyNode, `${opName} takes a list of strings, e.g. "${opName}": ["value"].`);
        continue;
      }
      if (!op.values.length) {
        // One diagnostic per empty list, whatever the operator: AWS's own get-event-selectors output is full of them.
        c.add('operator-empty', 'error', op.valueNode,
          `Empty ${opName} list: CloudTrail rejects operators without values. AWS's get-event-selectors output contains such empty lists; remove them before sending the selectors back with put-event-selectors.`,
          this.removeEmptyListsFix());
        continue;
      }
      if (!allowedOps.includes(opName)) {
        let why = `${q(field)} accepts only ${allowedOps.join(', ')}.`;
        if (field === 'eventSource' && category === 'Management' && this.target === 'trail') {
          why = 'On trails, management-event eventSource accepts only NotEquals with kms.amazonaws.com and/or rdsdata.amazonaws.com (to drop KMS / RDS Data API events). To filter management events by other sources, use an event data store.';
        } else if (field === 'eventSource' && category === 'NetworkActivity') {
          why = 'Network activity eventSource accepts only Equals (one source per field selector).';
        }
        const fixes = this.wildcardFix(fs, op, allowedOps);
        c.add('operator-not-allowed', 'error', op.keyNode, `${opName} is not allowed here. ${why}`, fixes);
      }
      this.checkValues(sel, fs, field, category, opName, op);
    }
  }

  /**
   * Equals ["x*"] → StartsWith ["x"] (and NotEquals → NotStartsWith) when every value ends in wildcard
   * segments (only `*` and `/` after the first `*`): the prefix is the text before the first `*`, so the fix never keeps a `*`.
   */
  private wildcardFix(fs: FieldSelectorEntry, op: FieldSelectorEntry['operators'][number], allowedOps: readonly Operator[]): SelectorFix[] | undefined {
    const to = op.canonical === 'Equals' ? 'StartsWith' : op.canonical === 'NotEquals' ? 'NotStartsWith' : undefined;
    if (!to || !allowedOps.includes(to)) return undefined;
    if (!op.values.length || !op.values.every((v) => typeof v.value === 'string' && wildcardPrefix(v.value) !== undefined)) return undefined;
    if (fs.operators.some((o) => o.canonical === to)) return undefined;
    const edits: TextEdit[] = [replaceNode(op.keyNode, JSON.stringify(to))];
    for (const v of op.values) edits.push(replaceNode(v.node, JSON.stringify(wildcardPrefix(v.value as string)!)));
    return [{ title: `Use ${to} instead of a wildcard`, edits, preferred: true }];
  }

  /** StartsWith ["x*"] → ["x"], EndsWith ["*.x"] → [".x"] (and their Not… forms): drop the literal `*`s. */
  private literalStarFix(op: FieldSelectorEntry['operators'][number]): SelectorFix[] | undefined {
    const starts = op.canonical === 'StartsWith' || op.canonical === 'NotStartsWith';
    const ends = op.canonical === 'EndsWith' || op.canonical === 'NotEndsWith';
    if (!starts && !ends) return undefined;
    const edits: TextEdit[] = [];
    for (const v of op.values) {
      if (typeof v.value !== 'string' || !v.value.includes('*')) continue;
      const fixed = starts ? wildcardPrefix(v.value) : wildcardSuffix(v.value);
      if (fixed === undefined) return undefined;
      edits.push(replaceNode(v.node, JSON.stringify(fixed)));
    }
    return edits.length ? [{ title: 'Remove the `*`', edits, preferred: true }] : undefined;
  }

  private selectedType(sel: AdvancedSelectorEntry): string | undefined {
    const t = sel.fieldSelectors.find((f) => f.field === 'resources.type');
    const v = t?.operators.find((o) => o.canonical === 'Equals')?.values;
    return v && v.length === 1 && typeof v[0].value === 'string' ? v[0].value : undefined;
  }

  private checkValues(sel: AdvancedSelectorEntry, fs: FieldSelectorEntry, field: string, category: string | undefined, opName: Operator, op: FieldSelectorEntry['operators'][number]): void {
    const { c } = this;
    const exact = opName === 'Equals' || opName === 'NotEquals';
    let wildcardReported = false;
    op.values.forEach((entry, i) => {
      const node = entry.node;
      if (typeof entry.value !== 'string') {
        c.add('value-not-string', 'error', node, `Values are strings: write ${JSON.stringify(String(entry.value))} with quotes.`,
          entry.value !== null && typeof entry.value !== 'object' ? [{ title: 'Quote the value', edits: [replaceNode(node, JSON.stringify(String(entry.value)))], preferred: true }] : undefined);
        return;
      }
      const value = entry.value;
      if (!value.length) {
        c.add('value-empty', 'error', node, 'Values cannot be empty strings. Enter a value or remove it.');
        return;
      }
      if (value.length > LIMITS.valueLength) {
        c.add('value-too-long', 'error', node, `This value has ${value.length} characters; the limit is ${LIMITS.valueLength}. Use StartsWith with a shorter prefix.`);
      }
      if (value.includes('*') && !wildcardReported && field !== 'eventCategory' && field !== 'readOnly') {
        wildcardReported = true;
        const fixes = exact ? this.wildcardFix(fs, op, allowedOperators(field, category, this.target)) : this.literalStarFix(op);
        const prefix = wildcardPrefix(value);
        const strict = field === 'resources.ARN' || field === 'resources.type';
        const to = opName.startsWith('Not') ? 'NotStartsWith' : 'StartsWith';
        c.add('wildcard', exact && strict ? 'error' : 'warning', node,
          exact
            ? `\`*\` is not a wildcard in selectors; ${opName} compares the whole text, so ${JSON.stringify(value)} ${strict ? 'is rejected' : 'only matches a literal *'}. Use ${to}${prefix !== undefined ? ` ${JSON.stringify(prefix)}` : ''} for prefixes.`
            : `\`*\` is not a wildcard in selectors: ${opName} matches it literally. Remove the \`*\`; ${opName} already matches ${opName.includes('Starts') ? 'any ending' : 'any beginning'}.`,
          fixes);
      }
      switch (field) {
        case 'eventCategory':
          if (opName !== 'Equals' && !ALL_CATEGORIES.includes(value)) {
            c.add('value-invalid', 'error', node, `${q(value)} is not an event category.`);
          }
          break;
        case 'readOnly':
        case 'sessionCredentialFromConsole':
          if (!BOOLEAN_STRINGS.includes(value)) {
            const lower = value.toLowerCase();
            c.add('value-invalid', 'error', node, `${field} takes "true" or "false" (lower case); omit it to log both.`,
              BOOLEAN_STRINGS.includes(lower) ? [{ title: `Change to "${lower}"`, edits: [replaceNode(node, JSON.stringify(lower))], preferred: true }] : undefined);
          }
          break;
        case 'errorCode':
          if (!ERROR_CODES.includes(value)) {
            c.add('value-invalid', 'error', node, 'errorCode accepts only "VpceAccessDenied" (network activity calls denied by a VPC endpoint policy).',
              value.toLowerCase() === 'vpceaccessdenied' || value.toLowerCase() === 'accessdenied' ? [{ title: 'Change to "VpceAccessDenied"', edits: [replaceNode(node, '"VpceAccessDenied"')], preferred: true }] : undefined);
          }
          break;
        case 'eventType':
          if (exact && !EVENT_TYPES.includes(value)) {
            const near = closestName(value, EVENT_TYPES);
            if (near && near.toLowerCase() === value.toLowerCase()) {
              c.add('value-invalid', 'error', node, `eventType values are case-sensitive: write ${q(near)}.`,
                [{ title: `Change to ${near}`, edits: [replaceNode(node, JSON.stringify(near))], preferred: true }]);
            } else {
              c.add('value-unknown', 'warning', node, `${q(value)} is not a known eventType (${EVENT_TYPES.join(', ')}); it will match nothing unless AWS added it.`);
            }
          }
          break;
        case 'resources.type':
          this.checkResourceType(node, value, opName, i);
          break;
        case 'resources.ARN':
          this.checkArn(sel, node, value, opName);
          break;
        case 'eventSource':
          this.checkEventSource(node, value, opName, category, i);
          break;
        case 'eventName':
          if (/^[a-z0-9-]+:[A-Za-z]/.test(value)) {
            const bare = value.slice(value.indexOf(':') + 1);
            c.add('value-unknown', 'warning', node, `eventName is the bare API name as in the record (${q(bare)}), not the IAM action ${q(value)}.`,
              [{ title: `Change to ${bare}`, edits: [replaceNode(node, JSON.stringify(bare))], preferred: true }]);
          }
          break;
        case 'userIdentity.arn':
          if (exact && !value.startsWith('arn:')) {
            c.add('value-unknown', 'warning', node, 'userIdentity.arn values are ARNs such as arn:aws:iam::123456789012:user/alice; this one will never match.');
          }
          break;
        case 'vpcEndpointId':
          if (exact && !value.startsWith('vpce-')) {
            c.add('value-unknown', 'warning', node, 'VPC endpoint IDs look like vpce-0123456789abcdef0; this value will never match.');
          }
          break;
      }
    });
  }

  private checkResourceType(node: Node, value: string, opName: Operator, i: number): void {
    const { c } = this;
    if (opName === 'Equals' && i === 1) {
      c.add('resources-type-multiple', 'warning', node, 'Give one resources.type per selector; put other types in their own selectors.');
    }
    if (resourceTypeInfo(value)) return;
    if (value === 'AWS::QApps:QApp') {
      c.add('value-invalid', 'error', node, 'The 2024 API model spelt this with one colon; the resource type is `AWS::QApps::QApp`.',
        [{ title: 'Change to AWS::QApps::QApp', edits: [replaceNode(node, '"AWS::QApps::QApp"')], preferred: true }]);
      return;
    }
    const near = closestName(value, RESOURCE_TYPE_NAMES);
    if (near && near.toLowerCase() === value.toLowerCase()) {
      c.add('value-invalid', 'error', node, `Resource types are case-sensitive: write ${q(near)}.`,
        [{ title: `Change to ${near}`, edits: [replaceNode(node, JSON.stringify(near))], preferred: true }]);
    } else if (likelyDataType(value)) {
      const meant = likelyDataType(value)!;
      c.add('value-unknown', 'warning', node,
        `${q(value)} is not a resource type that data events are logged for${NON_DATA_TYPES[value] ? ' (its API calls are management events)' : ''}. Did you mean ${q(meant)}?`,
        [{ title: `Change to ${meant}`, edits: [replaceNode(node, JSON.stringify(meant))], preferred: true }]);
    } else if (/^AWS::[A-Za-z0-9]+::[A-Za-z0-9]+$/.test(value)) {
      c.add('value-unknown', 'warning', node,
        `${q(value)} is not in our list of ${RESOURCE_TYPE_NAMES.length} known resource types. AWS adds types often, so it may be new — check the CloudTrail data events table.${near ? ` Did you mean ${q(near)}?` : ''}`,
        near ? [{ title: `Change to ${near}`, edits: [replaceNode(node, JSON.stringify(near))] }] : undefined);
    } else {
      c.add('value-invalid', 'error', node, `Resource types look like AWS::Service::Type (e.g. AWS::S3::Object); ${q(value)} does not.${near ? ` Did you mean ${q(near)}?` : ''}`,
        near ? [{ title: `Change to ${near}`, edits: [replaceNode(node, JSON.stringify(near))], preferred: true }] : undefined);
    }
  }

  private checkArn(sel: AdvancedSelectorEntry, node: Node, value: string, opName: Operator): void {
    const { c } = this;
    const type = this.selectedType(sel);
    if (type && TYPES_WITHOUT_ARN.includes(type)) {
      c.add('arn-not-supported', 'error', node, `${type} resources have no ARN, so resources.ARN cannot be used with it. Remove this field selector.`);
      return;
    }
    if (value.includes('*')) return;
    // S3 object ARNs: a bucket without its trailing "/".
    if ((type === 'AWS::S3::Object' || type === undefined) && /^arn:[a-z-]+:s3:::[^/]+$/.test(value) && opName !== 'EndsWith' && opName !== 'NotEndsWith') {
      const exact = opName === 'Equals' || opName === 'NotEquals';
      c.add('s3-arn-slash', exact ? 'error' : 'warning', node,
        exact
          ? `Object ARNs have a "/" after the bucket name: ${JSON.stringify(value + '/')}. (To log every object in the bucket use StartsWith with that value.)`
          : `Add "/" after the bucket name: without it, ${JSON.stringify(value)} also matches buckets whose names merely begin with it (e.g. ${JSON.stringify(value + '-logs')}).`,
        [{ title: 'Add the trailing "/"', edits: [replaceNode(node, JSON.stringify(value + '/'))], preferred: true }]);
      return;
    }
    if (opName !== 'Equals' && opName !== 'NotEquals') return;
    // The exact ARN of one object (arn:aws:s3:::bucket/key) is accepted by AWS (user guide, Terraform tests).
    if ((type === 'AWS::S3::Object' || type === 'AWS::S3Express::Object') && /^arn:[a-z-]+:s3(express)?:[^:]*:[^:]*:[^/]+\/./.test(value)) return;
    if (!value.startsWith('arn:')) {
      c.add('arn-format', 'error', node, `With ${opName}, resources.ARN values are full ARNs (arn:partition:service:…). For partial matches use StartsWith or EndsWith.`);
      return;
    }
    const formats = type ? resourceTypeInfo(type)?.arnFormats ?? [] : [];
    if (!formats.length) return;
    if (formats.some((f) => arnFormatRegExp(f).test(value))) return;
    const service = value.split(':')[2];
    const expectedServices = formats.map((f) => f.split(':')[2]);
    const expected = formats.map((f) => q(f)).join(' or ');
    if (!expectedServices.includes(service)) {
      c.add('arn-format', 'error', node, `This is not an ARN of ${withArticle(type ?? "the selected")} resource (service ${q(service)}); expected ${expected}.`);
    } else {
      c.add('arn-format', 'warning', node, `${opName} needs the exact ARN of ${withArticle(type ?? "the selected")} resource, in the format ${expected}. Check the value, or use StartsWith for a prefix.`);
    }
  }

  private checkEventSource(node: Node, value: string, opName: Operator, category: string | undefined, i: number): void {
    const { c } = this;
    if (category === 'Management' && this.target === 'trail') {
      if (!TRAIL_MANAGEMENT_EXCLUDABLE_SOURCES.includes(value)) {
        c.add('value-invalid', 'error', node, 'On trails, management selectors can only exclude kms.amazonaws.com and rdsdata.amazonaws.com. Use an event data store to filter other sources.');
      }
      return;
    }
    if (category === 'NetworkActivity') {
      if (opName === 'Equals' && i > 0) {
        c.add('event-source-multiple', 'error', node, 'Network activity selectors take one eventSource each. Move this source to its own selector.');
      }
      if (NETWORK_SOURCES.includes(value)) return;
      if (/^[a-z0-9-]+(\.[a-z0-9-]+)*\.amazonaws\.com$/.test(value)) {
        c.add('value-unknown', 'warning', node, `${q(value)} is not a network activity source we know. AWS keeps adding services; check that it supports network activity events.`);
      } else {
        c.add('value-invalid', 'error', node, `Network activity event sources are service endpoints such as kms.amazonaws.com; ${q(value)} is not one.`);
      }
      return;
    }
    if ((opName === 'Equals' || opName === 'NotEquals') && !/\.amazonaws\.com$/.test(value)) {
      c.add('value-unknown', 'warning', node, `Event sources look like s3.amazonaws.com; ${q(value)} will match nothing.`);
    }
  }

  private checkContradictions(sel: AdvancedSelectorEntry): void {
    const byField = new Map<string, FieldSelectorEntry[]>();
    for (const fs of sel.fieldSelectors) {
      if (!fs.field) continue;
      const list = byField.get(fs.field) ?? [];
      list.push(fs);
      byField.set(fs.field, list);
    }
    for (const [field, list] of byField) {
      const neg = { NotEquals: [] as string[], NotStartsWith: [] as string[], NotEndsWith: [] as string[] };
      for (const fs of list) for (const op of fs.operators) {
        if (op.canonical && op.canonical in neg) {
          for (const v of op.values) if (typeof v.value === 'string' && v.value) neg[op.canonical as keyof typeof neg].push(v.value);
        }
      }
      for (const fs of list) for (const op of fs.operators) {
        for (const v of op.values) {
          if (typeof v.value !== 'string' || !v.value) continue;
          const val = v.value;
          let by: string | undefined;
          if (op.canonical === 'Equals') {
            if (neg.NotEquals.includes(val)) by = `NotEquals ${JSON.stringify(val)}`;
            else {
              const p = neg.NotStartsWith.find((x) => val.startsWith(x));
              const s = neg.NotEndsWith.find((x) => val.endsWith(x));
              if (p !== undefined) by = `NotStartsWith ${JSON.stringify(p)}`;
              else if (s !== undefined) by = `NotEndsWith ${JSON.stringify(s)}`;
            }
          } else if (op.canonical === 'StartsWith') {
            const p = neg.NotStartsWith.find((x) => val.startsWith(x));
            if (p !== undefined) by = `NotStartsWith ${JSON.stringify(p)}`;
          } else if (op.canonical === 'EndsWith') {
            const s = neg.NotEndsWith.find((x) => val.endsWith(x));
            if (s !== undefined) by = `NotEndsWith ${JSON.stringify(s)}`;
          }
          if (by) {
            this.c.add('contradiction', 'warning', v.node,
              `${field} ${op.canonical} ${JSON.stringify(val)} is cancelled by ${by} in the same selector, so it can never log anything. Remove one of the two.`);
          }
        }
      }
      // Two Equals lists on the same single-valued field with nothing in common.
      if (!field.startsWith('resources.')) {
        const equalsLists = list.map((fs) => fs.operators.find((o) => o.canonical === 'Equals')).filter((o) => !!o);
        for (let i = 1; i < equalsLists.length; i++) {
          const a = new Set(equalsLists[0]!.values.map((v) => v.value));
          const b = equalsLists[i]!.values.map((v) => v.value);
          if (b.length && a.size && !b.some((x) => a.has(x))) {
            this.c.add('contradiction', 'warning', equalsLists[i]!.keyNode,
              `${field} must equal one of two lists with no value in common, so this selector never matches. Merge them into one list.`);
          }
        }
      }
    }
  }

  /** The partition the document's ARNs use (aws unless they say aws-cn, aws-us-gov, …). */
  private partition(): string {
    return /"arn:(aws[a-z-]*):/.exec(this.text)?.[1] ?? 'aws';
  }

  private loopEvents(bucket: string): Record<string, unknown>[] {
    const prefix = this.logPrefix ? this.logPrefix.replace(/\/+$/, '') + '/' : '';
    return [this.partition()].map((partition) => ({
      eventCategory: 'Data',
      managementEvent: false,
      readOnly: false,
      eventName: 'PutObject',
      eventSource: 's3.amazonaws.com',
      eventType: 'AwsApiCall',
      userIdentity: { type: 'AWSService', invokedBy: 'cloudtrail.amazonaws.com' },
      resources: [
        { type: 'AWS::S3::Object', ARN: `arn:${partition}:s3:::${bucket}/${prefix}AWSLogs/123456789012/CloudTrail/us-east-1/2024/01/01/log.json.gz` },
        { type: 'AWS::S3::Bucket', ARN: `arn:${partition}:s3:::${bucket}` },
      ],
    }));
  }

  private checkLogBucket(sel: AdvancedSelectorEntry): void {
    const bucket = this.logBucket!;
    const plain = selectorFromEntry(sel);
    if (!this.loopEvents(bucket).some((e) => matchSelector(plain, e))) return;
    const excl = fsJson('resources.ARN', 'NotStartsWith', [`arn:${this.partition()}:s3:::${bucket}/`]);
    const e = this.insertFs(sel, excl, sel.fieldSelectors.length - 1);
    this.c.add('log-bucket-loop', 'warning', selectorAnchor(sel),
      `This selector logs writes to ${q(bucket)}, the trail's own log bucket: every log file CloudTrail delivers is logged again, which loops and adds cost. Exclude it with ${excl}.`,
      e ? [{ title: `Exclude the log bucket ${bucket}`, edits: [e], preferred: true }] : undefined);
  }

  // ---------- basic selectors ----------

  private checkBasicList(): void {
    const { c } = this;
    const arr = this.doc.basicArray!;
    if (arr.type !== 'array') return;
    const items = arr.children ?? [];
    if (items.length > LIMITS.basicSelectors) {
      c.add('basic-selector-count', 'error', items[LIMITS.basicSelectors],
        `A trail takes 1–${LIMITS.basicSelectors} basic event selectors; this is number ${LIMITS.basicSelectors + 1}. Merge them or convert to advanced selectors.`,
        this.convertFixes());
    }
    let dataResources = 0;
    let reportedCount = false;
    for (const item of items) {
      if (item.type !== 'object') {
        c.add('selector-not-object', 'error', item, 'Each basic event selector is an object such as {"ReadWriteType": "All", "IncludeManagementEvents": true}.');
        continue;
      }
      const props = propertyEntries(item);
      const known = ['ReadWriteType', 'IncludeManagementEvents', 'DataResources', 'ExcludeManagementEventSources'];
      const keys = props.map((p) => {
        const canonical = known.includes(p.key) ? p.key : closestName(p.key, known);
        return { ...p, canonical };
      });
      this.keyProblems(keys.filter((k) => k.key !== k.canonical), 'basic selectors have ReadWriteType, IncludeManagementEvents, DataResources and ExcludeManagementEventSources');
      let rw: string | undefined;
      for (const p of keys) {
        const v = p.valueNode;
        if (!v) continue;
        if (p.canonical === 'ReadWriteType') {
          if (typeof v.value !== 'string' || !READ_WRITE_TYPES.includes(v.value)) {
            const near = typeof v.value === 'string' ? closestName(v.value.replace(/[-_ ]/g, ''), READ_WRITE_TYPES) : undefined;
            c.add('basic-read-write-type', 'error', v, 'ReadWriteType is "ReadOnly", "WriteOnly" or "All".',
              near ? [{ title: `Change to ${near}`, edits: [replaceNode(v, JSON.stringify(near))], preferred: true }] : undefined);
          } else rw = v.value;
        } else if (p.canonical === 'IncludeManagementEvents') {
          if (typeof v.value !== 'boolean') {
            const b = String(v.value).toLowerCase();
            c.add('basic-value', 'error', v, 'IncludeManagementEvents is a JSON boolean: true or false, without quotes.',
              b === 'true' || b === 'false' ? [{ title: `Change to ${b}`, edits: [replaceNode(v, b)], preferred: true }] : undefined);
          }
        } else if (p.canonical === 'ExcludeManagementEventSources') {
          if (v.type !== 'array') c.add('not-array', 'error', v, 'ExcludeManagementEventSources is a list of strings.');
          else for (const s of v.children ?? []) {
            if (typeof s.value !== 'string' || !TRAIL_MANAGEMENT_EXCLUDABLE_SOURCES.includes(s.value)) {
              c.add('basic-exclude-source', 'error', s, 'Only kms.amazonaws.com and rdsdata.amazonaws.com can be excluded from management events.');
            }
          }
        } else if (p.canonical === 'DataResources') {
          if (v.type !== 'array') {
            c.add('not-array', 'error', v, 'DataResources is a list of {"Type": "…", "Values": ["…"]} objects.');
            continue;
          }
          for (const dr of v.children ?? []) {
            if (dr.type !== 'object') {
              c.add('selector-not-object', 'error', dr, 'Each data resource is {"Type": "AWS::S3::Object", "Values": ["arn:aws:s3:::bucket/"]}.');
              continue;
            }
            const drProps = propertyEntries(dr);
            const typeNode = drProps.find((x) => x.key === 'Type')?.valueNode;
            const valuesNode = drProps.find((x) => x.key === 'Values')?.valueNode;
            const badKeys = drProps.filter((x) => x.key !== 'Type' && x.key !== 'Values')
              .map((x) => ({ key: x.key, keyNode: x.keyNode, canonical: closestName(x.key, ['Type', 'Values']) }));
            this.keyProblems(badKeys, 'a data resource has Type and Values');
            const type = typeof typeNode?.value === 'string' ? typeNode.value : undefined;
            if (typeNode && (!type || !BASIC_RESOURCE_TYPES.includes(type))) {
              c.add('basic-resource-type', 'error', typeNode,
                `Basic selectors support only ${BASIC_RESOURCE_TYPES.join(', ')}. Use advanced selectors for ${type ? q(type) : 'other types'}.`,
                this.convertFixes());
            }
            const values = valuesNode?.type === 'array' ? valuesNode.children ?? [] : [];
            if (!values.length) {
              c.add('basic-values-empty', 'error', valuesNode ?? dr, 'Values needs 1–250 ARNs or prefixes (e.g. "arn:aws:s3" for every bucket). Remove the data resource to log none.');
            }
            for (const val of values) {
              if (typeof val.value !== 'string') {
                c.add('value-not-string', 'error', val, 'Values are strings.');
                continue;
              }
              const s = val.value;
              const isAll = /^arn:[a-z-]+:[a-z0-9-]+:?$/.test(s);
              if (!isAll) dataResources++;
              if (dataResources > LIMITS.basicDataResources && !reportedCount) {
                reportedCount = true;
                c.add('basic-data-resource-count', 'error', val,
                  `Basic selectors allow ${LIMITS.basicDataResources} data resources in total; this is number ${LIMITS.basicDataResources + 1}. Use a prefix, or convert to advanced selectors with StartsWith.`,
                  this.convertFixes());
              }
              if (s.includes('*')) {
                // Text before the first `*`; "arn:aws:s3:::" (every bucket) is written "arn:aws:s3".
                const fixed = s.slice(0, s.indexOf('*'));
                const better = /^arn:[a-z-]+:[a-z0-9-]+:*$/.test(fixed) ? fixed.replace(/:+$/, '') : fixed;
                c.add('wildcard', 'error', val,
                  `\`*\` is not allowed in data resource values (CloudTrail answers "Value … for DataResources.Values is invalid"). Use a prefix: ${JSON.stringify(better)}.`,
                  better && !better.includes('*') ? [{ title: `Change to ${better}`, edits: [replaceNode(val, JSON.stringify(better))], preferred: true }] : undefined);
              } else if (type === 'AWS::S3::Object' && /^arn:[a-z-]+:s3:::[^/]+$/.test(s)) {
                c.add('s3-arn-slash', 'warning', val,
                  `Add "/" after the bucket name; without it the prefix also matches other buckets whose names begin with ${JSON.stringify(s.split(':::')[1])}.`,
                  [{ title: 'Add the trailing "/"', edits: [replaceNode(val, JSON.stringify(s + '/'))], preferred: true }]);
              }
              if (this.logBucket && type === 'AWS::S3::Object' && rw !== 'ReadOnly') {
                const target = `arn:aws:s3:::${this.logBucket}/${this.logPrefix ? this.logPrefix.replace(/\/+$/, '') + '/' : ''}AWSLogs/`;
                if (isAll || target.startsWith(s)) {
                  c.add('log-bucket-loop', 'warning', val,
                    `This logs writes to ${q(this.logBucket)}, the trail's own log bucket: each delivered log file is logged again, which loops and adds cost. Narrow the prefix, or convert to advanced selectors and add NotStartsWith arn:aws:s3:::${this.logBucket}/.`);
                }
              }
            }
          }
        }
      }
    }
  }

  /** The basic selectors as plain objects (for conversion). */
  basicPlain(): BasicSelectorLike[] {
    const arr = this.doc.basicArray;
    if (!arr || arr.type !== 'array') return [];
    return (arr.children ?? []).map((n) => nodeToValue(n) as BasicSelectorLike).filter((x) => x && typeof x === 'object');
  }

  /** Quick fixes that turn the basic selectors into advanced ones. */
  convertFixes(): SelectorFix[] {
    const fix = convertBasicFix(this.text, this.options.fileName);
    return fix ? [fix] : [];
  }

  private mergeBasicFix(): SelectorFix[] {
    return this.convertFixes();
  }
}

/** Rebuilds a plain JS value from a jsonc-parser node (nodes keep only leaf values). */
export function nodeToValue(n: Node | undefined): unknown {
  if (!n) return undefined;
  switch (n.type) {
    case 'object': {
      const o: Record<string, unknown> = Object.create(null);
      for (const p of propertyEntries(n)) o[p.key] = nodeToValue(p.valueNode);
      return o;
    }
    case 'array':
      return (n.children ?? []).map(nodeToValue);
    default:
      return n.value;
  }
}

function formatJson(value: unknown, indent: string, baseIndent: string): string {
  const lines = JSON.stringify(value, null, indent).split('\n');
  return lines.map((l, i) => (i === 0 ? l : baseIndent + l)).join('\n');
}

/**
 * The "convert basic selectors to advanced" fix: replaces the basic list (root array, or the
 * `EventSelectors` property) with the equivalent advanced selectors. When advanced selectors exist too, the
 * converted ones are appended to them and `EventSelectors` is removed (the whole document is rewritten).
 */
export function convertBasicFix(text: string, fileName?: string): SelectorFix | undefined {
  const doc = readSelectorDocument(text, fileName);
  const arr = doc.basicArray;
  if (!arr || arr.type !== 'array') return undefined;
  const basic = (arr.children ?? []).map((n) => nodeToValue(n) as BasicSelectorLike);
  const advanced = toAdvanced(basic);
  const indent = /\n( +|\t)"/.exec(text)?.[1] ?? '  ';
  const title = `Convert ${basic.length} basic selector${basic.length === 1 ? '' : 's'} to advanced selectors`;
  if (doc.root === arr) {
    return { title, edits: [{ offset: arr.offset, length: arr.length, newText: formatJson(advanced, indent, '') }] };
  }
  if (!doc.root || doc.root.type !== 'object' || !doc.basicKey) return undefined;
  if (doc.advancedArray) {
    const obj = nodeToValue(doc.root) as Record<string, unknown>;
    const existing = Array.isArray(obj[String(doc.advancedKey!.value)]) ? (obj[String(doc.advancedKey!.value)] as unknown[]) : [];
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) {
      if (k === doc.basicKey.value) continue;
      if (k === doc.advancedKey!.value) out.AdvancedEventSelectors = [...existing, ...advanced];
      else out[k] = v;
    }
    return { title: `Merge the basic selectors into AdvancedEventSelectors`, edits: [{ offset: doc.root.offset, length: doc.root.length, newText: formatJson(out, indent, '') }] };
  }
  const prop = doc.basicKey.parent!;
  const base = indentAt(text, prop.offset);
  return {
    title,
    edits: [{ offset: prop.offset, length: prop.length, newText: `"AdvancedEventSelectors": ${formatJson(advanced, indent, base)}` }],
  };
}

export function analyze(text: string, options: ValidateOptions = {}): Analysis {
  return new Validator(text, options).run();
}

/** Diagnostics for a document; empty for JSON that is not a selector document. */
export function validate(text: string, options: ValidateOptions = {}): SelectorDiagnostic[] {
  return analyze(text, options).diagnostics;
}

/** Applies non-overlapping edits (any order) to a text. */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.offset - a.offset);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.offset) + e.newText + out.slice(e.offset + e.length);
  return out;
}

/** The advanced selectors of a document as plain data (for the dry run and for apply). */
export function selectorsFromText(text: string, fileName?: string): { selectors: AdvancedSelectorLike[]; basic: boolean } {
  const doc = readSelectorDocument(text, fileName ?? 'x' + '.selectors.json');
  if (doc.advanced.length) return { selectors: doc.advanced.map(selectorFromEntry), basic: false };
  if (doc.basicArray?.type === 'array') {
    const basic = (doc.basicArray.children ?? []).map((n) => nodeToValue(n) as BasicSelectorLike);
    return { selectors: toAdvanced(basic), basic: true };
  }
  return { selectors: [], basic: false };
}
