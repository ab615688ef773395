/**
 * "Open in Record Viewer" for query results. ONE function, openQueryRecords, decides how records reach the viewer:
 * it reads the records back from their files (by eventid and "$path") and hands them to the viewer as `records`
 * sources of the ingest path (src/core/ingest): each record's own text, no second parse, its file named in the
 * Source column ("Open source file at this record" works).
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { QueryResult } from '../core/query/duckdb';
import type { CloudTrailRecord, parseBytes } from '../core/records';
import type { CombinedRecords, IngestSource } from '../core/ingest/ingest';

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

/** `parse` is core/records' parseBytes, passed in by the extension bundle (the query bundle does not carry it). */
export async function openQueryRecords(refs: readonly RecordRef[], parse: typeof parseBytes): Promise<unknown> {
  const byFile = new Map<string, Set<string>>();
  for (const r of refs.slice(0, MAX_OPEN)) {
    if (!byFile.has(r.path)) byFile.set(r.path, new Set());
    byFile.get(r.path)!.add(r.eventId);
  }
  const found = new Map<string, { record: CloudTrailRecord; file: string }>();
  for (const [file, ids] of byFile) {
    const bytes = await vscode.workspace.fs.readFile(vscode.Uri.file(file));
    for (const rec of parse(bytes, file).records) {
      const id = rec.event.eventID;
      if (typeof id === 'string' && ids.has(id) && !found.has(id)) found.set(id, { record: rec, file });
    }
  }
  // Keep the result's row order: consecutive records of one file make one source.
  const sources: IngestSource[] = [];
  const origins = new Map<string, { label: string; description: string; file: string }>();
  const used = new Set<string>();
  let current: { file: string; records: CloudTrailRecord[] } | undefined;
  for (const r of refs) {
    const hit = found.get(r.eventId);
    if (!hit || used.has(r.eventId)) continue;
    used.add(r.eventId);
    if (!current || current.file !== hit.file) {
      current = { file: hit.file, records: [] };
      if (!origins.has(hit.file)) origins.set(hit.file, { label: path.basename(hit.file), description: hit.file, file: vscode.Uri.file(hit.file).toString() });
      sources.push({ kind: 'records', records: current.records, origin: origins.get(hit.file) });
    }
    current.records.push(hit.record);
  }
  const args: CombinedRecords = { title: `Query results (${used.size} records)`, plan: { sources } };
  return vscode.commands.executeCommand('cloudtrailLens.openRecords', args);
}
