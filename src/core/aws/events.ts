/**
 * Pure helpers for LookupEvents results: summarising an event for display, the filter model (one server-side
 * lookup attribute plus client-side filters and a time range), grouping and relative times.
 */

export const LOOKUP_KEYS = [
  'EventName',
  'Username',
  'EventSource',
  'ResourceType',
  'ResourceName',
  'AccessKeyId',
  'ReadOnly',
  'EventId',
] as const;
export type LookupKey = (typeof LOOKUP_KEYS)[number];

export function isLookupKey(v: unknown): v is LookupKey {
  return typeof v === 'string' && (LOOKUP_KEYS as readonly string[]).includes(v);
}

export interface AttributeFilter {
  key: LookupKey;
  value: string;
}

export const TIME_PRESETS = ['1h', '3h', '12h', '24h', '7d', '90d'] as const;
export type TimePreset = (typeof TIME_PRESETS)[number];

export type TimeRangeSpec =
  | { kind: 'all' }
  | { kind: 'preset'; preset: TimePreset }
  | { kind: 'custom'; start?: string; end?: string };

export interface LookupFilter {
  /** The one attribute LookupEvents filters on server-side. */
  attribute?: AttributeFilter;
  /** Further conditions, all of which must hold; applied to each page on the client. */
  clientFilters: AttributeFilter[];
  range: TimeRangeSpec;
}

export const EMPTY_FILTER: LookupFilter = { clientFilters: [], range: { kind: 'all' } };

const PRESET_MS: Record<TimePreset, number> = {
  '1h': 3_600_000,
  '3h': 3 * 3_600_000,
  '12h': 12 * 3_600_000,
  '24h': 24 * 3_600_000,
  '7d': 7 * 86_400_000,
  '90d': 90 * 86_400_000,
};

export function presetLabel(p: TimePreset): string {
  return p.endsWith('h') ? `last ${p.slice(0, -1)} h` : `last ${p.slice(0, -1)} days`;
}

/** Parses a user-typed date/time ("2024-05-01", "2024-05-01T10:00", ISO); undefined when invalid. */
export function parseUserTime(text: string): Date | undefined {
  const t = text.trim();
  if (!t) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(t)) return undefined;
  // Without a zone, read as UTC: CloudTrail times are UTC.
  const iso = t.replace(' ', 'T');
  const withZone = /(Z|[+-]\d{2}:?\d{2})$/.test(iso) || iso.length === 10 ? iso : iso + 'Z';
  const d = new Date(withZone);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** Resolves a range to absolute times at `now`. */
export function resolveRange(spec: TimeRangeSpec, now: number): { start?: Date; end?: Date } {
  switch (spec.kind) {
    case 'all':
      return {};
    case 'preset':
      return { start: new Date(now - PRESET_MS[spec.preset]), end: new Date(now) };
    case 'custom':
      return {
        start: spec.start ? parseUserTime(spec.start) : undefined,
        end: spec.end ? parseUserTime(spec.end) : undefined,
      };
  }
}

export function rangeLabel(spec: TimeRangeSpec): string | undefined {
  switch (spec.kind) {
    case 'all':
      return undefined;
    case 'preset':
      return presetLabel(spec.preset);
    case 'custom':
      return `${spec.start || '…'} → ${spec.end || 'now'}`;
  }
}

/** A short description of the filter, marking which parts the client applies. */
export function describeFilter(f: LookupFilter): string {
  const parts: string[] = [];
  if (f.attribute) parts.push(`${f.attribute.key} = ${f.attribute.value}`);
  const r = rangeLabel(f.range);
  if (r) parts.push(r);
  if (f.clientFilters.length) {
    parts.push(`client-side: ${f.clientFilters.map((c) => `${c.key} = ${c.value}`).join(', ')}`);
  }
  return parts.join(' · ');
}

export function isFiltered(f: LookupFilter): boolean {
  return Boolean(f.attribute) || f.clientFilters.length > 0 || f.range.kind !== 'all';
}

/** A stable key for caching a filter's results. */
export function filterKey(f: LookupFilter): string {
  return JSON.stringify([f.attribute?.key ?? '', f.attribute?.value ?? '', f.range]);
}

/** The LookupEvents output item, as far as we use it (mirrors the SDK's `Event`). */
export interface LookupEvent {
  EventId?: string;
  EventName?: string;
  ReadOnly?: string;
  AccessKeyId?: string;
  EventTime?: Date;
  EventSource?: string;
  Username?: string;
  Resources?: { ResourceType?: string; ResourceName?: string }[];
  CloudTrailEvent?: string;
}

export interface EventSummary {
  id: string;
  name: string;
  source: string;
  user: string;
  time?: Date;
  readOnly?: boolean;
  accessKeyId?: string;
  errorCode?: string;
  errorMessage?: string;
  sourceIp?: string;
  region?: string;
  userAgent?: string;
  resources: { type?: string; name?: string }[];
  /** The full record parsed from CloudTrailEvent; undefined when that string is missing or not JSON. */
  record?: Record<string, unknown>;
  /** Why `record` is missing. */
  recordProblem?: string;
}

function s(v: unknown): string | undefined {
  return typeof v === 'string' && v ? v : undefined;
}

/** Who did it, in the order a reader looks for it. */
export function whoFromRecord(rec: Record<string, unknown> | undefined): string | undefined {
  const ui = rec?.userIdentity;
  if (!ui || typeof ui !== 'object') return undefined;
  const u = ui as Record<string, unknown>;
  const issuer = (u.sessionContext as Record<string, unknown> | undefined)?.sessionIssuer as Record<string, unknown> | undefined;
  return s(u.userName) ?? s(issuer?.userName) ?? s(u.invokedBy) ?? s(u.principalId) ?? s(u.arn) ?? s(u.type);
}

