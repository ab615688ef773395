/**
 * Selectors embedded in infrastructure code (CloudFormation templates, Terraform files). A format adapter
 * (cloudformation.ts, terraform.ts) turns each CloudTrail resource into an {@link EmbeddedResource}: a small
 * value tree whose every node remembers where it is in the source file. This module writes that tree out as a
 * selector JSON document (the "virtual document"), runs the ordinary validator / completion / hover on it, and
 * maps the results back to source offsets through the segments it recorded while writing.
 *
 * Values the adapters cannot know (CloudFormation intrinsic functions, Terraform interpolations and `dynamic`
 * blocks) are `unknown` nodes: they never produce a diagnostic, and rules that depend on the whole selector are
 * not applied to a selector holding one.
 */
import { analyze, type Analysis } from './validate';
import { complete, hover, type SelectorCompletion, type SelectorHover } from './complete';
import type { Target } from './catalogue';
import type { SelectorDiagnostic, SelectorFix, TextEdit, ValidateOptions } from './types';
import { LineIndex } from './document';

/** How a string was written in the source, so edits can be written back the same way. */
export type StringStyle = 'json' | 'yaml-plain' | 'yaml-single' | 'yaml-double' | 'hcl';

export type EVal =
  | { t: 'str'; value: string; start: number; end: number; style: StringStyle; contentStart?: number; contentEnd?: number; resolved?: boolean }
  | { t: 'scalar'; value: number | boolean | null; start: number; end: number }
  | { t: 'unknown'; start: number; end: number; why: string }
  | { t: 'list'; items: EVal[]; start: number; end: number }
  | { t: 'map'; entries: EEntry[]; start: number; end: number };

export interface EEntry {
  /** The key as the selector API spells it (Terraform names are translated), or as written when unknown. */
  key: string;
  keyStart: number;
  keyEnd: number;
  value: EVal;
}

export interface EmbeddedResource {
  format: 'cloudformation' | 'terraform';
  /** Logical ID (CloudFormation) or `type.name` (Terraform). */
  name: string;
  type: string;
  target: Target;
  /** Range of the resource's name in the source (logical ID key / block labels). */
  nameStart: number;
  nameEnd: number;
  start: number;
  end: number;
  advanced?: EEntry;
  basic?: EEntry;
  /** Literal log bucket (S3BucketName / s3_bucket_name), when known. */
  logBucket?: string;
  logPrefix?: string;
  /** Other properties worth a hover (PutEventConfiguration settings etc.): key → range + value. */
  extra?: EEntry[];
}

/** Translates API key names to the source spelling for quick fixes on keys (Terraform: snake_case). */
export type KeyWriter = (apiKey: string) => string;

interface Segment {
  vs: number;
  ve: number;
  ss: number;
  se: number;
  kind: 'str' | 'key' | 'scalar' | 'unknown' | 'container';
  /** For strings whose source text equals their value: offset-by-offset mapping. */
  identity?: { v: number; s: number; len: number };
  style?: StringStyle;
  /** Index of the advanced selector this segment belongs to. */
  selector?: number;
  /** A key whose value is unknown, or a value resolved from elsewhere (parameter default, mapping): not edited. */
  unknownValue?: boolean;
  resolved?: boolean;
}

const UNKNOWN_TEXT = '"(value not known until deployment)"';

export class VirtualDocument {
  text = '';
  readonly segments: Segment[] = [];
  /** Virtual ranges of advanced selector elements, and whether they hold an unknown value. */
  readonly selectorRanges: { vs: number; ve: number; unknown: boolean }[] = [];

  constructor(readonly resource: EmbeddedResource, private readonly source: string) {
    const r = resource;
    let t = '{';
    t += r.target === 'trail' ? '"TrailName": "TemplateTrail"' : '"RetentionPeriod": 7';
    this.text = t;
    if (r.logBucket !== undefined) this.text += `, "S3BucketName": ${JSON.stringify(r.logBucket)}`;
    if (r.logPrefix !== undefined) this.text += `, "S3KeyPrefix": ${JSON.stringify(r.logPrefix)}`;
    if (r.advanced) {
      this.text += ', ';
      this.writeKey(r.advanced);
      this.text += ': ';
      this.writeValue(r.advanced.value, 0);
    }
    if (r.basic) {
      this.text += ', ';
      this.writeKey(r.basic);
      this.text += ': ';
      this.writeValue(r.basic.value, 0);
    }
    this.text += '}';
  }

