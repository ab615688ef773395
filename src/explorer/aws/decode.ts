/**
 * Fallback for showing a downloaded log object when the record viewer cannot open the file itself: parse the
 * bytes with the shared core parser (gzip, every CloudTrail shape, problems with positions) and hand the records
 * to `cloudtrailLens.openRecords`.
 */
import { parseBytes } from '../../core/records';

export interface DecodedLog {
  events: object[];
  problems: string[];
}

export function decodeLogBytes(bytes: Uint8Array, fileName?: string): DecodedLog {
  const result = parseBytes(bytes, fileName);
  const problems = result.problems.map((p) => `${p.message} (line ${p.line})`);
  if (result.kind === 'digest') problems.push('This is a digest file: it lists log files and their hashes, not events.');
  return { events: result.records.map((r) => r.event), problems };
}
