/**
 * "Open in Record Viewer" for query results. ONE function, openQueryRecords, decides how records reach the viewer;
 * today it reads the records back from their files (by eventid and "$path") and hands them to the existing
 * `cloudtrailLens.openRecords` command (the route the explorer's "Open All Events" uses). When the shared ingest
 * API lands, re-point this function and nothing else.
 */
import * as vscode from 'vscode';
import type { QueryResult } from '../core/query/duckdb';
import { parseBytes, stringifyJson } from '../core/records';

export interface RecordRef {
  eventId: string;
  path: string;
}

/** Max records opened at once (the viewer's own limit for generated lists is larger; this keeps reading fast). */
const MAX_OPEN = 50_000;

/** When a local result has `eventid` and `"$path"` columns, the records its rows name. */
export function recordRefs(r: QueryResult): RecordRef[] {
  if (r.engine !== 'duckdb') return [];
  const id = r.columns.findIndex((c) => c.name.toLowerCase() === 'eventid');
  const p = r.columns.findIndex((c) => c.name === '$path');
  if (id < 0 || p < 0) return [];
  const out: RecordRef[] = [];
  for (const row of r.rows) {
    if (typeof row[id] === 'string' && typeof row[p] === 'string') out.push({ eventId: row[id] as string, path: row[p] as string });
  }
  return out;
}

export async function openQueryRecords(refs: readonly RecordRef[]): Promise<unknown> {
  const byFile = new Map<string, Set<string>>();
  for (const r of refs.slice(0, MAX_OPEN)) {
    if (!byFile.has(r.path)) byFile.set(r.path, new Set());
    byFile.get(r.path)!.add(r.eventId);
  }
  const found = new Map<string, string>();
  for (const [file, ids] of byFile) {
    const bytes = await vscode.workspace.fs.readFile(vscode.Uri.file(file));
    for (const rec of parseBytes(bytes, file).records) {
      const id = rec.event.eventID;
      if (typeof id === 'string' && ids.has(id) && !found.has(id)) found.set(id, rec.text ?? stringifyJson(rec.event));
    }
  }
  // Keep the result's row order.
  const texts = refs.map((r) => found.get(r.eventId)).filter((t): t is string => t !== undefined);
  const unique = [...new Set(texts)];
  const text = `{"Records":[\n${unique.join(',\n')}\n]}\n`;
  return vscode.commands.executeCommand('cloudtrailLens.openRecords', { title: `Query results (${unique.length} records)`, text });
}