export function summariseEvent(e: LookupEvent): EventSummary {
  let record: Record<string, unknown> | undefined;
  let recordProblem: string | undefined;
  if (typeof e.CloudTrailEvent === 'string') {
    try {
      const v: unknown = JSON.parse(e.CloudTrailEvent);
      if (v && typeof v === 'object' && !Array.isArray(v)) record = v as Record<string, unknown>;
      else recordProblem = 'CloudTrailEvent is not a JSON object';
    } catch (err) {
      recordProblem = `CloudTrailEvent is not valid JSON: ${err instanceof Error ? err.message : String(err)}`;
    }
  } else {
    recordProblem = 'The event has no CloudTrailEvent';
  }
  const ro = e.ReadOnly ?? (typeof record?.readOnly === 'boolean' ? String(record.readOnly) : undefined);
  const time = e.EventTime instanceof Date && !Number.isNaN(e.EventTime.getTime()) ? e.EventTime : s(record?.eventTime) ? new Date(String(record!.eventTime)) : undefined;
  return {
    id: e.EventId ?? s(record?.eventID) ?? '',
    name: e.EventName ?? s(record?.eventName) ?? '(unnamed event)',
    source: e.EventSource ?? s(record?.eventSource) ?? '',
    user: e.Username ?? whoFromRecord(record) ?? '(unknown)',
    time: time && !Number.isNaN(time.getTime()) ? time : undefined,
    readOnly: ro === 'true' ? true : ro === 'false' ? false : undefined,
    accessKeyId: e.AccessKeyId ?? s((record?.userIdentity as Record<string, unknown> | undefined)?.accessKeyId),
    errorCode: s(record?.errorCode),
    errorMessage: s(record?.errorMessage),
    sourceIp: s(record?.sourceIPAddress),
    region: s(record?.awsRegion),
    userAgent: s(record?.userAgent),
    resources: (e.Resources ?? []).map((r) => ({ type: r.ResourceType, name: r.ResourceName })),
    record,
    recordProblem,
  };
}

/** Client-side match of one attribute, with the same exact-value meaning the API gives it. */
export function matchesAttribute(ev: EventSummary, f: AttributeFilter): boolean {
  const v = f.value;
  switch (f.key) {
    case 'EventName':
      return ev.name === v;
    case 'Username':
      return ev.user === v;
    case 'EventSource':
      return ev.source === v;
    case 'AccessKeyId':
      return ev.accessKeyId === v;
    case 'EventId':
      return ev.id === v;
    case 'ReadOnly':
      return String(ev.readOnly) === v.toLowerCase();
    case 'ResourceType':
      return ev.resources.some((r) => r.type === v);
    case 'ResourceName':
      return ev.resources.some((r) => r.name === v);
  }
}

export function applyClientFilters(events: readonly EventSummary[], filters: readonly AttributeFilter[]): EventSummary[] {
  return filters.length ? events.filter((e) => filters.every((f) => matchesAttribute(e, f))) : [...events];
}

export type GroupBy = 'none' | 'eventName' | 'user' | 'source' | 'accessKey';
export const GROUP_BY_LABELS: Record<GroupBy, string> = {
  none: 'None',
  eventName: 'Event name',
  user: 'User',
  source: 'Event source',
  accessKey: 'Access key',
};

export interface EventGroup {
  key: string;
  events: EventSummary[];
}

/** Groups keep the events' order (newest first); groups are ordered by size, then name. */
export function groupEvents(events: readonly EventSummary[], by: GroupBy): EventGroup[] {
  if (by === 'none') return [{ key: '', events: [...events] }];
  const pick = (e: EventSummary): string =>
    (by === 'eventName' ? e.name : by === 'user' ? e.user : by === 'source' ? e.source : e.accessKeyId) || '(none)';
  const map = new Map<string, EventSummary[]>();
  for (const e of events) {
    const k = pick(e);
    let list = map.get(k);
    if (!list) map.set(k, (list = []));
    list.push(e);
  }
  return [...map.entries()]
    .map(([key, list]) => ({ key, events: list }))
    .sort((a, b) => b.events.length - a.events.length || a.key.localeCompare(b.key));
}

export function relativeTime(t: Date | undefined, now: number): string {
  if (!t) return 'unknown time';
  const sec = Math.round((now - t.getTime()) / 1000);
  if (sec < 0) return 'in the future';
  if (sec < 45) return 'just now';
  const min = Math.round(sec / 60);
  if (min < 60) return `${min} min ago`;
  const h = Math.round(min / 60);
  if (h < 48) return `${h} h ago`;
  const d = Math.round(h / 24);
  return `${d} days ago`;
}

/** Key fields for a tooltip, as [label, value] pairs with empty values left out. */
export function eventTooltipFields(ev: EventSummary): [string, string][] {
  const rows: [string, string | undefined][] = [
    ['Event', ev.name],
    ['Source', ev.source],
    ['Time', ev.time?.toISOString()],
    ['User', ev.user],
    ['Access key', ev.accessKeyId],
    ['Source IP', ev.sourceIp],
    ['Region', ev.region],
    ['Read-only', ev.readOnly === undefined ? undefined : String(ev.readOnly)],
    ['Error', ev.errorCode ? `${ev.errorCode}${ev.errorMessage ? `: ${ev.errorMessage}` : ''}` : undefined],
    ['Resources', ev.resources.map((r) => `${r.type ?? '?'} ${r.name ?? ''}`.trim()).join(', ') || undefined],
    ['Event ID', ev.id],
  ];
  return rows.filter((r): r is [string, string] => Boolean(r[1]));
}
