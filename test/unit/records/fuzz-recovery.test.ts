// Issue 14, "Figures": a seeded damage fuzz of record files at the probe's size (≥ 5,000 cases) that counts, besides
// crashes, the records lost: a record whose text the damage did not touch must come back. The logs are built here
// from corpus records (each given a unique eventID), in the three layouts the core reads: a one-line
// `{"Records":[…]}` log as CloudTrail delivers it, one record per line inside `Records`, and JSON Lines.
// Override with FUZZ_SEED / RECOVERY_FUZZ_CASES; the closing line prints the figures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { parseBytes, parseText, StreamingParser, type JsonObject } from '../../../src/core/records';
import { corpus, prng } from './helpers';

const SEED = Number(process.env.FUZZ_SEED ?? 0x14d3);
const CASES = Number(process.env.RECOVERY_FUZZ_CASES ?? 5000);

type Layout = 'one-line' | 'per-line' | 'jsonl';
const OPS = ['truncate', 'copy-span', 'delete-char', 'insert-char', 'flip-byte', 'delete-span'] as const;

/** Corpus records, re-serialised compactly, with the core's first key order kept. */
function corpusEvents(): JsonObject[] {
  const out: JsonObject[] = [];
  for (const f of corpus()) {
    const r = parseBytes(fs.readFileSync(f), f);
    if (r.kind !== 'log' && r.kind !== 'array' && r.kind !== 'jsonl' && r.kind !== 'event') continue;
    for (const rec of r.records) if (rec.text !== undefined && out.length < 400) out.push(JSON.parse(rec.text) as JsonObject);
  }
  return out;
}

test(`record damage fuzz: records lost, crashes (seed ${SEED}, ${CASES} cases)`, () => {
  const rnd = prng(SEED);
  const int = (n: number) => Math.floor(rnd() * n);
  const events = corpusEvents();
  assert.ok(events.length >= 50, 'corpus records');
  const garbage = ['{', '}', '[', ']', '"', '\\', ',', ':', '\n', '\u0000', 'x', ' '];
  let crashes = 0;
  let lost = 0;
  let flaggedDamage = 0;
  let serial = 0;
  const lostCases: string[] = [];
  const t0 = Date.now();
  for (let c = 0; c < CASES; c++) {
    const layout: Layout = (['one-line', 'one-line', 'per-line', 'jsonl'] as const)[int(4)];
    const n = 10 + int(40);
    // Each record: a corpus event with its eventID replaced by a unique one (its identity for the count).
    const texts: string[] = [];
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      // Key order as CloudTrail writes it (eventVersion first), the same for every record of a file.
      const src = events[int(events.length)];
      const e: JsonObject = { eventVersion: src.eventVersion ?? '1.08', ...src };
      const id = `fz-${serial++}`;
      if ('eventID' in e) e.eventID = id;
      else Object.assign(e, { eventID: id });
      ids.push(id);
      texts.push(JSON.stringify(e));
    }
    const head = layout === 'jsonl' ? '' : layout === 'one-line' ? '{"Records":[' : '{"Records":[\n';
    const sep = layout === 'one-line' ? ',' : layout === 'per-line' ? ',\n' : '\n';
    const tail = layout === 'jsonl' ? '\n' : layout === 'one-line' ? ']}' : '\n]}\n';
    const spans: [number, number][] = [];
    let at = head.length;
    for (const t of texts) {
      spans.push([at, at + t.length]);
      at += t.length + sep.length;
    }
    const good = head + texts.join(sep) + tail;
    // The damage: text [from, to) of `good` is replaced; records overlapping it (or after a cut) may go.
    const op = OPS[int(OPS.length)];
    let bad: string;
    let from = int(good.length);
    let to = from + 1;
    switch (op) {
      case 'truncate':
        bad = good.slice(0, from);
        to = good.length;
        break;
      case 'copy-span': {
        const len = 1 + int(2000);
        to = Math.min(good.length, from + len);
        bad = good.slice(0, to) + good.slice(from, to) + good.slice(to);
        break;
      }
      case 'delete-span':
        to = Math.min(good.length, from + 1 + int(300));
        bad = good.slice(0, from) + good.slice(to);
        break;
      case 'delete-char':
        bad = good.slice(0, from) + good.slice(from + 1);
        break;
      case 'insert-char':
        bad = good.slice(0, from) + garbage[int(garbage.length)] + good.slice(from);
        to = from;
        break;
      default: {
        const ch = good.charCodeAt(from) ^ (1 << int(7));
        bad = good.slice(0, from) + String.fromCharCode(ch || 1) + good.slice(from + 1);
      }
    }
    let got: Set<string>;
    let problems = 0;
    try {
      if (c % 3 === 0) {
        // Through the streaming path in small pieces, as the CLI and the viewer read.
        const p = new StreamingParser();
        const bytes = new TextEncoder().encode(bad);
        const recs = [];
        for (let i = 0; i < bytes.length; ) {
          const size = 1 + int(4096);
          recs.push(...p.push(bytes.subarray(i, i + size)));
          i += size;
        }
        const end = p.end();
        recs.push(...end.records);
        problems = end.problems.filter((x) => x.severity === 'error').length;
        got = new Set(recs.map((r) => String(r.event.eventID)));
      } else {
        const r = parseText(bad);
        problems = r.problems.filter((x) => x.severity === 'error').length;
        got = new Set(r.records.map((x) => String(x.event.eventID)));
      }
    } catch (e) {
      crashes++;
      lostCases.push(`case ${c} (${layout}, ${op}) threw ${e instanceof Error ? e.message : e}`);
      continue;
    }
    if (problems) flaggedDamage++;
    // Touching the damage: a record whose text overlaps [from, to], or lies after a cut; a damage in the separator
    // next to a record (`,\n` → `,"\n`) touches that record too.
    const missing = ids.filter((id, i) => !got.has(id) && !(spans[i][1] + sep.length >= from && spans[i][0] - sep.length <= to));
    if (missing.length) {
      lost += missing.length;
      if (lostCases.length < 10) lostCases.push(`case ${c} (${layout}, ${op} at ${from}-${to}): lost ${missing.length}`);
    }
  }
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  console.log(`# record damage fuzz: ${CASES} cases, ${crashes} crashes, ${lost} intact records lost, ${flaggedDamage} cases with an error problem, ${secs} s (seed ${SEED})`);
  for (const l of lostCases) console.log(`#   ${l}`);
  assert.equal(crashes, 0, lostCases.join('\n'));
  assert.equal(lost, 0, lostCases.join('\n'));
});
