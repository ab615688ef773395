import * as fs from 'node:fs';
import * as path from 'node:path';
import { corpusFiles } from '../../support/paths';
import type { CloudTrailRecord, FileKind, ParseResult } from '../../../src/core/records';

export { prng } from '../../support/prng';

export interface Expectation {
  kind: FileKind;
  count: number;
}

/**
 * The kind and record count of a corpus file, worked out here with JSON.parse and line splitting only
 * (independently of the core), from the shapes described in corpus/SOURCES.md.
 */
export function expectationFor(file: string): Expectation {
  const text = fs.readFileSync(file, 'utf8');
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  // EventBridge events (documented envelope keys, the CloudTrail record under `detail`) in any of the three shapes.
  const isEnvelope = (x: unknown) => !!x && typeof x === 'object' && 'detail-type' in x && 'detail' in x;
  if (file.endsWith('.jsonl') || (lines.length > 1 && lines.every((l) => l.trim().startsWith('{') && isJson(l)))) {
    return { kind: isEnvelope(JSON.parse(lines[0])) ? 'eventbridge' : 'jsonl', count: lines.length };
  }
  const v = JSON.parse(text) as unknown;
  if (Array.isArray(v)) return { kind: v.length && isEnvelope(v[0]) ? 'eventbridge' : 'array', count: v.length };
  if (isEnvelope(v)) return { kind: 'eventbridge', count: 1 };
  const o = v as Record<string, unknown>;
  if (Array.isArray(o.Records)) return { kind: 'log', count: o.Records.length };
  if (Array.isArray(o.Events)) return { kind: 'lookup-events', count: o.Events.length };
  if ('digestS3Object' in o) return { kind: 'digest', count: 0 };
  if ('EventName' in o || 'RequestParamters' in o) return { kind: 'legacy-iot', count: 1 };
  return { kind: 'event', count: 1 };
}

function isJson(s: string): boolean {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
}

export function corpus(): string[] {
  return corpusFiles();
}

export function rel(file: string): string {
  return path.basename(path.dirname(file)) + '/' + path.basename(file);
}

export function errors(r: Pick<ParseResult, 'problems'>) {
  return r.problems.filter((p) => p.severity === 'error');
}

/** Records reduced to what must be identical between two ways of parsing the same content. */
export function comparable(records: CloudTrailRecord[]) {
  return records.map((r) => ({ index: r.index, event: r.event, range: r.range, original: r.original }));
}

export function lineOf(text: string, offset: number): number {
  let n = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}
