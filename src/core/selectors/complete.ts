/**
 * Completion and hover for selector documents: field names, operators and values that fit the selector's
 * eventCategory and the target, ARN templates per resource type, and context-aware snippets (offered where
 * a selector, a field selector or a whole document can go — never as global JSON snippets).
 */
import { escapeUserText } from '../userText';
import { getLocation, type JSONPath, type Node } from 'jsonc-parser';
import {
  ALL_CATEGORIES, BASIC_RESOURCE_TYPES, BOOLEAN_STRINGS, CATEGORY_DOCS, ERROR_CODES, EVENT_NAMES_BY_SOURCE,
  EVENT_NAMES_BY_TYPE, EVENT_TYPES, FIELDS, FIELD_NAMES, NETWORK_SOURCES, NETWORK_SOURCES_VERIFIED, OPERATORS,
  OPERATOR_DOCS, READ_WRITE_TYPES, RESOURCE_TYPES, TRAIL_CATEGORIES, TRAIL_MANAGEMENT_EXCLUDABLE_SOURCES,
  TYPES_WITHOUT_ARN, allowedFields, allowedOperators, isOperator, resourceTypeInfo, type Target,
} from './catalogue';
import { readSelectorDocument, type AdvancedSelectorEntry, type SelectorDocument } from './document';
import type { ValidateOptions } from './types';

export type CompletionKind = 'field' | 'operator' | 'value' | 'snippet' | 'property' | 'resourceType';

export interface SelectorCompletion {
  label: string;
  kind: CompletionKind;
  detail?: string;
  /** Markdown. */
  documentation?: string;
  /** Text to insert; a VS Code snippet when `snippet` is true. */
  insertText: string;
  snippet: boolean;
  /** What the item replaces (the current string token, or an empty range at the cursor). */
  range: { offset: number; length: number };
  filterText?: string;
  sortText?: string;
}

export interface SelectorHover {
  markdown: string;
  offset: number;
  length: number;
}

interface Ctx {
  doc: SelectorDocument;
  target: Target;
  /** The path inside the advanced selector list (starts at the selector index), or undefined. */
  selPath?: JSONPath;
  basicPath?: JSONPath;
  rootPath: JSONPath;
}

function resolveTarget(doc: SelectorDocument, options: ValidateOptions): Target {
  return doc.detected?.target ?? options.target ?? 'trail';
}

function splitPath(doc: SelectorDocument, path: JSONPath): Pick<Ctx, 'selPath' | 'basicPath'> {
  if (doc.root?.type === 'array' || !doc.root) {
    return doc.detected?.kind === 'basic-array' ? { basicPath: path } : { selPath: path };
  }
  const first = typeof path[0] === 'string' ? path[0].toLowerCase() : '';
  if (first === 'advancedeventselectors') return { selPath: path.slice(1) };
  if (first === 'eventselectors') return { basicPath: path.slice(1) };
  return {};
}

const esc = (s: string) => s.replace(/[$}\\]/g, '\\$&');
const choice = (n: number, values: readonly string[]) => `\${${n}|${values.map((v) => v.replace(/[,|$}\\]/g, '\\$&')).join(',')}|}`;

/** `<bucket_name>` → `${1:bucket_name}`, `<partition>` → `${n:aws}`. */
export function arnSnippet(format: string, start = 1): string {
  let n = start;
  return format
    .split(/(<[^>]+>)/)
    .map((p) => (p.startsWith('<') && p.endsWith('>') ? `\${${n++}:${esc(p === '<partition>' ? 'aws' : p.slice(1, -1))}}` : esc(p)))
    .join('');
}

function significantBefore(text: string, offset: number): string {
  let i = offset - 1;
  while (i >= 0 && /\s/.test(text[i])) i--;
  return i >= 0 ? text[i] : '';
}
function significantAfter(text: string, offset: number): string {
  let i = offset;
  while (i < text.length && /\s/.test(text[i])) i++;
  return i < text.length ? text[i] : '';
}

/** Adds the commas an element inserted into a list needs on either side. */
export function withCommas(text: string, range: { offset: number; length: number }, body: string): string {
  const before = significantBefore(text, range.offset);
  const after = significantAfter(text, range.offset + range.length);
  let out = body;
  if (before === '}' || before === ']' || before === '"') out = ',' + out;
  if (after === '{' || after === '"' || after === '[') out = out + ',';
  return out;
}

// ---------- snippets ----------

interface SnippetDef {
  label: string;
  detail: string;
  body: string;
}

