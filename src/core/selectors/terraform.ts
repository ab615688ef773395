/**
 * Terraform (HCL) files: finds `aws_cloudtrail` and `aws_cloudtrail_event_data_store` resources with tree-sitter's
 * HCL grammar (web-tree-sitter + the .wasm from @tree-sitter-grammars/tree-sitter-hcl, both shipped in out/) and
 * turns their `advanced_event_selector` / `field_selector` and `event_selector` blocks into
 * {@link EmbeddedResource}s with the API's key names. Interpolations, references, function calls and `dynamic`
 * blocks are unknown values.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Parser as TsParser, Node as TsNode, Range as TsRange, Tree as TsTree } from 'web-tree-sitter';
import { LineIndex } from './document';
import { analyzeResource, completeResource, hoverResource, type EEntry, type EVal, type EmbeddedResource } from './embedded';
import type { SelectorCompletion, SelectorHover } from './complete';
import type { SelectorDiagnostic, ValidateOptions } from './types';

const TRAIL = 'aws_cloudtrail';
const EDS = 'aws_cloudtrail_event_data_store';

/** Cheap content test: could this Terraform text hold a CloudTrail resource? (A substring search.) */
export function mayHoldTerraformCloudTrail(text: string): boolean {
  return text.includes('"aws_cloudtrail');
}

/** Block and attribute names → the selector API's key names. */
const BLOCK_KEYS: Record<string, string> = {
  advanced_event_selector: 'AdvancedEventSelectors',
  field_selector: 'FieldSelectors',
  event_selector: 'EventSelectors',
  data_resource: 'DataResources',
};
const API_TO_HCL: Record<string, string> = Object.fromEntries(Object.entries(BLOCK_KEYS).map(([k, v]) => [v, k]));

function apiKey(hcl: string): string {
  return hcl.split('_').map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('');
}
/** API key → Terraform spelling (`NotStartsWith` → `not_starts_with`, `FieldSelectors` → `field_selector`). */
export function terraformKey(api: string): string {
  return API_TO_HCL[api] ?? api.replace(/(?<=[a-z0-9])([A-Z])/g, '_$1').toLowerCase();
}

let parserPromise: Promise<TsParser> | undefined;

/** Where the .wasm files are: next to the bundle (out/) when shipped, else in node_modules. */
function wasmPath(file: string, pkg: string, dir?: string): string {
  const candidates = [dir && path.join(dir, file), typeof __dirname === 'string' ? path.join(__dirname, file) : undefined].filter((p): p is string => !!p);
  for (const c of candidates) if (fs.existsSync(c)) return c;
  return require.resolve(`${pkg}/${file}`);
}

/** Loads (once) the HCL parser. `wasmDir` overrides where the two .wasm files are looked for. */
export function loadHclParser(wasmDir?: string): Promise<TsParser> {
  parserPromise ??= (async () => {
    // A plain require: bundlers then take the package's CommonJS build, whose .wasm is located by `locateFile`.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ts = require('web-tree-sitter') as typeof import('web-tree-sitter');
    const runtime = wasmPath('web-tree-sitter.wasm', 'web-tree-sitter', wasmDir);
    await ts.Parser.init({ locateFile: () => runtime });
    const lang = await ts.Language.load(new Uint8Array(fs.readFileSync(wasmPath('tree-sitter-hcl.wasm', '@tree-sitter-grammars/tree-sitter-hcl', wasmDir))));
    const parser = new ts.Parser();
    parser.setLanguage(lang);
    return parser;
  })();
  parserPromise.catch(() => (parserPromise = undefined));
  return parserPromise;
}

function child(n: TsNode, type: string): TsNode | undefined {
  return n.namedChildren.find((c) => c?.type === type) ?? undefined;
}

/** The literal a string_lit holds, with HCL escapes decoded, or undefined when it is not one. */
function stringLit(n: TsNode): { value: string; contentStart: number; contentEnd: number } | undefined {
  if (n.type !== 'string_lit') return undefined;
  const kids = n.namedChildren.filter((c): c is TsNode => !!c);
  const open = kids.find((c) => c.type === 'quoted_template_start');
  const close = kids.find((c) => c.type === 'quoted_template_end');
  if (!open || !close || kids.some((c) => !['quoted_template_start', 'quoted_template_end', 'template_literal'].includes(c.type))) return undefined;
  const raw = n.text.slice(open.endIndex - n.startIndex, close.startIndex - n.startIndex);
  let value: string;
  try {
    value = JSON.parse(`"${raw.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{')}"`) as string;
  } catch {
    value = raw;
  }
  return { value, contentStart: open.endIndex, contentEnd: close.startIndex };
}

