import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { BUCKET_SIZES, bucketRange, chooseBucket, dragRange, formatUtc, histogram, parseTimeInput, summarise } from '../../../src/core/insight';
import { prng } from '../../support/prng';

const T0 = Date.UTC(2025, 2, 5, 21, 19, 44);

describe('chooseBucket', () => {
  it('picks the smallest width that keeps the bars within the limit, for spans from seconds to years', () => {
    const spans = [0, 999, 5_000, 59_000, 3_600_000, 86_400_000, 7 * 86_400_000, 400 * 86_400_000];
    for (const span of spans) {
      for (const maxBars of [10, 60]) {
        const size = chooseBucket(T0, T0 + span, maxBars);
        const bars = (ms: number) => Math.floor((T0 + span) / ms) - Math.floor(T0 / ms) + 1;
        assert.ok(bars(size.ms) <= maxBars, `span ${span}: ${size.label} gives ${bars(size.ms)} bars`);
        const smaller = BUCKET_SIZES.filter((s) => s.ms < size.ms);
        for (const s of smaller) assert.ok(bars(s.ms) > maxBars, `span ${span}: ${s.label} would also fit`);
      }
    }
  });

  it('labels the width in words', () => {
    assert.equal(chooseBucket(T0, T0 + 30_000, 60).label, '1 s');
    assert.equal(chooseBucket(T0, T0 + 3 * 3_600_000, 60).label, '5 min');
    assert.equal(chooseBucket(T0, T0 + 20 * 86_400_000, 60).label, '12 h');
  });
});

describe('histogram', () => {
  it('counts each item once per bucket and series, against a direct count', () => {
    const rnd = prng(7);
    const times: number[] = [];
    const series: number[] = [];
    for (let i = 0; i < 5000; i++) {
      times.push(i % 97 === 0 ? NaN : T0 + Math.floor(rnd() * 6 * 3_600_000));
      series.push(rnd() < 0.2 ? 1 : 0);
    }
    const h = histogram({ count: times.length, time: (k) => times[k], series: (k) => series[k], seriesNames: ['success', 'error'] });
    assert.equal(h.undated, times.filter((t) => Number.isNaN(t)).length);
    assert.equal(h.total + h.undated, times.length);
    for (let b = 0; b < h.totals.length; b++) {
      const { from, to } = bucketRange(h, b);
      for (const s of [0, 1]) {
        const want = times.filter((t, k) => t >= from && t <= to && series[k] === s).length;
        assert.equal(h.counts[s][b], want, `bucket ${b} series ${s}`);
      }
      assert.equal(h.totals[b], h.counts[0][b] + h.counts[1][b]);
    }
    assert.equal(h.start % h.bucketMs, 0, 'buckets are aligned to their width');
  });

  it('a fixed range leaves items outside it out', () => {
    const times = [T0, T0 + 1000, T0 + 10 * 60_000];
    const h = histogram({ count: 3, time: (k) => times[k], range: { min: T0, max: T0 + 60_000 } });
    assert.equal(h.total, 2);
  });

  it('copes with no dated item', () => {
    const h = histogram({ count: 3, time: () => NaN });
    assert.equal(h.total, 0);
    assert.equal(h.undated, 3);
    assert.match(summarise(h), /No event has a readable time/);
  });

  it('a drag covers whole buckets in either direction', () => {
    const times = Array.from({ length: 100 }, (_, i) => T0 + i * 60_000);
    const h = histogram({ count: times.length, time: (k) => times[k] });
    const a = dragRange(h, 5, 2);
    assert.equal(a.from, bucketRange(h, 2).from);
    assert.equal(a.to, bucketRange(h, 5).to);
    assert.deepEqual(dragRange(h, -4, 1_000), { from: bucketRange(h, 0).from, to: bucketRange(h, h.totals.length - 1).to });
  });

  it('the summary names the span, the buckets and the busiest one', () => {
    const times = [T0, T0 + 1000, T0 + 1000, T0 + 7000];
    const h = histogram({ count: 4, time: (k) => times[k], series: (k) => (k === 2 ? 1 : 0), seriesNames: ['success', 'error'] });
    const s = summarise(h);
    assert.match(s, /^4 events from 2025-03-05 21:19:44Z to 2025-03-05 21:19:51Z/);
    assert.match(s, /Busiest: 2025-03-05 21:19:45Z, 2 events \(1 success, 1 error\)/);
  });
});

describe('formatUtc', () => {
  it('writes one UTC format, with milliseconds only when present', () => {
    assert.equal(formatUtc(T0), '2025-03-05 21:19:44Z');
    assert.equal(formatUtc(T0 + 5), '2025-03-05 21:19:44.005Z');
    assert.equal(formatUtc(NaN), '');
  });
});

describe('parseTimeInput', () => {
  const newest = T0;
  it('reads dates, times and ISO times as UTC', () => {
    assert.deepEqual(parseTimeInput('2025-03-05', 'from', newest), { ok: true, value: Date.UTC(2025, 2, 5) });
    assert.deepEqual(parseTimeInput('2025-03-05', 'to', newest), { ok: true, value: Date.UTC(2025, 2, 6) - 1 });
    assert.deepEqual(parseTimeInput('2025-03-05 21:19:44.000000000', 'from', newest), { ok: true, value: T0 });
    assert.deepEqual(parseTimeInput('2025-03-05T21:19:44Z', 'from', newest), { ok: true, value: T0 });
    assert.deepEqual(parseTimeInput('2025-03-05T22:19:44+01:00', 'from', newest), { ok: true, value: T0 });
    assert.deepEqual(parseTimeInput('2025-03-05 21:19', 'from', newest), { ok: true, value: T0 - 44_000 });
    assert.deepEqual(parseTimeInput('  ', 'from', newest), { ok: true, value: undefined });
  });

  it('reads relative ranges against the newest record and says so', () => {
    for (const [text, ms] of [['last 1h', 3_600_000], ['last 24 h', 86_400_000], ['7d', 7 * 86_400_000], ['-30m', 30 * 60_000], ['last 2 weeks', 14 * 86_400_000]] as const) {
      const r = parseTimeInput(text, 'from', newest);
      assert.ok(r.ok, text);
      assert.equal(r.ok && r.value, newest - ms, text);
      assert.match(r.ok ? r.relative ?? '' : '', /before the newest record/);
    }
  });

  it('refuses what it cannot read, with a message that says what works', () => {
    for (const text of ['yesterday', '2025-13-45', '2025-02-30', '12/03/2025', 'last hour', '1h30']) {
      const r = parseTimeInput(text, 'from', newest);
      assert.equal(r.ok, false, text);
      assert.match(r.ok ? '' : r.message, /Cannot read|not a calendar date/);
    }
    const none = parseTimeInput('last 1h', 'from', NaN);
    assert.equal(none.ok, false);
  });
});