const COMMON_TYPES = [
  'AWS::S3::Object', 'AWS::Lambda::Function', 'AWS::DynamoDB::Table', 'AWS::SNS::Topic', 'AWS::SQS::Queue',
  'AWS::S3Express::Object', 'AWS::S3::AccessPoint', 'AWS::Bedrock::Model', 'AWS::EC2::Snapshot', 'AWS::Glue::Table',
];

function fsLine(field: string, op: string, value: string): string {
  return `\t\t{ "Field": "${field}", "${op}": [${value}] }`;
}

export interface FieldSelectorSpec {
  field: string;
  op: string;
  /** The inside of a JSON list: `"a", "b"` (may hold snippet placeholders). */
  values: string;
}
export interface SelectorSpec {
  name: string;
  fieldSelectors: FieldSelectorSpec[];
}
export interface SelectorSnippetSpec {
  label: string;
  detail: string;
  selectors: SelectorSpec[];
}
const fsSpec = (field: string, op: string, values: string): FieldSelectorSpec => ({ field, op, values });
const spec = (name: string, fieldSelectors: FieldSelectorSpec[]): SelectorSpec => ({ name, fieldSelectors });

function selectorSnippet(name: string, lines: string[]): string {
  return `{\n\t"Name": "${name}",\n\t"FieldSelectors": [\n${lines.join(',\n')}\n\t]\n}`;
}

/**
 * The selector snippets, format-neutral: each selector is a name and [field, operator, values] triples, the values
 * written as the inside of a JSON list (`"a", "b"`, with snippet placeholders). Rendered as JSON here and as
 * CloudFormation YAML/JSON and Terraform blocks by templateSnippets.ts.
 */
export function selectorSnippetSpecs(target: Target): SelectorSnippetSpec[] {
  const out: SelectorSnippetSpec[] = [
    {
      label: 'Log all data events of a type',
      detail: 'Data events for every resource of one resources.type',
      selectors: [spec('Log all ${1:data} events', [
        fsSpec('eventCategory', 'Equals', '"Data"'),
        fsSpec('resources.type', 'Equals', `"${choice(2, COMMON_TYPES)}"`),
      ])],
    },
    {
      label: 'S3 writes for one bucket',
      detail: 'Write data events (PutObject, DeleteObject, …) on the objects of one bucket',
      selectors: [spec('S3 writes in ${1:bucket-name}', [
        fsSpec('eventCategory', 'Equals', '"Data"'),
        fsSpec('resources.type', 'Equals', '"AWS::S3::Object"'),
        fsSpec('readOnly', 'Equals', '"false"'),
        fsSpec('resources.ARN', 'StartsWith', '"arn:aws:s3:::${1:bucket-name}/"'),
      ])],
    },
    {
      label: 'Management events without KMS and RDS Data API',
      detail: 'All management events except the noisy kms.amazonaws.com and rdsdata.amazonaws.com ones',
      selectors: [spec('Management events without KMS and RDS Data API', [
        fsSpec('eventCategory', 'Equals', '"Management"'),
        fsSpec('eventSource', 'NotEquals', '"kms.amazonaws.com", "rdsdata.amazonaws.com"'),
      ])],
    },
    {
      label: 'Network activity denied at VPC endpoints',
      detail: 'Calls a VPC endpoint policy denied (errorCode VpceAccessDenied) for one service',
      selectors: [spec('Denied ${1|' + NETWORK_SOURCES_VERIFIED.join(',') + '|} calls at VPC endpoints', [
        fsSpec('eventCategory', 'Equals', '"NetworkActivity"'),
        fsSpec('eventSource', 'Equals', '"$1"'),
        fsSpec('errorCode', 'Equals', '"VpceAccessDenied"'),
      ])],
    },
    {
      label: 'Lambda invocations of one function',
      detail: 'Invoke data events of a single Lambda function',
      selectors: [spec('Invocations of ${3:my-function}', [
        fsSpec('eventCategory', 'Equals', '"Data"'),
        fsSpec('resources.type', 'Equals', '"AWS::Lambda::Function"'),
        fsSpec('eventName', 'Equals', '"Invoke"'),
        fsSpec('resources.ARN', 'Equals', '"arn:aws:lambda:${1:us-east-1}:${2:123456789012}:function:${3:my-function}"'),
      ])],
    },
    {
      label: 'DynamoDB data events',
      detail: 'Item-level calls (GetItem, PutItem, Query, …) on DynamoDB tables',
      selectors: [spec('DynamoDB data events', [
        fsSpec('eventCategory', 'Equals', '"Data"'),
        fsSpec('resources.type', 'Equals', '"AWS::DynamoDB::Table"'),
      ])],
    },
    target === 'event-data-store'
      ? {
          label: 'Exclude AWS service events',
          detail: 'Management events except those AWS services emit (eventType AwsServiceEvent)',
          selectors: [spec('Management events without AWS service events', [
            fsSpec('eventCategory', 'Equals', '"Management"'),
            fsSpec('eventType', 'NotEquals', '"AwsServiceEvent"'),
          ])],
        }
      : {
          label: 'Exclude AWS service events',
          detail: 'Data events of a type except those AWS services emit (eventType AwsServiceEvent); trails allow eventType only on data events',
          selectors: [spec('${1:S3} data events without AWS service events', [
            fsSpec('eventCategory', 'Equals', '"Data"'),
            fsSpec('resources.type', 'Equals', `"${choice(2, COMMON_TYPES)}"`),
            fsSpec('eventType', 'NotEquals', '"AwsServiceEvent"'),
          ])],
        },
    {
      label: 'IoT thing data events',
      detail: 'AWS IoT Greengrass: log all AWS::IoT::Thing data events',
      selectors: [spec('Log all thing data events', [
        fsSpec('eventCategory', 'Equals', '"Data"'),
        fsSpec('resources.type', 'Equals', '"AWS::IoT::Thing"'),
      ])],
    },
    {
      label: 'IoT Greengrass PutCertificateAuthorities calls',
      detail: 'AWS IoT Greengrass: one data API on IoT things',
      selectors: [spec('Log IoT Greengrass PutCertificateAuthorities API calls', [
        fsSpec('eventCategory', 'Equals', '"Data"'),
        fsSpec('resources.type', 'Equals', '"AWS::IoT::Thing"'),
        fsSpec('eventName', 'Equals', '"PutCertificateAuthorities"'),
      ])],
    },
    {
      label: 'All Greengrass data events',
      detail: 'AWS IoT Greengrass V2: four selectors (certificates, component versions, deployments, things)',
      selectors: [
        ['Log all certificate data events', 'AWS::IoT::Certificate'],
        ['Log all component version data events', 'AWS::GreengrassV2::ComponentVersion'],
        ['Log all deployment data events', 'AWS::GreengrassV2::Deployment'],
        ['Log all thing data events', 'AWS::IoT::Thing'],
      ].map(([n, t]) => spec(n, [fsSpec('eventCategory', 'Equals', '"Data"'), fsSpec('resources.type', 'Equals', `"${t}"`)])),
    },
  ];
  return out;
}