function exprVal(n: TsNode | undefined, at: number): EVal {
  if (!n) return { t: 'scalar', value: null, start: at, end: at };
  const start = n.startIndex;
  const end = n.endIndex;
  const kids = n.namedChildren.filter((c): c is TsNode => !!c);
  if (n.type === 'expression' && kids.length === 1) return exprVal(kids[0], at);
  if (n.type === 'literal_value' && kids.length === 1) {
    const k = kids[0];
    if (k.type === 'string_lit') {
      const s = stringLit(k);
      if (s) return { t: 'str', value: s.value, start, end, style: 'hcl', contentStart: s.contentStart, contentEnd: s.contentEnd };
    }
    if (k.type === 'numeric_lit') return { t: 'scalar', value: Number(k.text), start, end };
    if (k.type === 'bool_lit') return { t: 'scalar', value: k.text === 'true', start, end };
    if (k.type === 'null_lit') return { t: 'scalar', value: null, start, end };
  }
  if (n.type === 'collection_value' && kids.length === 1 && kids[0].type === 'tuple') {
    const items = kids[0].namedChildren.filter((c): c is TsNode => !!c && c.type === 'expression').map((c) => exprVal(c, c.startIndex));
    return { t: 'list', items, start, end };
  }
  return { t: 'unknown', start, end, why: 'expression' };
}

/** A body's attributes and blocks as one map, blocks of one type gathered in a list. */
function bodyMap(body: TsNode | undefined, start: number, end: number): EVal {
  const entries: EEntry[] = [];
  const lists = new Map<string, { entry: EEntry; list: Extract<EVal, { t: 'list' }> }>();
  for (const c of body?.namedChildren ?? []) {
    if (!c) continue;
    if (c.type === 'attribute') {
      const id = child(c, 'identifier');
      if (!id) continue;
      entries.push({ key: apiKey(id.text), keyStart: id.startIndex, keyEnd: id.endIndex, value: exprVal(child(c, 'expression'), id.endIndex) });
    } else if (c.type === 'block') {
      const id = child(c, 'identifier');
      if (!id) continue;
      let name = id.text;
      let item: EVal;
      if (name === 'dynamic') {
        const label = c.namedChildren.find((k) => k?.type === 'string_lit');
        name = label ? stringLit(label)?.value ?? '' : '';
        item = { t: 'unknown', start: c.startIndex, end: c.endIndex, why: 'dynamic block' };
      } else item = bodyMap(child(c, 'body'), c.startIndex, c.endIndex);
      const key = BLOCK_KEYS[name] ?? apiKey(name);
      let l = lists.get(key);
      if (!l) {
        const list: Extract<EVal, { t: 'list' }> = { t: 'list', items: [], start: c.startIndex, end: c.endIndex };
        l = { entry: { key, keyStart: id.startIndex, keyEnd: id.endIndex, value: list }, list };
        lists.set(key, l);
        entries.push(l.entry);
      }
      l.list.items.push(item);
      l.list.end = c.endIndex;
    }
  }
  return { t: 'map', entries, start, end };
}

function blockLabels(b: TsNode): string[] {
  return b.namedChildren.filter((c): c is TsNode => !!c && (c.type === 'string_lit' || c.type === 'identifier')).slice(1)
    .map((c) => (c.type === 'string_lit' ? stringLit(c)?.value ?? '' : c.text));
}

/**
 * A large file is mostly other resources. When its blocks are laid out the way `terraform fmt` writes them
 * (`resource "…" "…" {` at column 0, closed by `}` at column 0), only the aws_cloudtrail* and aws_s3_bucket
 * blocks are handed to the parser (tree-sitter's included ranges keep positions file-wide); anything else,
 * or a parse error in those ranges, falls back to parsing the whole file.
 */
function parseRelevant(text: string, parser: TsParser): TsTree | null {
  if (text.length < 16 * 1024) return parser.parse(text);
  const ranges: TsRange[] = [];
  let row = 0;
  let rowStart = 0;
  let open: { index: number; row: number } | undefined;
  for (let i = 0; i < text.length;) {
    const nl = text.indexOf('\n', i);
    const end = nl < 0 ? text.length : nl + 1;
    if (!open && (text.startsWith('resource "aws_cloudtrail', i) || text.startsWith('resource "aws_s3_bucket"', i))) open = { index: i, row };
    else if (open && text.charCodeAt(i) === 125 /* } */) {
      const close = i + 1;
      ranges.push({ startIndex: open.index, endIndex: close, startPosition: { row: open.row, column: 0 }, endPosition: { row, column: close - rowStart } });
      open = undefined;
    }
    i = end;
    row++;
    rowStart = end;
  }
  // Every CloudTrail resource must be in a range (one not at column 0 would be missed): else parse it all.
  let mentions = 0;
  for (let at = text.indexOf('"aws_cloudtrail'); at >= 0; at = text.indexOf('"aws_cloudtrail', at + 1)) mentions++;
  const covered = ranges.filter((r) => text.startsWith('resource "aws_cloudtrail', r.startIndex)).length;
  if (open || !ranges.length || covered !== mentions) return parser.parse(text);
  const tree = parser.parse(text, null, { includedRanges: ranges });
  if (tree && !tree.rootNode.hasError) return tree;
  tree?.delete();
  return parser.parse(text);
}