  private writeKey(e: EEntry, selector?: number): void {
    const vs = this.text.length;
    this.text += JSON.stringify(e.key);
    this.segments.push({ vs, ve: this.text.length, ss: e.keyStart, se: e.keyEnd, kind: 'key', selector, unknownValue: e.value.t === 'unknown' });
  }

  /** depth 0: the selector list itself; depth 1: a selector element; deeper: inside one. */
  private writeValue(v: EVal, depth: number, selector?: number): void {
    const vs = this.text.length;
    switch (v.t) {
      case 'str': {
        const json = JSON.stringify(v.value);
        this.text += json;
        const seg: Segment = { vs, ve: this.text.length, ss: v.start, se: v.end, kind: 'str', style: v.style, selector, resolved: v.resolved };
        if (v.contentStart !== undefined && v.contentEnd !== undefined && json.length === v.value.length + 2
          && this.source.slice(v.contentStart, v.contentEnd) === v.value) {
          seg.identity = { v: vs + 1, s: v.contentStart, len: v.value.length };
        }
        this.segments.push(seg);
        return;
      }
      case 'scalar':
        this.text += JSON.stringify(v.value);
        this.segments.push({ vs, ve: this.text.length, ss: v.start, se: v.end, kind: 'scalar', selector });
        return;
      case 'unknown':
        this.text += UNKNOWN_TEXT;
        this.segments.push({ vs, ve: this.text.length, ss: v.start, se: v.end, kind: 'unknown', selector });
        if (selector !== undefined) this.selectorRanges[selector].unknown = true;
        return;
      case 'list': {
        this.text += '[';
        v.items.forEach((item, i) => {
          if (i) this.text += ', ';
          if (depth === 0) {
            const idx = this.selectorRanges.length;
            this.selectorRanges.push({ vs: this.text.length, ve: 0, unknown: false });
            this.writeValue(item, 1, idx);
            this.selectorRanges[idx].ve = this.text.length;
          } else this.writeValue(item, depth + 1, selector);
        });
        this.text += ']';
        break;
      }
      case 'map': {
        this.text += '{';
        v.entries.forEach((e, i) => {
          if (i) this.text += ', ';
          this.writeKey(e, selector);
          this.text += ': ';
          this.writeValue(e.value, depth + 1, selector);
        });
        this.text += '}';
        break;
      }
    }
    this.segments.push({ vs, ve: this.text.length, ss: v.start, se: v.end, kind: 'container', selector });
  }

  /** The smallest segment containing the virtual range. */
  private segmentFor(vs: number, ve: number): Segment | undefined {
    let best: Segment | undefined;
    for (const s of this.segments) {
      if (s.vs <= vs && ve <= s.ve && (!best || s.ve - s.vs < best.ve - best.vs)) best = s;
    }
    return best;
  }

  /** Source range for a virtual range, or undefined when it only exists in the virtual document. */
  toSource(vs: number, length: number): { offset: number; length: number } | undefined {
    const ve = vs + length;
    const seg = this.segmentFor(vs, ve);
    if (!seg) return undefined;
    if (seg.identity && vs >= seg.identity.v && ve <= seg.identity.v + seg.identity.len) {
      return { offset: seg.identity.s + (vs - seg.identity.v), length };
    }
    if (seg.kind === 'container') {
      // A whole block would underline many lines: point at its first line.
      const nl = this.source.indexOf('\n', seg.ss);
      const end = nl < 0 || nl > seg.se ? seg.se : nl;
      return { offset: seg.ss, length: Math.max(1, end - seg.ss) };
    }
    return { offset: seg.ss, length: seg.se - seg.ss };
  }

  /** Virtual offset for a source offset inside a string, key or scalar written in the source. */
  toVirtual(offset: number): number | undefined {
    let best: Segment | undefined;
    for (const s of this.segments) {
      if (s.kind === 'container' || s.kind === 'unknown') continue;
      if (s.ss <= offset && offset <= s.se && (!best || s.se - s.ss < best.se - best.ss)) best = s;
    }
    if (!best) return undefined;
    if (best.identity) {
      const rel = Math.max(0, Math.min(best.identity.len, offset - best.identity.s));
      return best.identity.v + rel;
    }
    return best.vs + Math.min(1, best.ve - best.vs);
  }