/** One selector as a JSON object snippet (tab-indented). */
export function selectorJsonSnippet(sel: SelectorSpec): string {
  return selectorSnippet(sel.name, sel.fieldSelectors.map((f) => fsLine(f.field, f.op, f.values)));
}

function selectorSnippets(target: Target): SnippetDef[] {
  return selectorSnippetSpecs(target).map((s) => ({
    label: s.label, detail: s.detail,
    body: s.selectors.map(selectorJsonSnippet).join(',\n'),
  }));
}

function indentBody(body: string, by: string): string {
  return body.split('\n').map((l) => by + l).join('\n');
}

function documentSnippets(target: Target): SnippetDef[] {
  const sel = selectorSnippets(target);
  const mgmt = sel[2].body;
  const s3 = sel[1].body;
  return [
    {
      label: 'Advanced event selectors (array for --advanced-event-selectors)',
      detail: 'A list of selectors: management events without KMS/RDS Data, S3 writes for one bucket',
      body: `[\n${indentBody(mgmt, '\t')},\n${indentBody(s3, '\t')}\n]`,
    },
    {
      label: 'put-event-selectors document (--cli-input-json)',
      detail: 'TrailName plus AdvancedEventSelectors',
      body: `{\n\t"TrailName": "\${9:my-trail}",\n\t"AdvancedEventSelectors": [\n${indentBody(mgmt, '\t\t')}\n\t]\n}`,
    },
  ];
}