/** Reads the CloudTrail resources of one Terraform file. */
export function readTerraform(text: string, parser: TsParser): EmbeddedResource[] {
  if (!mayHoldTerraformCloudTrail(text)) return [];
  const tree = parseRelevant(text, parser);
  if (!tree) return [];
  try {
    const body = child(tree.rootNode, 'body');
    const blocks = (body?.namedChildren ?? []).filter((c): c is TsNode => !!c && c.type === 'block' && child(c, 'identifier')?.text === 'resource');
    const buckets = new Map<string, string>();
    for (const b of blocks) {
      const [type, name] = blockLabels(b);
      if (type !== 'aws_s3_bucket') continue;
      const m = bodyMap(child(b, 'body'), b.startIndex, b.endIndex);
      const v = m.t === 'map' ? m.entries.find((e) => e.key === 'Bucket')?.value : undefined;
      if (v?.t === 'str') buckets.set(name, v.value);
    }
    const out: EmbeddedResource[] = [];
    for (const b of blocks) {
      const [type, name] = blockLabels(b);
      if (type !== TRAIL && type !== EDS) continue;
      const bodyNode = child(b, 'body');
      const m = bodyMap(bodyNode, b.startIndex, b.endIndex);
      if (m.t !== 'map') continue;
      const labels = b.namedChildren.filter((c): c is TsNode => !!c && c.type === 'string_lit');
      const r: EmbeddedResource = {
        format: 'terraform', name: `${type}.${name}`, type, target: type === TRAIL ? 'trail' : 'event-data-store',
        nameStart: labels[0]?.startIndex ?? b.startIndex, nameEnd: labels[1]?.endIndex ?? b.endIndex, start: b.startIndex, end: b.endIndex,
      };
      const find = (k: string) => m.entries.find((e) => e.key === k);
      r.advanced = find('AdvancedEventSelectors');
      if (type === TRAIL) {
        r.basic = find('EventSelectors');
        const bucket = find('S3BucketName');
        if (bucket?.value.t === 'str') r.logBucket = bucket.value.value;
        else if (bucket && bodyNode) r.logBucket = bucketReference(bodyNode, buckets);
        const prefix = find('S3KeyPrefix')?.value;
        if (prefix?.t === 'str') r.logPrefix = prefix.value;
      }
      out.push(r);
    }
    return out;
  } finally {
    tree.delete();
  }
}

/** `s3_bucket_name = aws_s3_bucket.NAME.id|bucket` → that bucket's literal `bucket`, if any. */
function bucketReference(body: TsNode, buckets: Map<string, string>): string | undefined {
  for (const a of body.namedChildren) {
    if (!a || a.type !== 'attribute' || child(a, 'identifier')?.text !== 's3_bucket_name') continue;
    const e = child(a, 'expression');
    const kids = e?.namedChildren.filter((c): c is TsNode => !!c) ?? [];
    if (kids.length !== 3 || kids[0].type !== 'variable_expr' || kids[0].text !== 'aws_s3_bucket') return undefined;
    if (kids[1].type !== 'get_attr' || kids[2].type !== 'get_attr') return undefined;
    const name = child(kids[1], 'identifier')?.text;
    const attr = child(kids[2], 'identifier')?.text;
    if (!name || (attr !== 'id' && attr !== 'bucket')) return undefined;
    return buckets.get(name);
  }
  return undefined;
}

export function validateTerraform(text: string, parser: TsParser, options: ValidateOptions = {}): SelectorDiagnostic[] {
  const resources = readTerraform(text, parser);
  if (!resources.length) return [];
  const lines = new LineIndex(text);
  return resources.flatMap((r) => analyzeResource(text, r, lines, options, terraformKey).diagnostics);
}

export function completeTerraform(text: string, offset: number, parser: TsParser, options: ValidateOptions = {}): SelectorCompletion[] {
  const r = readTerraform(text, parser).find((x) => x.start <= offset && offset <= x.end);
  return r ? completeResource(text, r, offset, options, terraformKey) : [];
}

export function hoverTerraform(text: string, offset: number, parser: TsParser, options: ValidateOptions = {}): SelectorHover | undefined {
  const r = readTerraform(text, parser).find((x) => x.start <= offset && offset <= x.end);
  return r ? hoverResource(text, r, offset, options) : undefined;
}
