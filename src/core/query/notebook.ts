/**
 * The `.ctnb` investigation notebook file: plain, stable JSON a team can commit and re-run.
 *
 *   { "cloudtrailLensNotebook": 1,
 *     "source": { "kind": "folder", "paths": ["logs/AWSLogs"] }          // or
 *               { "kind": "athena", "database": "security", "table": "cloudtrail_logs", "workgroup"?, "region"? },
 *     "cells": [ { "kind": "markdown" | "sql", "value": "…", "source"?: <same as above, for this cell only> } ] }
 *
 * Folder paths are written relative to the notebook's folder when they are inside it.
 */
import { QUERY_LIBRARY, renderQuery } from './library';

export type NotebookSource =
  | { kind: 'folder'; paths: string[] }
  | { kind: 'athena'; database: string; table: string; workgroup?: string; region?: string; outputLocation?: string };

export interface NotebookCellData {
  kind: 'markdown' | 'sql';
  value: string;
  source?: NotebookSource;
}

export interface NotebookFile {
  source?: NotebookSource;
  cells: NotebookCellData[];
}

function parseSource(v: unknown): NotebookSource | undefined {
  if (!v || typeof v !== 'object') return undefined;
  const o = v as Record<string, unknown>;
  if (o.kind === 'folder' && Array.isArray(o.paths)) return { kind: 'folder', paths: o.paths.filter((p): p is string => typeof p === 'string') };
  if (o.kind === 'athena' && typeof o.database === 'string' && typeof o.table === 'string') {
    const s: NotebookSource = { kind: 'athena', database: o.database, table: o.table };
    for (const k of ['workgroup', 'region', 'outputLocation'] as const) if (typeof o[k] === 'string') s[k] = o[k] as string;
    return s;
  }
  return undefined;
}

/** Reads a notebook file; empty or damaged text gives an empty notebook plus the reason (never throws). */
export function parseNotebook(text: string): { notebook: NotebookFile; problem?: string } {
  if (!text.trim()) return { notebook: { cells: [] } };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { notebook: { cells: [{ kind: 'markdown', value: `**This notebook file is not valid JSON** (${err instanceof Error ? err.message : String(err)}). Its text was not changed on disk; fix it in a text editor (Reopen Editor With… → Text Editor).` }] }, problem: 'invalid JSON' };
  }
  const o = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const cells: NotebookCellData[] = [];
  for (const c of Array.isArray(o.cells) ? o.cells : []) {
    if (!c || typeof c !== 'object') continue;
    const cc = c as Record<string, unknown>;
    const value = typeof cc.value === 'string' ? cc.value : Array.isArray(cc.value) ? cc.value.join('\n') : '';
    const cell: NotebookCellData = { kind: cc.kind === 'markdown' ? 'markdown' : 'sql', value };
    const src = parseSource(cc.source);
    if (src) cell.source = src;
    cells.push(cell);
  }
  const source = parseSource(o.source);
  return { notebook: source ? { source, cells } : { cells } };
}

export function serializeNotebook(nb: NotebookFile): string {
  const out: Record<string, unknown> = { cloudtrailLensNotebook: 1 };
  if (nb.source) out.source = nb.source;
  out.cells = nb.cells.map((c) => (c.source ? { kind: c.kind, value: c.value, source: c.source } : { kind: c.kind, value: c.value }));
  return JSON.stringify(out, null, 2) + '\n';
}

/** The starter notebook: one markdown + one SQL cell per library query. */
export function starterNotebook(source?: NotebookSource, firstSql?: string): NotebookFile {
  const engine = source?.kind === 'athena' ? 'athena' : 'duckdb';
  const cells: NotebookCellData[] = [
    {
      kind: 'markdown',
      value:
        '# CloudTrail investigation\n\nEach SQL cell queries the table `cloudtrail` (the columns of AWS\'s Athena table for CloudTrail, plus `account`, `region`, `timestamp` and `"$path"`). ' +
        (engine === 'athena'
          ? 'This notebook runs on **Athena**: filter on `"timestamp"` (yyyy/MM/dd) to limit the data scanned.'
          : 'This notebook runs on **embedded DuckDB** over a log folder; `eventtime` bounds (ISO strings) limit the files read.') +
        ' JSON text fields: `json_extract_string(requestparameters, \'$.x\')` on DuckDB, `json_extract_scalar(…)` on Athena.',
    },
  ];
  if (firstSql) cells.push({ kind: 'sql', value: firstSql });
  for (const q of QUERY_LIBRARY) {
    cells.push({ kind: 'markdown', value: `### ${q.title}\n${q.purpose}${q.params ? ` Edit the ${Object.keys(q.params).map((p) => `\`${p}\``).join(', ')} value below.` : ''}` });
    cells.push({ kind: 'sql', value: renderQuery(q, engine) });
  }
  return source ? { source, cells } : { cells };
}