/** Field selector snippets (one per field allowed in the selector's category), format-neutral. */
export function fieldSelectorSpecs(category: string | undefined, target: Target, used: Set<string>): FieldSelectorSpec[] {
  const fields = category ? allowedFields(category, target) ?? ['eventCategory'] : ['eventCategory', ...FIELD_NAMES.filter((f) => f !== 'eventCategory')];
  const out: FieldSelectorSpec[] = [];
  for (const f of fields) {
    if ((f === 'eventCategory' || f === 'resources.type') && used.has(f)) continue;
    const op = allowedOperators(f, category, target)[0];
    const values = valueChoices(f, category, target);
    let value = '"$1"';
    if (values.length && values.length <= 12) value = `"${choice(1, values)}"`;
    if (f === 'resources.type') value = `"${choice(1, COMMON_TYPES)}"`;
    if (f === 'resources.ARN') value = '"arn:aws:s3:::${1:bucket-name}/"';
    const theOp = f === 'resources.ARN' ? 'StartsWith' : f === 'eventSource' && category === 'Management' && target === 'trail' ? 'NotEquals' : op;
    if (f === 'eventSource' && category === 'Management' && target === 'trail') value = '"kms.amazonaws.com", "rdsdata.amazonaws.com"';
    out.push(fsSpec(f, theOp, value));
  }
  return out;
}

function fieldSelectorSnippets(category: string | undefined, target: Target, used: Set<string>): SnippetDef[] {
  return fieldSelectorSpecs(category, target, used).map((f) => ({
    label: `{ "Field": "${f.field}", … }`,
    detail: `Field selector for ${f.field}`,
    body: `{ "Field": "${f.field}", "${f.op}": [${f.values}] }`,
  }));
}

function valueChoices(field: string, category: string | undefined, target: Target): string[] {
  switch (field) {
    case 'eventCategory':
      return target === 'trail' ? [...TRAIL_CATEGORIES] : [...ALL_CATEGORIES];
    case 'readOnly':
    case 'sessionCredentialFromConsole':
      return BOOLEAN_STRINGS;
    case 'errorCode':
      return ERROR_CODES;
    case 'eventType':
      return EVENT_TYPES;
    case 'eventSource':
      if (category === 'Management' && target === 'trail') return TRAIL_MANAGEMENT_EXCLUDABLE_SOURCES;
      if (category === 'NetworkActivity') return NETWORK_SOURCES_VERIFIED;
      return [];
    default:
      return [];
  }
}

// ---------- completion ----------

function selectorAt(doc: SelectorDocument, index: unknown): AdvancedSelectorEntry | undefined {
  return typeof index === 'number' ? doc.advanced.find((s) => s.index === index) : undefined;
}

function selectedType(sel: AdvancedSelectorEntry | undefined): string | undefined {
  const fs = sel?.fieldSelectors.find((f) => f.field === 'resources.type');
  const v = fs?.operators.find((o) => o.canonical === 'Equals')?.values[0]?.value;
  return typeof v === 'string' ? v : undefined;
}
function selectedSource(sel: AdvancedSelectorEntry | undefined): string | undefined {
  const fs = sel?.fieldSelectors.find((f) => f.field === 'eventSource');
  const v = fs?.operators.find((o) => o.canonical === 'Equals')?.values[0]?.value;
  return typeof v === 'string' ? v : undefined;
}

/** The range to replace: the string token under the cursor, else an empty range at the cursor. */
function tokenRange(node: Node | undefined, offset: number): { offset: number; length: number } {
  if (node && (node.type === 'string' || node.type === 'property' || node.type === 'number' || node.type === 'boolean' || node.type === 'null')
    && offset >= node.offset && offset <= node.offset + node.length) {
    return { offset: node.offset, length: node.length };
  }
  return { offset, length: 0 };
}