  /** True when the virtual range touches or encloses a value the template cannot know. */
  private involvesUnknown(vs: number, ve: number): boolean {
    for (const s of this.segments) {
      if (s.kind !== 'unknown') continue;
      if (s.vs < ve && vs < s.ve) return true;
      if (vs <= s.vs && s.ve <= ve) return true;
    }
    return false;
  }

  private selectorAt(vs: number): { unknown: boolean } | undefined {
    return this.selectorRanges.find((r) => r.vs <= vs && vs < r.ve);
  }

  /** Maps a diagnostic, or returns undefined when it must not be shown (unknown values, virtual-only text). */
  mapDiagnostic(d: SelectorDiagnostic, lines: LineIndex, keyWriter?: KeyWriter): SelectorDiagnostic | undefined {
    if (d.code === 'trail-name' || d.code === 'json-syntax') return undefined;
    if (this.involvesUnknown(d.offset, d.offset + d.length)) return undefined;
    if (this.segmentFor(d.offset, d.offset + d.length)?.unknownValue) return undefined;
    const sel = this.selectorAt(d.offset);
    if (sel?.unknown) {
      // Only checks that look at one literal value alone stay meaningful next to an unknown value.
      const seg = this.segmentFor(d.offset, d.offset + d.length);
      if (!seg || (seg.kind !== 'str' && seg.kind !== 'key') || !LOCAL_CODES.has(d.code)) return undefined;
    }
    const src = this.toSource(d.offset, d.length);
    if (!src) return undefined;
    const a = lines.position(src.offset);
    const b = lines.position(src.offset + src.length);
    const fixes = d.fixes?.map((f) => this.mapFix(f, keyWriter)).filter((f): f is SelectorFix => !!f);
    const out: SelectorDiagnostic = {
      ...d, offset: src.offset, length: src.length, line: a.line, column: a.column, endLine: b.line, endColumn: b.column,
      message: keyWriter ? translateKeys(d.message, keyWriter) : d.message,
    };
    if (fixes?.length) out.fixes = fixes;
    else delete out.fixes;
    return out;
  }

  /** A fix whose edits all replace one string/key token (or part of one) can be written back; others cannot. */
  mapFix(f: SelectorFix, keyWriter?: KeyWriter): SelectorFix | undefined {
    const edits: TextEdit[] = [];
    for (const e of f.edits) {
      const m = this.mapEdit(e, keyWriter);
      if (!m) return undefined;
      edits.push(m);
    }
    return { ...f, title: keyWriter ? translateKeys(f.title, keyWriter) : f.title, edits };
  }

  mapEdit(e: TextEdit, keyWriter?: KeyWriter): TextEdit | undefined {
    const seg = this.segmentFor(e.offset, e.offset + e.length);
    if (!seg || (seg.kind !== 'str' && seg.kind !== 'key') || seg.resolved) return undefined;
    if (e.offset === seg.vs && e.length === seg.ve - seg.vs) {
      let value: unknown;
      try {
        value = JSON.parse(e.newText);
      } catch {
        return undefined;
      }
      if (typeof value !== 'string') return undefined;
      if (seg.kind === 'key') return { offset: seg.ss, length: seg.se - seg.ss, newText: keyWriter ? keyWriter(value) : value };
      return { offset: seg.ss, length: seg.se - seg.ss, newText: writeString(value, seg.style ?? 'json') };
    }
    if (seg.identity && e.offset >= seg.identity.v && e.offset + e.length <= seg.identity.v + seg.identity.len
      && JSON.stringify(e.newText) === `"${e.newText}"` && safeInside(e.newText, seg.style ?? 'json')) {
      return { offset: seg.identity.s + (e.offset - seg.identity.v), length: e.length, newText: e.newText };
    }
    return undefined;
  }
}

/** Checks about a single literal value or key, which hold whatever the other values of the selector are. */
const LOCAL_CODES = new Set([
  'value-empty', 'value-too-long', 'wildcard', 'value-not-string', 'key-case', 'unknown-key', 'field-pattern', 'field-misspelt',
  'field-unknown', 's3-arn-slash', 'value-count',
]);

