/**
 * The argument of `cloudtrailLens.openRecords`, turned into the text of the generated document. Pure (no `vscode`)
 * so tests and benchmarks use the same code as the command.
 *
 * Two forms are accepted:
 * - `{ title, events: object[] }`: events as objects (AWS explorer, selector dry run); written out here.
 * - `{ title, text: string }`: a ready `{"Records":[…]}` text (the local folders' "Open All Events" builds it from
 *   the records' own text in worker threads), shown as it is — no event object is built just to be serialised.
 */
import { stringifyJson } from '../core/json';
import type { JsonValue } from '../core/records/types';

export const DEFAULT_RECORDS_TITLE = 'CloudTrail records';

/** `{"Records":[…]}` with two-space indentation; big integers and odd keys survive (core stringify). */
export function recordsText(events: JsonValue[]): string {
  return stringifyJson({ Records: events }, 2) + '\n';
}

/** Title and document text for an `openRecords` argument; anything malformed falls back to an empty list. */
export function openRecordsInput(arg: unknown): { title: string; text: string } {
  const a = (arg !== null && typeof arg === 'object' ? arg : {}) as { title?: unknown; events?: unknown; text?: unknown };
  const title = typeof a.title === 'string' && a.title.trim() ? a.title.trim() : DEFAULT_RECORDS_TITLE;
  if (typeof a.text === 'string') return { title, text: a.text };
  const events = Array.isArray(a.events) ? (a.events as JsonValue[]) : [];
  return { title, text: recordsText(events) };
}