export function complete(text: string, offset: number, options: ValidateOptions = {}): SelectorCompletion[] {
  const doc = readSelectorDocument(text, options.fileName);
  if (!doc.detected) return [];
  const target = resolveTarget(doc, options);
  if (!doc.root || text.trim() === '') {
    return documentSnippets(target).map((s, i) => ({
      label: s.label, kind: 'snippet', detail: s.detail, insertText: s.body, snippet: true,
      range: { offset, length: 0 }, sortText: `0${i}`,
    }));
  }
  const loc = getLocation(text, offset);
  const range = tokenRange(loc.previousNode, offset);
  const { selPath, basicPath } = splitPath(doc, loc.path);
  const out: SelectorCompletion[] = [];
  const quoted = (label: string, kind: CompletionKind, detail?: string, documentation?: string, sortText?: string): SelectorCompletion => ({
    label, kind, detail, documentation, insertText: JSON.stringify(label), snippet: false, range,
    filterText: JSON.stringify(label), sortText,
  });

  // Keys of the root object.
  if (doc.root.type === 'object' && loc.path.length === 1 && loc.isAtPropertyKey) {
    const present = new Set(doc.rootProps.keys());
    for (const [k, d] of [['AdvancedEventSelectors', 'The advanced selectors (array).'], ['TrailName', 'Trail name or ARN (PutEventSelectors).']]) {
      if (!present.has(k) || loc.previousNode?.value === k) out.push(keyItem(text, k, d, loc.previousNode, offset, k === 'TrailName' ? '"$1"' : '[\n\t$0\n]'));
    }
    return out;
  }

  if (basicPath) return completeBasic(text, basicPath, loc.isAtPropertyKey, range, quoted);
  if (!selPath) return out;

  // Where a selector can go.
  if (selPath.length === 1 && typeof selPath[0] === 'number' && !loc.isAtPropertyKey && !(loc.previousNode && (loc.previousNode.type === 'string' || loc.previousNode.type === 'property'))) {
    const element = selectorAt(doc, selPath[0]);
    const inside = element && offset > element.node.offset && offset < element.node.offset + element.node.length;
    if (!inside) {
      selectorSnippets(target).forEach((s, i) => out.push({
        label: s.label, kind: 'snippet', detail: s.detail, insertText: withCommas(text, range, s.body), snippet: true, range, sortText: `0${String(i).padStart(2, '0')}`,
      }));
      return out;
    }
  }
  const sel = selectorAt(doc, selPath[0]);
  const category = sel?.categories[0];

  // Keys of a selector.
  if (selPath.length === 2 && loc.isAtPropertyKey) {
    const has = new Set(sel?.fieldSelectorsNode ? ['FieldSelectors'] : []);
    if (sel?.nameNode) has.add('Name');
    const current = loc.previousNode?.value;
    if (!has.has('Name') || current === 'Name') out.push(keyItem(text, 'Name', 'Optional label (up to 1000 characters).', loc.previousNode, offset, '"$1"'));
    if (!has.has('FieldSelectors') || current === 'FieldSelectors') out.push(keyItem(text, 'FieldSelectors', 'The conditions; all must match.', loc.previousNode, offset, '[\n\t{ "Field": "eventCategory", "Equals": ["${1|Management,Data,NetworkActivity|}"] }$0\n]'));
    return out;
  }
  if (selPath[1] !== 'FieldSelectors') return out;

  // Where a field selector can go.
  if (selPath.length === 3 && typeof selPath[2] === 'number' && !loc.isAtPropertyKey && !(loc.previousNode && (loc.previousNode.type === 'string' || loc.previousNode.type === 'property'))) {
    const fsEntry = sel?.fieldSelectors.find((f) => f.index === selPath[2]);
    const inside = fsEntry && offset > fsEntry.node.offset && offset < fsEntry.node.offset + fsEntry.node.length;
    if (!inside) {
      const used = new Set((sel?.fieldSelectors ?? []).map((f) => f.field ?? ''));
      fieldSelectorSnippets(category, target, used).forEach((s, i) => out.push({
        label: s.label, kind: 'snippet', detail: s.detail, insertText: withCommas(text, range, s.body), snippet: true, range, sortText: `0${String(i).padStart(2, '0')}`,
      }));
      return out;
    }
  }
  const fsEntry = sel?.fieldSelectors.find((f) => f.index === selPath[2]);
  const field = fsEntry?.field;

  // Keys of a field selector: Field and the operators allowed for it.
  if (selPath.length === 4 && loc.isAtPropertyKey) {
    const current = loc.previousNode?.value;
    if (!fsEntry?.fieldNode || current === 'Field') out.push(keyItem(text, 'Field', 'The event field to test.', loc.previousNode, offset, '"$1"'));
    const present = new Set((fsEntry?.operators ?? []).map((o) => o.canonical).filter((o) => o !== current));
    const ops = field ? allowedOperators(field, category, target) : OPERATORS;
    ops.forEach((op, i) => {
      if (present.has(op)) return;
      out.push({ ...keyItem(text, op, OPERATOR_DOCS[op], loc.previousNode, offset, '["$1"]'), kind: 'operator', sortText: `1${i}` });
    });
    return out;
  }

  // The value of "Field".
  if (selPath.length === 4 && selPath[3] === 'Field') {
    const used = new Set((sel?.fieldSelectors ?? []).filter((f) => f !== fsEntry).map((f) => f.field ?? ''));
    const fields = category ? allowedFields(category, target) ?? ['eventCategory'] : FIELD_NAMES;
    fields.forEach((f, i) => {
      if ((f === 'eventCategory' || f === 'resources.type') && used.has(f)) return;
      const info = FIELDS[f];
      out.push(quoted(f, 'field', `operators: ${allowedOperators(f, category, target).join(', ')}`, info?.doc, (f === 'eventCategory' ? '0' : '1') + String(i).padStart(2, '0')));
    });
    return out;
  }

  // Values of an operator.
  const op = selPath[3];
  if (typeof op === 'string' && isOperator(op) && field && (selPath.length === 5 || selPath.length === 4)) {
    const inArray = selPath.length === 5;
    const items = valueItems(field, op, category, target, sel);
    for (const it of items) {
      if (inArray) {
        out.push({
          label: it.label, kind: it.kind, detail: it.detail, documentation: it.documentation,
          insertText: it.snippetText ? it.snippetText : JSON.stringify(it.label), snippet: !!it.snippetText, range,
          filterText: JSON.stringify(it.label), sortText: it.sortText,
        });
      } else {
        // Right after `"Equals":` — insert the whole list.
        out.push({
          label: `["${it.label}"]`, kind: it.kind, detail: it.detail, documentation: it.documentation,
          insertText: it.snippetText ? `[${it.snippetText}]` : `[${JSON.stringify(it.label)}]`, snippet: !!it.snippetText,
          range, sortText: it.sortText,
        });
      }
    }
    return out;
  }
  return out;
}

