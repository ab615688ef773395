// Benchmark orchestrator: compiles the TypeScript (tsc -> build/) and runs every build/test/bench/*.bench.js in
// its own node process (so one benchmark's heap and JIT state cannot skew another), printing their output.
// Usage: node test/bench/run.mjs [name-filter...]   e.g. `node test/bench/run.mjs records`
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const filters = process.argv.slice(2);

console.log('bench: compiling (npx tsc -p .)…');
const tsc = spawnSync('npx', ['tsc', '-p', '.'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
if (tsc.status !== 0) {
  // tsc still emits JavaScript when there are type errors elsewhere; run what was built, but say so.
  console.log(`bench: tsc reported errors (exit ${tsc.status}); running the benchmarks that were emitted anyway.`);
}

const dir = join(root, 'build', 'test', 'bench');
const benches = existsSync(dir)
  ? readdirSync(dir)
      .filter((f) => f.endsWith('.bench.js'))
      .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
      .sort()
  : [];
if (benches.length === 0) {
  console.log('bench: no benchmarks found in build/test/bench');
  process.exit(1);
}
let failed = 0;
for (const f of benches) {
  console.log(`\n=== ${f} ===`);
  const t0 = Date.now();
  const r = spawnSync(process.execPath, ['--expose-gc', join(dir, f)], { cwd: root, stdio: 'inherit' });
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  if (r.status !== 0) {
    failed++;
    console.log(`=== ${f}: FAILED (exit ${r.status ?? r.signal}) after ${secs} s ===`);
  } else console.log(`=== ${f}: done in ${secs} s ===`);
}
process.exit(failed ? 1 : 0);
