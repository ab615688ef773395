/**
 * Decides which advanced event selectors would log a given CloudTrail event (the dry run).
 *
 * Semantics (reference §2, plus our choices where AWS does not say — marked UNVERIFIED):
 * - A selector logs an event when ALL its field selectors match (AND); a trail logs the event when ANY
 *   selector matches (OR).
 * - Inside one operator list, a positive operator (Equals/StartsWith/EndsWith) holds when the field matches
 *   ONE of its values; a negative operator (NotEquals/NotStartsWith/NotEndsWith) holds when the field matches
 *   NONE of its values. Comparison is exact and case-sensitive.
 * - UNVERIFIED: a field selector with several operators holds when every operator holds (AND), so
 *   `StartsWith ["arn:aws:s3:::b/"]` + `NotEndsWith [".tmp"]` reads "in b, except .tmp files".
 * - Fields with several values in one event (`resources.type`, `resources.ARN`, one per resource): the field
 *   selector holds when ANY single value satisfies all its operators.
 * - `resources.ARN` looks only at resources of the type the selector picks with `resources.type` Equals
 *   (when it has one). An S3 object event lists the object AND its bucket; without this pairing
 *   `NotStartsWith arn:aws:s3:::b/` would still "match" through the bucket's ARN, which is not what anyone
 *   means. (Our reading: AWS documents resources.ARN as the ARN of a resource of the selected type.)
 * - Absent field (e.g. no `errorCode`, no resources): positive operators fail, negative operators hold —
 *   there is nothing to exclude. UNVERIFIED, but it matches how CloudTrail logs events without an error
 *   code under `NotEquals` filters.
 * - `readOnly` and other booleans compare as the strings "true"/"false".
 * - `eventCategory` when the record lacks it (records before 2021): `AwsVpceEvent` → NetworkActivity,
 *   `AwsCloudTrailInsight` → Insight, `managementEvent: false` → Data, otherwise Management.
 */
import { LosslessNumber } from '../records/types';

export interface FieldSelectorLike {
  Field: string;
  Equals?: readonly string[];
  StartsWith?: readonly string[];
  EndsWith?: readonly string[];
  NotEquals?: readonly string[];
  NotStartsWith?: readonly string[];
  NotEndsWith?: readonly string[];
}
export interface AdvancedSelectorLike {
  Name?: string;
  FieldSelectors: readonly FieldSelectorLike[];
}

type EventLike = Record<string, unknown>;

/** The category CloudTrail would give the event (see module comment). */
export function eventCategoryOf(event: EventLike): string {
  const c = event.eventCategory;
  if (typeof c === 'string' && c) return c;
  if (event.eventType === 'AwsVpceEvent') return 'NetworkActivity';
  if (event.eventType === 'AwsCloudTrailInsight') return 'Insight';
  if (event.managementEvent === false || event.managementEvent === 'false') return 'Data';
  return 'Management';
}

function scalarText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return String(v);
  // LosslessNumber from the record core keeps its exact text.
  if (LosslessNumber.is(v)) return v.text;
  return undefined;
}

/** All values a dotted field path has in the event (arrays fan out); empty when absent. */
export function eventFieldValues(event: EventLike, field: string): string[] {
  if (field === 'eventCategory') return [eventCategoryOf(event)];
  let current: unknown[] = [event];
  for (const seg of field.split('.')) {
    const next: unknown[] = [];
    for (const c of current) {
      if (!c || typeof c !== 'object' || Array.isArray(c)) continue;
      if (!Object.prototype.hasOwnProperty.call(c, seg)) continue;
      const v = (c as Record<string, unknown>)[seg];
      if (Array.isArray(v)) next.push(...v);
      else if (v !== undefined && v !== null) next.push(v);
    }
    current = next;
  }
  const out: string[] = [];
  for (const v of current) {
    const s = scalarText(v);
    if (s !== undefined) out.push(s);
  }
  return out;
}

function strings(list: unknown): string[] {
  return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : [];
}

/** Does one value satisfy every operator present in the field selector? */
function valueSatisfies(fs: FieldSelectorLike, v: string): boolean {
  if (fs.Equals !== undefined && !strings(fs.Equals).includes(v)) return false;
  if (fs.StartsWith !== undefined && !strings(fs.StartsWith).some((p) => v.startsWith(p))) return false;
  if (fs.EndsWith !== undefined && !strings(fs.EndsWith).some((p) => v.endsWith(p))) return false;
  if (fs.NotEquals !== undefined && strings(fs.NotEquals).includes(v)) return false;
  if (fs.NotStartsWith !== undefined && strings(fs.NotStartsWith).some((p) => v.startsWith(p))) return false;
  if (fs.NotEndsWith !== undefined && strings(fs.NotEndsWith).some((p) => v.endsWith(p))) return false;
  return true;
}

/** ARNs of the event's resources whose type is one of `types`. */
function arnsOfTypes(event: EventLike, types: readonly string[]): string[] {
  const res = event.resources;
  if (!Array.isArray(res)) return [];
  const out: string[] = [];
  for (const r of res) {
    if (!r || typeof r !== 'object') continue;
    const { type, ARN } = r as Record<string, unknown>;
    if (typeof type === 'string' && types.includes(type) && typeof ARN === 'string') out.push(ARN);
  }
  return out;
}

export function matchFieldSelector(fs: FieldSelectorLike, event: EventLike, resourceTypes?: readonly string[]): boolean {
  const values = fs.Field === 'resources.ARN' && resourceTypes ? arnsOfTypes(event, resourceTypes) : eventFieldValues(event, fs.Field);
  if (values.length === 0) {
    // Absent: only purely negative field selectors hold.
    return fs.Equals === undefined && fs.StartsWith === undefined && fs.EndsWith === undefined;
  }
  return values.some((v) => valueSatisfies(fs, v));
}

export function matchSelector(sel: AdvancedSelectorLike, event: EventLike): boolean {
  const list = Array.isArray(sel.FieldSelectors) ? sel.FieldSelectors : [];
  // An empty selector is invalid for AWS; it logs nothing here.
  if (list.length === 0) return false;
  const typeFs = list.find((fs) => fs && fs.Field === 'resources.type' && Array.isArray(fs.Equals));
  const types = typeFs ? strings(typeFs.Equals) : undefined;
  return list.every((fs) => fs && typeof fs.Field === 'string' && matchFieldSelector(fs, event, types));
}

/** Indexes of the selectors that would log the event (empty: not logged). */
export function evaluate(selectors: readonly AdvancedSelectorLike[], event: EventLike): number[] {
  const out: number[] = [];
  selectors.forEach((s, i) => {
    if (matchSelector(s, event)) out.push(i);
  });
  return out;
}

export interface DryRunSummary {
  total: number;
  /** Per selector: how many events it matches (an event can count for several selectors). */
  perSelector: { index: number; name?: string; count: number; events: number[] }[];
  /** Indexes (into the input list) of events no selector matches. */
  notLogged: number[];
  logged: number;
}

/** Runs every event through the selectors. */
export function dryRun(selectors: readonly AdvancedSelectorLike[], events: readonly EventLike[]): DryRunSummary {
  const perSelector = selectors.map((s, index) => ({ index, name: s.Name, count: 0, events: [] as number[] }));
  const notLogged: number[] = [];
  events.forEach((e, i) => {
    const hits = evaluate(selectors, e);
    if (!hits.length) notLogged.push(i);
    for (const h of hits) {
      perSelector[h].count++;
      perSelector[h].events.push(i);
    }
  });
  return { total: events.length, perSelector, notLogged, logged: events.length - notLogged.length };
}