function keyItem(text: string, key: string, doc: string, node: Node | undefined, offset: number, valueSnippet: string): SelectorCompletion {
  const range = node && (node.type === 'string' || node.type === 'property') && offset >= node.offset && offset <= node.offset + node.length
    ? { offset: node.offset, length: node.length } : { offset, length: 0 };
  const after = significantAfter(text, range.offset + range.length);
  const insertText = after === ':' ? JSON.stringify(key) : `${JSON.stringify(key)}: ${valueSnippet}`;
  return {
    label: key, kind: 'property', documentation: doc, insertText, snippet: after !== ':', range,
    filterText: JSON.stringify(key),
  };
}

interface ValueItem {
  label: string;
  kind: CompletionKind;
  detail?: string;
  documentation?: string;
  snippetText?: string;
  sortText?: string;
}

function valueItems(field: string, op: string, category: string | undefined, target: Target, sel: AdvancedSelectorEntry | undefined): ValueItem[] {
  const simple = (values: readonly string[], detail?: (v: string) => string | undefined, doc?: (v: string) => string | undefined): ValueItem[] =>
    values.map((v, i) => ({ label: v, kind: 'value', detail: detail?.(v), documentation: doc?.(v), sortText: String(i).padStart(3, '0') }));
  switch (field) {
    case 'eventCategory':
      return simple(target === 'trail' ? TRAIL_CATEGORIES : ALL_CATEGORIES, () => 'eventCategory', (v) => CATEGORY_DOCS[v]);
    case 'readOnly':
      return simple(BOOLEAN_STRINGS, (v) => (v === 'true' ? 'read-only calls' : 'calls that may change something'));
    case 'sessionCredentialFromConsole':
      return simple(BOOLEAN_STRINGS, (v) => (v === 'true' ? 'console sessions' : 'not from the console'));
    case 'errorCode':
      return simple(ERROR_CODES, () => 'denied by a VPC endpoint policy');
    case 'eventType':
      return simple(EVENT_TYPES, () => 'eventType');
    case 'resources.type':
      return Object.entries(RESOURCE_TYPES).map(([t, info]) => ({
        label: t, kind: 'resourceType', detail: info.service, documentation: resourceTypeDoc(t),
        // Types usable in basic selectors first: they are the common ones.
        sortText: (BASIC_RESOURCE_TYPES.includes(t) ? '0' : '1') + t,
      }));
    case 'eventSource': {
      if (category === 'Management' && target === 'trail') return simple(TRAIL_MANAGEMENT_EXCLUDABLE_SOURCES, () => 'excludable from trail management events');
      if (category === 'NetworkActivity') {
        return simple(NETWORK_SOURCES, (v) => (NETWORK_SOURCES_VERIFIED.includes(v) ? 'network activity source' : 'network activity source (listed in the user guide)'));
      }
      return simple(['s3.amazonaws.com', 'lambda.amazonaws.com', 'dynamodb.amazonaws.com', ...NETWORK_SOURCES.filter((s) => !['s3.amazonaws.com', 'lambda.amazonaws.com', 'dynamodb.amazonaws.com'].includes(s))], () => 'eventSource');
    }
    case 'eventName': {
      const type = selectedType(sel);
      const source = selectedSource(sel);
      let names: readonly string[] | undefined = type ? EVENT_NAMES_BY_TYPE[type] : undefined;
      if (!names && category === 'NetworkActivity' && source) names = EVENT_NAMES_BY_SOURCE[source];
      if (!names) names = [...new Set([...Object.values(EVENT_NAMES_BY_TYPE).flat(), ...(category === 'NetworkActivity' ? Object.values(EVENT_NAMES_BY_SOURCE).flat() : [])])];
      return simple(names, () => (type ? `${type} API` : 'API name'));
    }
    case 'resources.ARN': {
      const type = selectedType(sel);
      if (type && TYPES_WITHOUT_ARN.includes(type)) return [];
      const types = type ? [type] : BASIC_RESOURCE_TYPES;
      const out: ValueItem[] = [];
      for (const t of types) {
        const formats = resourceTypeInfo(t)?.arnFormats ?? [];
        for (const f of formats) {
          const concrete = f.replace('<partition>', 'aws');
          out.push({ label: concrete, kind: 'value', detail: `ARN template for ${t}`, documentation: `Replace the placeholders. ${op === 'StartsWith' && t === 'AWS::S3::Object' ? 'Keep the trailing `/`: StartsWith `arn:aws:s3:::bucket/` matches every object in the bucket.' : ''}`, snippetText: '"' + arnSnippet(f) + '"' });
        }
      }
      return out;
    }
    case 'userIdentity.arn':
      return [
        { label: 'arn:aws:iam::<account_ID>:user/<user_name>', kind: 'value', detail: 'IAM user', snippetText: '"arn:aws:iam::${1:123456789012}:user/${2:user-name}"' },
        { label: 'arn:aws:iam::<account_ID>:role/<role_name>', kind: 'value', detail: 'IAM role', snippetText: '"arn:aws:iam::${1:123456789012}:role/${2:role-name}"' },
        { label: 'arn:aws:sts::<account_ID>:assumed-role/<role_name>/<session>', kind: 'value', detail: 'assumed-role session', snippetText: '"arn:aws:sts::${1:123456789012}:assumed-role/${2:role-name}/${3:session}"' },
      ];
    case 'vpcEndpointId':
      return [{ label: 'vpce-…', kind: 'value', detail: 'VPC endpoint ID', snippetText: '"vpce-${1:0123456789abcdef0}"' }];
    default:
      return [];
  }
}