function safeInside(text: string, style: StringStyle): boolean {
  if (style === 'yaml-single') return !text.includes("'");
  if (style === 'yaml-plain') return /^[\w./:*@+-]*$/.test(text);
  if (style === 'hcl') return !text.includes('${') && !text.includes('%{');
  return true;
}

/** Writes a string value in the given source style. */
export function writeString(value: string, style: StringStyle): string {
  switch (style) {
    case 'yaml-single':
      return `'${value.replace(/'/g, "''")}'`;
    case 'yaml-plain':
      return /^[A-Za-z0-9_./@+-][\w./:@+-]*$/.test(value) && !/: |:$/.test(value) ? value : JSON.stringify(value);
    case 'hcl':
      return JSON.stringify(value).replace(/\$\{/g, '$${').replace(/%\{/g, '%%{');
    default:
      return JSON.stringify(value);
  }
}

/** Rewrites API key names in a message (`Equals` → `equals` for Terraform). */
function translateKeys(message: string, keyWriter: KeyWriter): string {
  return message
    .replace(/\b(AdvancedEventSelectors|FieldSelectors|NotStartsWith|NotEndsWith|NotEquals|StartsWith|EndsWith|Equals|EventSelectors|ReadWriteType|IncludeManagementEvents|DataResources|ExcludeManagementEventSources)\b/g, (k) => keyWriter(k))
    // Field and Name are also ordinary words: only when quoted as keys.
    .replace(/`(Field|Name)`/g, (_m, k: string) => `\`${keyWriter(k)}\``);
}

export interface EmbeddedAnalysis {
  resource: EmbeddedResource;
  virtual: VirtualDocument;
  analysis: Analysis;
  diagnostics: SelectorDiagnostic[];
}

/** Validates one resource; diagnostics are in source offsets. */
export function analyzeResource(source: string, resource: EmbeddedResource, lines: LineIndex, options: ValidateOptions = {}, keyWriter?: KeyWriter): EmbeddedAnalysis {
  const virtual = new VirtualDocument(resource, source);
  const analysis = analyze(virtual.text, { ...options, fileName: undefined, target: resource.target, logBucket: resource.logBucket ?? options.logBucket });
  const diagnostics: SelectorDiagnostic[] = [];
  for (const d of analysis.diagnostics) {
    const m = virtual.mapDiagnostic(d, lines, keyWriter);
    if (m) diagnostics.push(m);
  }
  return { resource, virtual, analysis, diagnostics };
}

/** Completion inside a string/key of a resource; ranges and insert texts in source terms. */
export function completeResource(source: string, resource: EmbeddedResource, offset: number, options: ValidateOptions = {}, keyWriter?: KeyWriter): SelectorCompletion[] {
  const virtual = new VirtualDocument(resource, source);
  const v = virtual.toVirtual(offset);
  if (v === undefined) return [];
  const items = complete(virtual.text, v, { ...options, fileName: undefined, target: resource.target });
  const out: SelectorCompletion[] = [];
  for (const it of items) {
    if (it.snippet) continue;
    const edit = virtual.mapEdit({ offset: it.range.offset, length: it.range.length, newText: it.insertText }, keyWriter);
    if (!edit) continue;
    out.push({ ...it, insertText: edit.newText, range: { offset: edit.offset, length: edit.length }, filterText: edit.newText });
  }
  return out;
}

export function hoverResource(source: string, resource: EmbeddedResource, offset: number, options: ValidateOptions = {}): SelectorHover | undefined {
  const virtual = new VirtualDocument(resource, source);
  const v = virtual.toVirtual(offset);
  if (v === undefined) return undefined;
  const h = hover(virtual.text, v, { ...options, fileName: undefined, target: resource.target });
  if (!h) return undefined;
  const src = virtual.toSource(h.offset, h.length);
  return src ? { ...h, offset: src.offset, length: src.length } : undefined;
}

/** The resource's selectors as a selector JSON document, for the dry run (an unknown value is a string that matches nothing). */
export function resourceSelectorsJson(resource: EmbeddedResource, source: string): string {
  return new VirtualDocument(resource, source).text;
}
