/**
 * The argument of `cloudtrailLens.openRecords`: what a combined record view shows. Pure (no `vscode`) so tests
 * and benchmarks use the same code as the command.
 *
 * Three forms are accepted:
 * - `{ title, plan, … }` (CombinedRecords): an ingest plan (src/core/ingest/ingest.ts) — many files, in-memory
 *   events, parsed records — that the viewer fills its table from while it shows the rows; callers in this
 *   extension host may pass `signal`, `onProgress` and `onDone` to follow and cancel the work.
 * - `{ title, events: object[] }`: events as objects (the form other extensions or older callers use); they
 *   become a plan with one `events` source.
 * - `{ title, text: string }`: a ready `{"Records":[…]}` text, shown as a file would be (read and parsed once).
 * The `{"Records":[…]}` text of the first two forms exists only once someone reads the generated file ("Open as
 * JSON"): see memfs.ts.
 */
import { stringifyJson } from '../core/json';
import type { JsonValue } from '../core/records/types';
import type { CombinedRecords } from '../core/ingest/ingest';

export type { CombinedRecords } from '../core/ingest/ingest';

export const DEFAULT_RECORDS_TITLE = 'CloudTrail records';

/** `{"Records":[…]}` with two-space indentation; big integers and odd keys survive (core stringify). */
export function recordsText(events: JsonValue[]): string {
  return stringifyJson({ Records: events }, 2) + '\n';
}

/** What an `openRecords` argument asks for; anything malformed falls back to an empty list. */
export function openRecordsInput(arg: unknown): CombinedRecords | { title: string; text: string } {
  const a = (arg !== null && typeof arg === 'object' ? arg : {}) as Partial<CombinedRecords> & { events?: unknown; text?: unknown };
  const title = typeof a.title === 'string' && a.title.trim() ? a.title.trim() : DEFAULT_RECORDS_TITLE;
  if (typeof a.text === 'string') return { title, text: a.text };
  if (a.plan && typeof a.plan === 'object' && Array.isArray(a.plan.sources)) {
    const out: CombinedRecords = { title, plan: a.plan };
    if (a.signal) out.signal = a.signal;
    if (typeof a.onProgress === 'function') out.onProgress = a.onProgress;
    if (typeof a.onDone === 'function') out.onDone = a.onDone;
    return out;
  }
  const events = Array.isArray(a.events) ? (a.events as JsonValue[]) : [];
  return { title, plan: { sources: [{ kind: 'events', events }] } };
}
