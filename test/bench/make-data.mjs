// Builds the ~100 MB `{"Records":[...]}` benchmark log from the test corpus records (test/corpus) (cached in
// test/bench/.data/, which is git-ignored). eventID/eventTime/requestID vary per record so the file is not a
// repetition of a few identical records. Usage: node test/bench/make-data.mjs [targetMB]
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const corpus = join(root, 'test', 'corpus');

function corpusRecords() {
  const out = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(json|jsonl)$/.test(e.name) && e.name !== '_index.json') {
        const text = readFileSync(p, 'utf8');
        let values;
        try {
          const v = JSON.parse(text);
          values = Array.isArray(v) ? v : Array.isArray(v.Records) ? v.Records : Array.isArray(v.Events) ? v.Events : [v];
        } catch {
          values = text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
        }
        for (const r of values) if (r && typeof r === 'object' && (r.eventName || r.eventname) && !r.digestS3Object) out.push(r);
      }
    }
  };
  walk(corpus);
  return out;
}

/** Returns the path of the cached benchmark file, building it if needed. */
export function benchLog(targetMB = 100) {
  const dir = join(root, 'test', 'bench', '.data');
  const file = join(dir, `records-${targetMB}mb.json`);
  if (existsSync(file)) return file;
  mkdirSync(dir, { recursive: true });
  const base = corpusRecords();
  const target = targetMB * 1024 * 1024;
  const tmp = file + '.tmp';
  const fd = openSync(tmp, 'w');
  writeSync(fd, '{"Records":[');
  let size = 12;
  let n = 0;
  const t0 = Date.UTC(2024, 0, 1);
  while (size < target) {
    const r = structuredClone(base[n % base.length]);
    const h = createHash('md5').update(String(n)).digest('hex');
    r.eventID = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
    r.eventTime = new Date(t0 + n * 937).toISOString().replace(/\.\d{3}Z$/, 'Z');
    r.requestID = h.slice(0, 16).toUpperCase();
    const s = (n ? ',' : '') + JSON.stringify(r);
    writeSync(fd, s);
    size += Buffer.byteLength(s);
    n++;
  }
  writeSync(fd, ']}');
  closeSync(fd);
  renameSync(tmp, file);
  writeFileSync(file + '.gz', gzipSync(readFileSync(file)));
  return file;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const f = benchLog(Number(process.argv[2] ?? 100));
  console.log(f);
}
