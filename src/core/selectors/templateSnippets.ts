/**
 * Snippets for selectors in infrastructure code, offered only where they fit (read from the text around the
 * cursor, so they work while the file is being typed and does not parse):
 * - CloudFormation YAML: a trail / an event data store with advanced event selectors at the resource level under
 *   `Resources:`; the common selectors as list items under a CloudTrail resource's `AdvancedEventSelectors:`.
 * - CloudFormation JSON: the same, as members of the `"Resources"` object and as items of a CloudTrail resource's
 *   `"AdvancedEventSelectors"` array (located with jsonc-parser, which reads incomplete text).
 * - Terraform: `aws_cloudtrail` / `aws_cloudtrail_event_data_store` resources at the top level; the common
 *   selectors as `advanced_event_selector` blocks inside such a resource; `field_selector` blocks inside one.
 * The selectors are those of selector JSON (complete.ts), written in each format.
 */
import { getLocation, parseTree, findNodeAtLocation, type Node as JNode } from 'jsonc-parser';
import { fieldSelectorSpecs, selectorJsonSnippet, selectorSnippetSpecs, withCommas, type SelectorSnippetSpec, type SelectorSpec } from './complete';
import type { SelectorCompletion } from './complete';
import type { Target } from './catalogue';
import { terraformKey } from './terraform';

const TRAIL_SELECTORS = (target: Target) => {
  const specs = selectorSnippetSpecs(target);
  const mgmt = specs.find((s) => s.label.startsWith('Management events without KMS'))!;
  const s3 = specs.find((s) => s.label === 'S3 writes for one bucket')!;
  return [...mgmt.selectors, ...s3.selectors];
};

