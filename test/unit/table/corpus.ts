/**
 * Loads the corpus (test/corpus) as CloudTrailRecord batches for the table tests, through the record core's
 * `parseBytes` — the same reader the product uses. There is no fallback: if the core throws on a corpus file the
 * tests fail and name the file, rather than quietly testing the table with records read some other way.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseBytes } from '../../../src/core/records';
import type { CloudTrailRecord, JsonObject } from '../../../src/core/records/types';
import { corpusFiles } from '../../support/paths';

export interface CorpusFile {
  file: string;
  records: CloudTrailRecord[];
}

let cache: CorpusFile[] | undefined;

/** Every corpus file with its records (files without records are left out). */
export function corpus(): CorpusFile[] {
  if (cache) return cache;
  cache = [];
  for (const file of corpusFiles()) {
    const bytes = fs.readFileSync(file);
    let records: CloudTrailRecord[];
    try {
      records = parseBytes(bytes, path.basename(file)).records;
    } catch (err) {
      throw new Error(`the record core failed on corpus file ${file}: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (records.length) cache.push({ file, records });
  }
  return cache;
}

export function corpusRecords(): CloudTrailRecord[] {
  return corpus().flatMap((f) => f.records);
}

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
