/**
 * Loads the shared corpus as CloudTrailRecord batches for the table tests. Uses the record core's
 * `parseBytes` (src/core/records) when it exists; until then a small stand-in reader covers the corpus
 * shapes (Records wrapper, arrays, single objects, JSON Lines, lookup-events) with the core's lossless parser.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseLossless } from '../../../src/core/json';
import { LosslessNumber, type CloudTrailRecord, type JsonObject, type JsonValue } from '../../../src/core/records/types';
import { corpusFiles } from '../../support/paths';

type ParseBytes = (bytes: Uint8Array, options?: unknown) => { records: CloudTrailRecord[] };

function recordCore(): ParseBytes | undefined {
  // Resolved at run time so this file compiles before the record core exists.
  const modPath = path.join(__dirname, '..', '..', '..', 'src', 'core', 'records', 'index.js');
  if (!fs.existsSync(modPath)) return undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(modPath) as { parseBytes?: ParseBytes };
    return typeof mod.parseBytes === 'function' ? mod.parseBytes : undefined;
  } catch {
    return undefined;
  }
}

const isObj = (v: JsonValue | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v) && !LosslessNumber.is(v);

function standIn(text: string): CloudTrailRecord[] {
  const out: CloudTrailRecord[] = [];
  const push = (v: JsonValue | undefined) => {
    if (typeof v === 'string') {
      try {
        v = parseLossless(v);
      } catch {
        return;
      }
    }
    if (isObj(v) && ('eventName' in v || 'eventTime' in v || 'userIdentity' in v || 'eventType' in v))
      out.push({ index: out.length, event: v, range: { startLine: 1, endLine: 1, startOffset: -1, endOffset: -1 } });
  };
  const visit = (v: JsonValue) => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (isObj(v)) {
      if (Array.isArray(v.Records)) v.Records.forEach(visit);
      else if (Array.isArray(v.Events)) for (const e of v.Events) visit(isObj(e) && e.CloudTrailEvent !== undefined ? (e.CloudTrailEvent as JsonValue) : e);
      else push(v);
    } else if (typeof v === 'string') push(v);
  };
  try {
    visit(parseLossless(text));
  } catch {
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        visit(parseLossless(line));
      } catch {
        /* not a record line */
      }
    }
  }
  return out;
}

export interface CorpusFile {
  file: string;
  records: CloudTrailRecord[];
}

let cache: CorpusFile[] | undefined;

/** Every corpus file with its records (files without records are left out). */
export function corpus(): CorpusFile[] {
  if (cache) return cache;
  const core = recordCore();
  cache = [];
  for (const file of corpusFiles()) {
    const bytes = fs.readFileSync(file);
    let records: CloudTrailRecord[];
    try {
      records = core ? core(bytes).records : standIn(bytes.toString('utf8'));
    } catch {
      records = standIn(bytes.toString('utf8'));
    }
    if (records.length) cache.push({ file, records });
  }
  return cache;
}

export function corpusRecords(): CloudTrailRecord[] {
  return corpus().flatMap((f) => f.records);
}

export const usingRecordCore = (): boolean => recordCore() !== undefined;

/**
 * Events whose text has an unusual lower case: characters that lower-case to another length (İ) or to ASCII
 * (the Kelvin sign), non-ASCII letters, an emoji (a surrogate pair), mixed case, a tab and JSON escapes.
 */
export function oddCaseEvents(): JsonObject[] {
  return ['İstanbul ıi', 'Kelvin \u212a and ß', 'emoji 😀 and é', 'UPPER lower MiXeD', 'tab\there', 'quote \\" back \\\\'].map((s, i) => ({
    eventVersion: '1.08',
    eventTime: `2024-01-01T00:00:0${i}Z`,
    eventName: `Odd${i}`,
    eventSource: 'test.amazonaws.com',
    userAgent: s,
  }));
}