/** Adds `shift` to every placeholder number (`${1:x}`, `$1`, `${1|a,b|}`). */
function renumber(body: string, shift: number): string {
  return body.replace(/\$\{(\d+)/g, (_m, n: string) => `\${${Number(n) + shift}`).replace(/\$(\d+)/g, (_m, n: string) => `$${Number(n) + shift}`);
}

// ---------- YAML ----------

function yamlSelector(sel: SelectorSpec): string {
  const lines = [`- Name: "${sel.name}"`, '  FieldSelectors:'];
  for (const f of sel.fieldSelectors) lines.push(`    - Field: ${f.field}`, `      ${f.op}: [${f.values}]`);
  return lines.join('\n');
}
const indent = (body: string, by: string) => body.split('\n').map((l) => (l ? by + l : l)).join('\n');

function yamlResource(target: Target): string {
  const sels = TRAIL_SELECTORS(target).map((s) => indent(renumber(yamlSelector(s), 3), '      ')).join('\n');
  const props = target === 'trail'
    ? ['    TrailName: ${2:my-trail}', '    S3BucketName: ${3:my-trail-log-bucket}', '    IsLogging: true', '    IsMultiRegionTrail: true', '    EnableLogFileValidation: true']
    : ['    Name: ${2:my-event-data-store}', '    RetentionPeriod: ${3:90}'];
  return [
    target === 'trail' ? '${1:Trail}:' : '${1:EventDataStore}:',
    `  Type: ${target === 'trail' ? 'AWS::CloudTrail::Trail' : 'AWS::CloudTrail::EventDataStore'}`,
    '  Properties:', ...props, '    AdvancedEventSelectors:', sels,
  ].join('\n');
}

interface Line { start: number; indent: number; text: string }

function lineAt(text: string, start: number): Line {
  const nl = text.indexOf('\n', start);
  const raw = text.slice(start, nl < 0 ? text.length : nl).replace(/\r$/, '');
  const body = raw.trimStart();
  return { start, indent: raw.length - body.length, text: body };
}

/** The lines above `ls` that are not blank or comments, nearest first. */
function* linesAbove(text: string, ls: number): Generator<Line> {
  let i = ls;
  while (i > 0) {
    const s = text.lastIndexOf('\n', i - 2) + 1;
    const l = lineAt(text, s);
    i = s;
    if (l.text && !l.text.startsWith('#')) yield l;
  }
}

/** The CloudTrail type of the resource owning the `Properties:` line at `ls` (indentation `propertiesIndent`), if any. */
function yamlResourceTarget(text: string, ls: number, propertiesIndent: number): Target | undefined {
  let id: Line | undefined;
  for (const l of linesAbove(text, ls)) {
    if (l.indent < propertiesIndent) {
      id = l;
      break;
    }
  }
  if (!id) return undefined;
  for (let i = text.indexOf('\n', id.start); i >= 0 && i + 1 < text.length; i = text.indexOf('\n', i + 1)) {
    const c = lineAt(text, i + 1);
    if (c.text && !c.text.startsWith('#') && c.indent <= id.indent) break;
    const t = /^Type:\s*['"]?AWS::CloudTrail::(Trail|EventDataStore)\b/.exec(c.text);
    if (t && c.indent === propertiesIndent) return t[1] === 'Trail' ? 'trail' : 'event-data-store';
  }
  return undefined;
}

function snippet(label: string, detail: string, body: string, range: { offset: number; length: number }, i: number): SelectorCompletion {
  return { label, kind: 'snippet', detail, insertText: body, snippet: true, range, sortText: `0${String(i).padStart(2, '0')}` };
}

/** Snippets at `offset` in a CloudFormation YAML template. */
export function cloudFormationYamlSnippets(text: string, offset: number): SelectorCompletion[] {
  const ls = text.lastIndexOf('\n', offset - 1) + 1;
  const m = /^( *)(- *)?([A-Za-z]*)$/.exec(text.slice(ls, offset));
  if (!m) return [];
  const cur = m[1].length;
  const range = { offset: ls + cur, length: offset - ls - cur };
  // The parent: the nearest line indented less; siblings (same indentation) are passed over, except that list items
  // may sit at their key's own column (`AdvancedEventSelectors:` then `- …` below it).
  let parent: Line | undefined;
  for (const l of linesAbove(text, ls)) {
    if (l.indent > cur) continue;
    if (l.indent === cur) {
      if (m[2] && !l.text.startsWith('-') && /^AdvancedEventSelectors:\s*(#.*)?$/.test(l.text)) {
        parent = l;
        break;
      }
      continue;
    }
    parent = l;
    break;
  }
  if (!parent) return [];
  if (/^Resources:\s*(#.*)?$/.test(parent.text) && parent.indent === 0 && !m[2]) {
    return [
      snippet('CloudTrail trail with advanced event selectors', 'AWS::CloudTrail::Trail: management events without KMS/RDS Data, S3 writes for one bucket', yamlResource('trail'), range, 0),
      snippet('CloudTrail event data store with advanced event selectors', 'AWS::CloudTrail::EventDataStore with advanced event selectors', yamlResource('event-data-store'), range, 1),
    ];
  }
  if (/^AdvancedEventSelectors:\s*(#.*)?$/.test(parent.text)) {
    // Its parent is Properties; the resource must be a CloudTrail one.
    let props: Line | undefined;
    for (const l of linesAbove(text, parent.start + 1)) {
      if (l.start >= parent.start || l.indent >= parent.indent) continue;
      props = l;
      break;
    }
    if (!props || !/^Properties:/.test(props.text)) return [];
    const target = yamlResourceTarget(text, props.start, props.indent);
    if (!target) return [];
    return selectorSnippetSpecs(target).map((s, i) => snippet(s.label, s.detail, s.selectors.map(yamlSelector).join('\n'), range, i));
  }
  return [];
}

// ---------- JSON ----------

function jsonResource(target: Target): string {
  const sels = TRAIL_SELECTORS(target).map((s) => indent(renumber(selectorJsonSnippet(s), 3), '\t\t\t')).join(',\n');
  const props = target === 'trail'
    ? ['\t\t"TrailName": "${2:my-trail}",', '\t\t"S3BucketName": "${3:my-trail-log-bucket}",', '\t\t"IsLogging": true,', '\t\t"IsMultiRegionTrail": true,', '\t\t"EnableLogFileValidation": true,']
    : ['\t\t"Name": "${2:my-event-data-store}",', '\t\t"RetentionPeriod": ${3:90},'];
  return [
    target === 'trail' ? '"${1:Trail}": {' : '"${1:EventDataStore}": {',
    `\t"Type": "${target === 'trail' ? 'AWS::CloudTrail::Trail' : 'AWS::CloudTrail::EventDataStore'}",`,
    '\t"Properties": {', ...props, '\t\t"AdvancedEventSelectors": [', sels, '\t\t]', '\t}', '}',
  ].join('\n');
}

/** The range a snippet replaces: the string or word being typed at the cursor, else an empty range. */
function jsonRange(text: string, offset: number, node: JNode | undefined): { offset: number; length: number } {
  if (node && (node.type === 'string' || node.type === 'property') && offset >= node.offset && offset <= node.offset + node.length) {
    return { offset: node.offset, length: node.length };
  }
  const w = /"?[A-Za-z]*$/.exec(text.slice(Math.max(0, offset - 100), offset))![0];
  return { offset: offset - w.length, length: w.length };
}

/** Snippets at `offset` in a CloudFormation JSON template. */
export function cloudFormationJsonSnippets(text: string, offset: number): SelectorCompletion[] {
  const loc = getLocation(text, offset);
  const path = loc.path;
  if (path[0] !== 'Resources') return [];
  const root = parseTree(text);
  if (!root || root.type !== 'object') return [];
  const range = jsonRange(text, offset, loc.previousNode);
  // A member of Resources: at a key, or after a resource's value that still lacks its comma.
  if (path.length === 2) {
    let atMember = loc.isAtPropertyKey;
    if (!atMember && typeof path[1] === 'string') {
      const prev = findNodeAtLocation(root, path);
      atMember = !!prev && offset >= prev.offset + prev.length;
    }
    if (!atMember) return [];
    return [
      snippet('CloudTrail trail with advanced event selectors', 'AWS::CloudTrail::Trail: management events without KMS/RDS Data, S3 writes for one bucket', withCommas(text, range, jsonResource('trail')), range, 0),
      snippet('CloudTrail event data store with advanced event selectors', 'AWS::CloudTrail::EventDataStore with advanced event selectors', withCommas(text, range, jsonResource('event-data-store')), range, 1),
    ];
  }
  // An item of a CloudTrail resource's AdvancedEventSelectors, not inside an existing item or a string.
  if (path.length === 5 && path[2] === 'Properties' && path[3] === 'AdvancedEventSelectors' && typeof path[4] === 'number' && !loc.isAtPropertyKey) {
    if (loc.previousNode && (loc.previousNode.type === 'string' || loc.previousNode.type === 'property')) return [];
    const list = findNodeAtLocation(root, path.slice(0, 4));
    if (!list || list.type !== 'array') return [];
    if ((list.children ?? []).some((c) => offset > c.offset && offset < c.offset + c.length)) return [];
    const type = findNodeAtLocation(root, [path[0], path[1], 'Type'])?.value;
    const target: Target | undefined = type === 'AWS::CloudTrail::Trail' ? 'trail' : type === 'AWS::CloudTrail::EventDataStore' ? 'event-data-store' : undefined;
    if (!target) return [];
    return selectorSnippetSpecs(target).map((s, i) => snippet(s.label, s.detail, withCommas(text, range, s.selectors.map(selectorJsonSnippet).join(',\n')), range, i));
  }
  return [];
}

// ---------- Terraform ----------

function hclSelector(sel: SelectorSpec): string {
  const lines = ['advanced_event_selector {', `  name = "${sel.name}"`];
  for (const f of sel.fieldSelectors) lines.push('', ...hclFieldSelector(f.field, f.op, f.values).split('\n').map((l) => '  ' + l));
  lines.push('}');
  return lines.join('\n');
}
function hclFieldSelector(field: string, op: string, values: string): string {
  const key = terraformKey(op);
  const w = Math.max(5, key.length);
  return ['field_selector {', `  ${'field'.padEnd(w)} = "${field}"`, `  ${key.padEnd(w)} = [${values}]`, '}'].join('\n');
}

function hclResource(target: Target): string {
  const sels = TRAIL_SELECTORS(target).map((s) => indent(renumber(hclSelector(s), 3), '  ')).join('\n\n');
  const head = target === 'trail'
    ? ['resource "aws_cloudtrail" "${1:trail}" {', '  name                       = "${2:my-trail}"', '  s3_bucket_name             = "${3:my-trail-log-bucket}"', '  is_multi_region_trail      = true', '  enable_log_file_validation = true']
    : ['resource "aws_cloudtrail_event_data_store" "${1:store}" {', '  name             = "${2:my-event-data-store}"', '  retention_period = ${3:90}'];
  return [...head, '', sels, '}'].join('\n');
}

/** The block headers enclosing `offset` (outermost first), read with a small scanner that skips strings and comments. */
function hclBlocks(text: string, offset: number): string[] {
  const stack: string[] = [];
  let headerStart = 0;
  for (let i = 0; i < offset; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < offset && text[i] !== '"' && text[i] !== '\n'; i++) if (text[i] === '\\') i++;
    } else if (c === '#' || (c === '/' && text[i + 1] === '/')) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? offset : nl;
      headerStart = i + 1;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? offset : end + 1;
    } else if (c === '{' || c === '[' || c === '(') {
      stack.push(c === '{' ? text.slice(headerStart, i).trim() : c);
      headerStart = i + 1;
    } else if (c === '}' || c === ']' || c === ')') {
      stack.pop();
      headerStart = i + 1;
    } else if (c === '\n') headerStart = i + 1;
  }
  return stack;
}

/** Snippets at `offset` in a Terraform file. */
export function terraformSnippets(text: string, offset: number): SelectorCompletion[] {
  const ls = text.lastIndexOf('\n', offset - 1) + 1;
  const m = /^([ \t]*)([A-Za-z_]*)$/.exec(text.slice(ls, offset));
  if (!m) return [];
  const range = { offset: ls + m[1].length, length: m[2].length };
  const blocks = hclBlocks(text, ls);
  if (blocks.length === 0) {
    return [
      snippet('aws_cloudtrail with advanced event selectors', 'A trail: management events without KMS/RDS Data, S3 writes for one bucket', hclResource('trail'), range, 0),
      snippet('aws_cloudtrail_event_data_store with advanced event selectors', 'An event data store with advanced event selectors', hclResource('event-data-store'), range, 1),
    ];
  }
  const res = /^resource\s+"(aws_cloudtrail|aws_cloudtrail_event_data_store)"/.exec(blocks[0]);
  if (!res) return [];
  const target: Target = res[1] === 'aws_cloudtrail' ? 'trail' : 'event-data-store';
  if (blocks.length === 1) {
    return selectorSnippetSpecs(target).map((s: SelectorSnippetSpec, i) => snippet(s.label, s.detail, s.selectors.map(hclSelector).join('\n\n'), range, i));
  }
  if (blocks.length === 2 && blocks[1] === 'advanced_event_selector') {
    return fieldSelectorSpecs(undefined, target, new Set()).map((f, i) => snippet(`field_selector ${f.field}`, `Field selector for ${f.field}`, hclFieldSelector(f.field, f.op, f.values), range, i));
  }
  return [];
}
