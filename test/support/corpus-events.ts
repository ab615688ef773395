import * as fs from 'node:fs';
import { corpusFiles } from './paths';

/**
 * Corpus records that look like real deliveries (they have an `eventTime`), read with plain JSON.parse (whole file,
 * else line by line) rather than the record core, so benchmarks built on them do not depend on the code they measure.
 */
export function corpusDeliveredEvents(): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const f of corpusFiles()) {
    const text = fs.readFileSync(f, 'utf8');
    let values: unknown[];
    try {
      const v = JSON.parse(text);
      values = Array.isArray(v) ? v : Array.isArray(v?.Records) ? v.Records : [v];
    } catch {
      values = text.split('\n').filter((l) => l.trim()).flatMap((l) => {
        try {
          return [JSON.parse(l)];
        } catch {
          return [];
        }
      });
    }
    for (const v of values) {
      if (v && typeof v === 'object' && typeof (v as Record<string, unknown>).eventTime === 'string') out.push(v as Record<string, unknown>);
    }
  }
  return out;
}