function completeBasic(text: string, path: JSONPath, atKey: boolean, _range: { offset: number; length: number },
  quoted: (label: string, kind: CompletionKind, detail?: string, documentation?: string, sortText?: string) => SelectorCompletion): SelectorCompletion[] {
  void text;
  if (path.length === 2 && path[1] === 'ReadWriteType' && !atKey) return READ_WRITE_TYPES.map((v) => quoted(v, 'value', 'ReadWriteType'));
  if (path.length === 4 && path[1] === 'DataResources' && path[3] === 'Type' && !atKey) {
    return BASIC_RESOURCE_TYPES.map((t) => quoted(t, 'resourceType', resourceTypeInfo(t)?.service, resourceTypeDoc(t)));
  }
  if (path.length === 3 && path[1] === 'ExcludeManagementEventSources') {
    return TRAIL_MANAGEMENT_EXCLUDABLE_SOURCES.map((s) => quoted(s, 'value'));
  }
  return [];
}

// ---------- hover ----------

export function resourceTypeDoc(type: string): string {
  const info = resourceTypeInfo(type);
  if (!info) return `${escapeUserText(type, 'markdown')} is not in the list of known resource types (it may be new).`;
  const lines = [`**${type}** — ${info.service}`];
  if (info.arnFormats.length) {
    lines.push('', 'ARN format for `resources.ARN` with Equals/NotEquals:', ...info.arnFormats.map((f) => `- \`${f}\``));
  } else if (TYPES_WITHOUT_ARN.includes(type)) {
    lines.push('', 'This type has no ARNs: `resources.ARN` cannot be used with it.');
  } else {
    lines.push('', 'ARN format: see the CloudTrail user guide (not listed in the API model).');
  }
  const names = EVENT_NAMES_BY_TYPE[type];
  if (names) lines.push('', `Data APIs include: ${names.slice(0, 8).map((n) => '`' + n + '`').join(', ')}${names.length > 8 ? ', …' : ''}`);
  if (BASIC_RESOURCE_TYPES.includes(type)) lines.push('', 'Also usable in basic event selectors.');
  return lines.join('\n');
}

