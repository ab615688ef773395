/**
 * Viewer insight benchmark: the timeline and field counts for a full view, the identity trace over ~200k loaded
 * records, and a JSON Lines export, on the records bench's ~100 MB file. Each is printed next to a baseline
 * measured in this run: `readFile + JSON.parse` of the file for the view figures, `jq -c '.Records[]'` writing
 * the same JSON Lines for the export. Prints figures; asserts nothing about time.
 *
 * Run: `npm run bench -- insight`, or `node build/test/bench/insight.bench.js` after `npx tsc -p .`.
 * Env: INSIGHT_BENCH_MB (default 100).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseBytes } from '../../src/core/records';
import { COLUMNS, RecordTable, type ColumnId } from '../../src/core/table';
import { ByteSink, TraceIndex, countValues, exportChunks, histogram } from '../../src/core/insight';
import { repoRoot } from '../support/paths';
import { FIELD_COLUMNS, columnCounts, timelineOf } from '../../src/viewer/insight';

const MB = Number(process.env.INSIGHT_BENCH_MB ?? 100);
const ms = (x: number) => `${x.toFixed(1)} ms`;

function benchFile(): string {
  const r = spawnSync(process.execPath, [path.join(repoRoot, 'test', 'bench', 'make-data.mjs'), String(MB)], { cwd: repoRoot, encoding: 'utf8' });
  const out = (r.stdout ?? '').trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !fs.existsSync(out)) throw new Error(`make-data.mjs failed: ${r.stderr}`);
  return out;
}

function time<T>(fn: () => T): [T, number] {
  const t = performance.now();
  const v = fn();
  return [v, performance.now() - t];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const file = benchFile();
const bytes = fs.readFileSync(file);
const [, parseMs] = time(() => JSON.parse(fs.readFileSync(file, 'utf8')));
const table = new RecordTable();
const parsed = parseBytes(bytes, path.basename(file));
table.add(parsed.records);
const n = table.size;
table.setView({ text: '', chips: [] });
const rows = table.indexes(0, n);
console.log(`file: ${(bytes.length / 1e6).toFixed(0)} MB, ${n} records; baseline readFile + JSON.parse ${ms(parseMs)}`);

// Timeline: full view, split errors vs. successes.
const tl: number[] = [];
for (let r = 0; r < 5; r++) {
  tl.push(time(() => histogram({ count: rows.length, time: (k) => table.time(rows[k]), series: (k) => (table.cell(rows[k], 'errorCode') ? 1 : 0), seriesNames: ['success', 'error'] }))[1]);
}
console.log(`timeline (full view, errors vs. successes): median ${ms(median(tl))} (goal ≤ 100 ms) = ${(median(tl) / parseMs).toFixed(3)} × baseline`);

// Field counts: every visible column.
const visible = COLUMNS.filter((c) => c.defaultVisible).map((c) => c.id as ColumnId);
const fc: number[] = [];
for (let r = 0; r < 5; r++) {
  fc.push(time(() => visible.map((col) => countValues(col, rows.length, (k) => table.cell(rows[k], col))))[1]);
}
console.log(`field counts (${visible.length} columns, full view): median ${ms(median(fc))} (goal ≤ 100 ms) = ${(median(fc) / parseMs).toFixed(3)} × baseline`);

// What the viewer's host really sends after a filter change (src/viewer/insight.ts): timeline + every Fields
// column from the table's codes, and the size of that message, which depends on bars and top values, not on
// the record count (the webview never receives rows for it).
const view = table.createView();
view.setView({ text: '', chips: [] });
const host: number[] = [];
let message = '';
for (let r = 0; r < 5; r++) {
  host.push(time(() => {
    const rowsNow = view.viewIndexes();
    message = JSON.stringify({ timeline: timelineOf(table, rowsNow, '', 80), fields: columnCounts(table, rowsNow) });
  })[1]);
}
console.log(`viewer insight after a filter change (timeline + ${FIELD_COLUMNS.length} field columns, ${n} records): median ${ms(median(host))} (goal ≤ 100 ms) = ${(median(host) / parseMs).toFixed(3)} × baseline`);
const errorsOnly = view.setView({ text: '', chips: [{ column: 'errorCode', value: '', exclude: true }] });
const [, filteredMs] = time(() => JSON.stringify({ timeline: timelineOf(table, view.viewIndexes(), 'eventSource', 80), fields: columnCounts(table, view.viewIndexes()) }));
console.log(`  same, after filtering to the ${errorsOnly.matched} failed calls, split by event source: ${ms(filteredMs)}`);
const small = new RecordTable();
small.add(parsed.records.slice(0, Math.max(1, Math.floor(n / 10))));
const smallView = small.createView();
smallView.setView({ text: '', chips: [] });
const smallMessage = JSON.stringify({ timeline: timelineOf(small, smallView.viewIndexes(), '', 80), fields: columnCounts(small, smallView.viewIndexes()) });
console.log(`  message to the webview: ${(message.length / 1024).toFixed(1)} KB for ${n} records, ${(smallMessage.length / 1024).toFixed(1)} KB for ${small.size} (aggregates only: bounded by bars × series and ${FIELD_COLUMNS.length} × top values)`);

// Identity trace over ~200k records: the file's records twice (and part of a third time).
const big = new RecordTable();
let added = 0;
while (added < 200_000) {
  const take = parsed.records.slice(0, Math.min(parsed.records.length, 200_000 - added));
  big.add(take);
  added += take.length;
}
const src = {
  size: big.size,
  accessKey: (i: number) => big.cell(i, 'accessKey'),
  eventName: (i: number) => big.cell(i, 'eventName'),
  who: (i: number) => big.cell(i, 'who'),
  time: (i: number) => big.time(i),
  // As src/trace does: the engine's JSON.parse of the record text (the trace reads only strings).
  event: (i: number) => JSON.parse(big.recordText(i)),
};
const [index, buildMs] = time(() => new TraceIndex(src));
let start = 0;
for (let i = 0; i < big.size; i++) if (big.cell(i, 'accessKey').startsWith('ASIA')) { start = i; break; }
const [trace, traceMs] = time(() => index.trace(start));
console.log(`identity trace over ${big.size} records: index ${ms(buildMs)} + trace ${ms(traceMs)} = ${ms(buildMs + traceMs)} = ${((buildMs + traceMs) / 1000).toFixed(2)} × the 1 s goal (goal ≤ 1 ×); ${((buildMs + traceMs) / parseMs).toFixed(2)} × baseline; chain of ${trace.chain.length}, ${trace.root.count} records under the root`);
// A second trace reuses the index (the viewer keeps it per table): what a further click costs.
let start2 = start;
for (let i = big.size - 1; i >= 0; i--) if (big.cell(i, 'accessKey')) { start2 = i; break; }
const [, trace2Ms] = time(() => index.trace(start2));
console.log(`identity trace, index reused: ${ms(trace2Ms)} = ${(trace2Ms / 1000).toFixed(3)} × the 1 s goal`);

// Export: JSON Lines of the whole view vs jq, the way the extension does it (src/export): chunks gathered as
// UTF-8 in a ByteSink, then one write of the file.
const out = path.join(os.tmpdir(), `ctl-insight-${process.pid}.jsonl`);
const [, exportMs] = time(() => {
  const sink = new ByteSink(rows.length * 1024);
  for (const chunk of exportChunks('jsonl', { count: rows.length, text: (k) => table.recordText(rows[k]) })) sink.push(chunk.text);
  fs.writeFileSync(out, sink.bytes());
});
const jqOut = path.join(os.tmpdir(), `ctl-insight-${process.pid}.jq.jsonl`);
const jq = spawnSync('bash', ['-c', `command -v jq >/dev/null && { s=$(date +%s%N); jq -c '.Records[]' "$1" > "$2"; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }`, '_', file, jqOut], { encoding: 'utf8' });
const jqMs = Number(jq.stdout.trim());
const lines = fs.readFileSync(out, 'utf8').split('\n').filter(Boolean).length;
console.log(`export JSON Lines (${lines} records): ${ms(exportMs)}` + (jqMs > 0 ? `; jq -c '.Records[]' ${ms(jqMs)} → ${(jqMs / exportMs).toFixed(2)} × jq's speed (goal ≥ 1 ×)` : '; jq not installed'));
for (const f of [out, jqOut]) fs.rmSync(f, { force: true });
