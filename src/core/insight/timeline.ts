/**
 * The viewer's timeline: a histogram of record counts over time, split into series (errors vs. successes by
 * default, or the values of any column), with buckets chosen from the span so that a few seconds and a year
 * both give a readable number of bars. Pure data: the webview only draws what this returns.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Bucket widths the timeline may use, smallest first, with their labels. */
export const BUCKET_SIZES: readonly { ms: number; label: string }[] = [
  { ms: SECOND, label: '1 s' },
  { ms: 2 * SECOND, label: '2 s' },
  { ms: 5 * SECOND, label: '5 s' },
  { ms: 10 * SECOND, label: '10 s' },
  { ms: 15 * SECOND, label: '15 s' },
  { ms: 30 * SECOND, label: '30 s' },
  { ms: MINUTE, label: '1 min' },
  { ms: 2 * MINUTE, label: '2 min' },
  { ms: 5 * MINUTE, label: '5 min' },
  { ms: 10 * MINUTE, label: '10 min' },
  { ms: 15 * MINUTE, label: '15 min' },
  { ms: 30 * MINUTE, label: '30 min' },
  { ms: HOUR, label: '1 h' },
  { ms: 2 * HOUR, label: '2 h' },
  { ms: 3 * HOUR, label: '3 h' },
  { ms: 6 * HOUR, label: '6 h' },
  { ms: 12 * HOUR, label: '12 h' },
  { ms: DAY, label: '1 day' },
  { ms: 2 * DAY, label: '2 days' },
  { ms: 7 * DAY, label: '7 days' },
  { ms: 14 * DAY, label: '14 days' },
  { ms: 30 * DAY, label: '30 days' },
  { ms: 91 * DAY, label: '91 days' },
  { ms: 365 * DAY, label: '365 days' },
];

/** The default number of bars the timeline aims at (at most). */
export const DEFAULT_MAX_BARS = 60;

/**
 * The smallest bucket width from {@link BUCKET_SIZES} that covers `[min, max]` in at most `maxBars` buckets
 * (aligned to multiples of the width since the epoch, so a bucket of one day is one UTC day). A span longer
 * than the largest width allows gets the largest width.
 */
export function chooseBucket(min: number, max: number, maxBars = DEFAULT_MAX_BARS): { ms: number; label: string } {
  const bars = Math.max(1, Math.floor(maxBars));
  for (const size of BUCKET_SIZES) {
    if (bucketCount(min, max, size.ms) <= bars) return size;
  }
  return BUCKET_SIZES[BUCKET_SIZES.length - 1];
}

function bucketCount(min: number, max: number, ms: number): number {
  return Math.floor(max / ms) - Math.floor(min / ms) + 1;
}

export interface Histogram {
  /** Start of the first bucket (epoch ms, UTC). */
  start: number;
  /** Width of every bucket in ms, and its label ("5 min"). */
  bucketMs: number;
  bucketLabel: string;
  /** Series names in drawing order; `counts[s][b]` is the count of series `s` in bucket `b`. */
  series: string[];
  counts: number[][];
  /** Per-bucket totals over every series. */
  totals: number[];
  /** Records counted (with a readable time) and records without a readable time (not drawn). */
  total: number;
  undated: number;
  /** The earliest and latest record time counted (NaN when none). */
  min: number;
  max: number;
}

export interface HistogramInput {
  /** How many items; `time(k)` and `series(k)` are asked for k in [0, count). */
  count: number;
  /** Epoch ms of item k, NaN when unknown. */
  time(k: number): number;
  /** The series of item k (an index into `seriesNames`); omitted: one series. */
  series?(k: number): number;
  seriesNames?: string[];
  /** At most this many bars. */
  maxBars?: number;
  /** Fixed range to draw (e.g. the unfiltered time bounds); default: the items' own range. */
  range?: { min: number; max: number };
}

/** Counts items into time buckets per series. One pass for the range (unless given) and one for the counts. */
export function histogram(input: HistogramInput): Histogram {
  const { count } = input;
  let min = Infinity;
  let max = -Infinity;
  let undated = 0;
  if (input.range && input.range.min <= input.range.max) {
    min = input.range.min;
    max = input.range.max;
  } else {
    for (let k = 0; k < count; k++) {
      const t = input.time(k);
      if (t !== t) continue;
      if (t < min) min = t;
      if (t > max) max = t;
    }
  }
  const names = input.seriesNames && input.seriesNames.length ? input.seriesNames : ['events'];
  if (min === Infinity) {
    for (let k = 0; k < count; k++) if (input.time(k) !== input.time(k)) undated++;
    return { start: NaN, bucketMs: BUCKET_SIZES[0].ms, bucketLabel: BUCKET_SIZES[0].label, series: names, counts: names.map(() => []), totals: [], total: 0, undated, min: NaN, max: NaN };
  }
  const size = chooseBucket(min, max, input.maxBars);
  const start = Math.floor(min / size.ms) * size.ms;
  const n = bucketCount(min, max, size.ms);
  const counts = names.map(() => new Array<number>(n).fill(0));
  const totals = new Array<number>(n).fill(0);
  let total = 0;
  let seenMin = Infinity;
  let seenMax = -Infinity;
  for (let k = 0; k < count; k++) {
    const t = input.time(k);
    if (t !== t) {
      undated++;
      continue;
    }
    const b = Math.floor((t - start) / size.ms);
    if (b < 0 || b >= n) continue; // outside a fixed range
    const s = input.series ? input.series(k) : 0;
    const row = counts[s >= 0 && s < counts.length ? s : counts.length - 1];
    row[b]++;
    totals[b]++;
    total++;
    if (t < seenMin) seenMin = t;
    if (t > seenMax) seenMax = t;
  }
  return {
    start,
    bucketMs: size.ms,
    bucketLabel: size.label,
    series: names,
    counts,
    totals,
    total,
    undated,
    min: total ? seenMin : NaN,
    max: total ? seenMax : NaN,
  };
}

