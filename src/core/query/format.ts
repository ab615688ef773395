/** Text forms of a query result: an aligned table, JSON (one object per row) and CSV (RFC 4180). */
import type { QueryResult } from './duckdb';

export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v);
}

export function formatTable(r: QueryResult, maxWidth = 60): string {
  const head = r.columns.map((c) => c.name);
  const body = r.rows.map((row) => row.map((v) => cellText(v).replace(/[\r\n\t]+/g, ' ')));
  const clip = (s: string) => (s.length > maxWidth ? s.slice(0, maxWidth - 1) + '…' : s);
  const widths = head.map((h, i) => Math.max(clip(h).length, ...body.map((row) => clip(row[i]).length)));
  const line = (cells: string[]) => cells.map((c, i) => clip(c).padEnd(widths[i])).join('  ').trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n') + '\n';
}

export function formatJson(r: QueryResult): string {
  return r.rows.map((row) => JSON.stringify(Object.fromEntries(r.columns.map((c, i) => [c.name, row[i] ?? null])))).join('\n') + (r.rows.length ? '\n' : '');
}

function csvCell(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function formatCsv(r: QueryResult): string {
  const lines = [r.columns.map((c) => csvCell(c.name)).join(','), ...r.rows.map((row) => row.map((v) => csvCell(cellText(v))).join(','))];
  return lines.join('\r\n') + '\r\n';
}

/** One line saying what was read: rows, time, files/bytes or bytes scanned and cost. */
export function summaryLine(r: QueryResult): string {
  const parts = [`${r.rows.length}${r.truncated ? '+ (first shown)' : ''} row${r.rows.length === 1 ? '' : 's'}`, `${(r.elapsedMs / 1000).toFixed(2)} s`];
  if (r.filesRead !== undefined) parts.push(`${r.filesRead} file${r.filesRead === 1 ? '' : 's'} read (${formatBytes(r.bytesRead ?? 0)})`);
  if (r.cache) parts.push(`cache: ${r.cache.groupsReused} reused, ${r.cache.groupsBuilt} built${r.cache.groupsRemoved ? `, ${r.cache.groupsRemoved} removed` : ''}`);
  if (r.filesSkipped) parts.push(`${r.filesSkipped} outside the time range skipped`);
  if (r.bytesScanned !== undefined) parts.push(`${formatBytes(r.bytesScanned)} scanned`);
  if (r.costUsd !== undefined) parts.push(`≈ $${r.costUsd.toFixed(4)}`);
  return parts.join(' · ');
}

export function formatBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${u === 0 ? v : v.toFixed(1)} ${units[u]}`;
}