function fieldDoc(field: string, target: Target): string {
  const info = FIELDS[field];
  const cats = ['Management', 'Data', 'NetworkActivity'].filter((c) => allowedFields(c, target)?.includes(field));
  const lines = [`**${field}**`, '', info.doc, '', `Operators: ${info.operators.map((o) => '`' + o + '`').join(', ')}`];
  lines.push(`Categories on ${target === 'trail' ? 'a trail' : 'an event data store'}: ${cats.join(', ') || 'none'}`);
  return lines.join('\n');
}

const KEY_DOCS: Record<string, string> = {
  Field: 'The event field this condition tests, e.g. `eventCategory`, `resources.type`, `eventName`.',
  FieldSelectors: 'The conditions of this selector. An event is logged by the selector when **all** of them match.',
  Name: 'An optional label for the selector (up to 1000 characters).',
  AdvancedEventSelectors: 'Advanced event selectors. An event is logged when **any** selector matches. At most 500 values in total.',
  EventSelectors: 'Basic event selectors (1–5). Cannot be combined with AdvancedEventSelectors; consider converting them.',
  ReadWriteType: 'Basic selectors: `ReadOnly`, `WriteOnly` or `All` (default).',
  IncludeManagementEvents: 'Basic selectors: whether management events are logged (default true).',
  DataResources: 'Basic selectors: up to 250 data resources (S3 objects, Lambda functions, DynamoDB tables).',
  ExcludeManagementEventSources: 'Basic selectors: `kms.amazonaws.com` and/or `rdsdata.amazonaws.com` to drop from management events.',
};

export function hover(text: string, offset: number, options: ValidateOptions = {}): SelectorHover | undefined {
  const doc = readSelectorDocument(text, options.fileName);
  if (!doc.detected || !doc.root) return undefined;
  const target = resolveTarget(doc, options);
  const loc = getLocation(text, offset);
  const node = loc.previousNode;
  if (!node || (node.type !== 'string' && node.type !== 'property') || offset < node.offset || offset > node.offset + node.length) return undefined;
  const at = { offset: node.offset, length: node.length };
  const value = String(node.value);
  const { selPath, basicPath } = splitPath(doc, loc.path);
  if (loc.isAtPropertyKey) {
    if (isOperator(value)) return { markdown: `**${value}**\n\n${OPERATOR_DOCS[value]}`, ...at };
    if (KEY_DOCS[value] && (selPath || basicPath || loc.path.length === 1)) return { markdown: KEY_DOCS[value], ...at };
    return undefined;
  }
  if (basicPath) {
    if (basicPath[1] === 'DataResources' && basicPath[3] === 'Type') return { markdown: resourceTypeDoc(value), ...at };
    return undefined;
  }
  if (!selPath || selPath[1] !== 'FieldSelectors') return undefined;
  const sel = selectorAt(doc, selPath[0]);
  const fsEntry = sel?.fieldSelectors.find((f) => f.index === selPath[2]);
  if (selPath.length === 4 && selPath[3] === 'Field') {
    if (FIELDS[value]) return { markdown: fieldDoc(value, target), ...at };
    return undefined;
  }
  const field = fsEntry?.field;
  if (selPath.length !== 5 || !field) return undefined;
  switch (field) {
    case 'eventCategory':
      return CATEGORY_DOCS[value] ? { markdown: `**${value}**\n\n${CATEGORY_DOCS[value]}`, ...at } : undefined;
    case 'resources.type':
      return { markdown: resourceTypeDoc(value), ...at };
    case 'readOnly':
      return { markdown: value === 'true' ? 'Only calls that read (Get*, List*, Describe*).' : value === 'false' ? 'Only calls that may change something (Put*, Delete*, Create*, …).' : '`readOnly` takes "true" or "false".', ...at };
    case 'errorCode':
      return { markdown: '`VpceAccessDenied`: the call was denied by a VPC endpoint policy. The only errorCode selectors accept.', ...at };
    case 'eventSource':
      if (NETWORK_SOURCES.includes(value)) {
        return { markdown: `\`${value}\`${NETWORK_SOURCES_VERIFIED.includes(value) ? ' — supports network activity events (confirmed in the API model).' : ' — listed in the user guide as supporting network activity events.'}`, ...at };
      }
      if (TRAIL_MANAGEMENT_EXCLUDABLE_SOURCES.includes(value)) return { markdown: `\`${value}\` — can be excluded from trail management events with NotEquals.`, ...at };
      return undefined;
    case 'eventType':
      return EVENT_TYPES.includes(value) ? { markdown: `\`${value}\` — record eventType.${value === 'AwsServiceEvent' ? ' Events AWS services emit on your resources, not calls you made.' : ''}`, ...at } : undefined;
    default:
      return undefined;
  }
}