/** The [from, to] (inclusive, ms) range of bucket `b`: what a click on its bar filters to. */
export function bucketRange(h: Histogram, b: number): { from: number; to: number } {
  const from = h.start + b * h.bucketMs;
  return { from, to: from + h.bucketMs - 1 };
}

/** The inclusive time range covered by buckets `a`..`b` (either order): what a drag across bars filters to. */
export function dragRange(h: Histogram, a: number, b: number): { from: number; to: number } {
  const lo = Math.max(0, Math.min(a, b));
  const hi = Math.min(h.totals.length - 1, Math.max(a, b));
  return { from: bucketRange(h, lo).from, to: bucketRange(h, hi).to };
}

/** `2025-03-05 21:19:44Z`: the one UTC format the viewer shows times in (milliseconds only when not zero). */
export function formatUtc(ms: number): string {
  if (ms !== ms) return '';
  const iso = new Date(ms).toISOString(); // 2025-03-05T21:19:44.000Z
  const frac = iso.slice(19, 23);
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${frac === '.000' ? '' : frac}Z`;
}

/**
 * A sentence for screen readers (and the timeline's tooltip): how many events over which span, in which
 * buckets, and the busiest bucket with its split.
 */
export function summarise(h: Histogram): string {
  if (h.total === 0) return h.undated ? `No event has a readable time (${h.undated} without one).` : 'No events in this view.';
  let best = 0;
  for (let b = 1; b < h.totals.length; b++) if (h.totals[b] > h.totals[best]) best = b;
  const split = h.series.length > 1
    ? ' (' + h.series.map((s, i) => `${h.counts[i][best]} ${s}`).filter((_, i) => h.counts[i][best] > 0).join(', ') + ')'
    : '';
  const undated = h.undated ? ` ${h.undated} without a time are not shown.` : '';
  return `${h.total} events from ${formatUtc(h.min)} to ${formatUtc(h.max)} in ${h.totals.length} buckets of ${h.bucketLabel}. `
    + `Busiest: ${formatUtc(bucketRange(h, best).from)}, ${h.totals[best]} events${split}.${undated}`;
}

// ---------------------------------------------------------------------------------------------------------------
// What the user types in the From / To boxes

export type TimeInput =
  | { ok: true; value: number | undefined; relative?: string }
  | { ok: false; message: string };

const UNIT_MS: Record<string, number> = { s: SECOND, sec: SECOND, m: MINUTE, min: MINUTE, h: HOUR, hr: HOUR, hour: HOUR, hours: HOUR, d: DAY, day: DAY, days: DAY, w: 7 * DAY, week: 7 * DAY, weeks: 7 * DAY };

/**
 * Reads a From or To box. Accepts empty (no bound), ISO times (`2025-03-05T21:19:44Z`, with or without `Z`,
 * read as UTC), `2025-03-05 21:19:44[.fraction]`, a date alone (the day's start for From, its end for To),
 * and relative ranges against the newest record: `last 1h`, `last 24 h`, `7d`, `-30m` (a From box; in a To
 * box they mean "that long before the newest record"). Anything else is refused with a message saying what
 * is accepted — the caller shows it inline and keeps the previous value out of force.
 */
export function parseTimeInput(text: string, bound: 'from' | 'to', newest: number): TimeInput {
  const t = text.trim();
  if (!t) return { ok: true, value: undefined };
  const rel = /^(?:last\s*|-)?(\d+(?:\.\d+)?)\s*([a-z]+)$/i.exec(t);
  if (rel && UNIT_MS[rel[2].toLowerCase()] !== undefined) {
    if (newest !== newest) return { ok: false, message: `"${t}" is relative to the newest record, and no record has a readable time.` };
    const span = Number(rel[1]) * UNIT_MS[rel[2].toLowerCase()];
    return { ok: true, value: newest - span, relative: `${rel[1]} ${rel[2].toLowerCase()} before the newest record (${formatUtc(newest)})` };
  }
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  if (date) {
    const day = Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3]));
    if (day !== day || new Date(day).getUTCDate() !== Number(date[3])) return { ok: false, message: `"${t}" is not a calendar date.` };
    return { ok: true, value: bound === 'from' ? day : day + DAY - 1 };
  }
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(t);
  if (m) {
    const frac = m[3] ? m[3].slice(0, 4) : '';
    const zone = m[4] ? (m[4].toUpperCase() === 'Z' ? 'Z' : m[4].length === 5 ? `${m[4].slice(0, 3)}:${m[4].slice(3)}` : m[4]) : 'Z';
    const value = Date.parse(`${m[1]}T${m[2].length === 5 ? m[2] + ':00' : m[2]}${frac}${zone}`);
    if (value === value) return { ok: true, value };
  }
  return {
    ok: false,
    message: `Cannot read "${t.length > 60 ? t.slice(0, 60) + '…' : t}" as a time. Use 2025-03-05, 2025-03-05 21:19:44 (UTC), an ISO time, or a range such as "last 1h", "last 24h", "7d".`,
  };
}
