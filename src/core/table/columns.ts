/**
 * Column catalogue of the record viewer and the functions that turn one CloudTrail event into the
 * display strings of its row. Pure functions: no state, no `vscode`.
 */
import { LosslessNumber, type JsonObject, type JsonValue } from '../records/types';

export type ColumnId =
  | 'time'
  | 'eventName'
  | 'eventSource'
  | 'who'
  | 'sourceIp'
  | 'region'
  | 'errorCode'
  | 'readOnly'
  | 'resources'
  | 'account'
  | 'eventId'
  | 'eventType'
  | 'category'
  | 'userAgent'
  | 'accessKey';

export interface ColumnInfo {
  id: ColumnId;
  /** Header text. */
  title: string;
  /** Shown when the user has not chosen columns yet. */
  defaultVisible: boolean;
  /** Suggested initial width in CSS pixels. */
  width: number;
  /** Short explanation for the column chooser / header tooltip. */
  description: string;
}

/** Every column, in display order. `rows()` returns cells in exactly this order. */
export const COLUMNS: readonly ColumnInfo[] = Object.freeze([
  { id: 'time', title: 'Time', defaultVisible: true, width: 180, description: 'eventTime (UTC)' },
  { id: 'eventName', title: 'Event name', defaultVisible: true, width: 200, description: 'eventName — the API action' },
  { id: 'eventSource', title: 'Event source', defaultVisible: true, width: 190, description: 'eventSource — the service called' },
  { id: 'who', title: 'Who', defaultVisible: true, width: 200, description: 'Readable caller derived from userIdentity' },
  { id: 'sourceIp', title: 'Source IP', defaultVisible: true, width: 130, description: 'sourceIPAddress (not always an IP)' },
  { id: 'region', title: 'Region', defaultVisible: true, width: 110, description: 'awsRegion' },
  { id: 'errorCode', title: 'Error', defaultVisible: true, width: 150, description: 'errorCode, empty when the call succeeded' },
  { id: 'readOnly', title: 'Read-only', defaultVisible: true, width: 80, description: 'readOnly: true, false or empty when absent' },
  { id: 'resources', title: 'Resources', defaultVisible: true, width: 260, description: 'First resource ARN (or type) and how many more' },
  { id: 'account', title: 'Account', defaultVisible: false, width: 130, description: 'recipientAccountId, else userIdentity.accountId' },
  { id: 'eventId', title: 'Event ID', defaultVisible: false, width: 290, description: 'eventID' },
  { id: 'eventType', title: 'Event type', defaultVisible: false, width: 140, description: 'eventType' },
  { id: 'category', title: 'Category', defaultVisible: false, width: 110, description: 'eventCategory' },
  { id: 'userAgent', title: 'User agent', defaultVisible: false, width: 220, description: 'userAgent' },
  { id: 'accessKey', title: 'Access key', defaultVisible: false, width: 180, description: 'userIdentity.accessKeyId' },
] satisfies ColumnInfo[]) as readonly ColumnInfo[];

export const COLUMN_IDS: readonly ColumnId[] = COLUMNS.map((c) => c.id);

/** Position of each column in a row's `cells`. */
export const COLUMN_INDEX: Readonly<Record<ColumnId, number>> = Object.freeze(
  Object.fromEntries(COLUMNS.map((c, i) => [c.id, i])) as Record<ColumnId, number>,
);

export function isColumnId(x: unknown): x is ColumnId {
  return typeof x === 'string' && Object.prototype.hasOwnProperty.call(COLUMN_INDEX, x);
}

/** Longest cell text kept; longer values are cut with an ellipsis (the full value stays searchable). */
export const MAX_CELL_LENGTH = 2000;

/** Shown for a missing principal (Insights events have no userIdentity). */
export const NO_PRINCIPAL = '—';

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !isLossless(v);
}

function isLossless(v: unknown): v is { text: string } {
  return LosslessNumber.is(v);
}

const hasOwn = Object.prototype.hasOwnProperty;

/** Own property read that ignores inherited members (records may carry keys like `__proto__` or `constructor`). */
function own(o: JsonObject | undefined, key: string): JsonValue | undefined {
  if (!o) return undefined;
  // Absent keys are the common case and need no ownership check.
  const v = o[key];
  return v !== undefined && hasOwn.call(o, key) ? v : undefined;
}

function ownObject(o: JsonObject | undefined, key: string): JsonObject | undefined {
  const v = own(o, key);
  return isObject(v) ? v : undefined;
}

/** Display text of a scalar; objects and arrays become compact JSON. Big integers keep their exact digits. */
export function valueText(v: JsonValue | undefined): string {
  if (v === undefined || v === null) return '';
  switch (typeof v) {
    case 'string':
      return v;
    case 'number':
    case 'boolean':
      return String(v);
    default:
      if (isLossless(v)) return String(v.text);
      return compactJson(v, 4096);
  }
}

/** Compact JSON for display, stopping once `limit` characters were produced. */
function compactJson(v: JsonValue, limit: number): string {
  const out: string[] = [];
  let len = 0;
  const put = (s: string) => {
    out.push(s);
    len += s.length;
  };
  const walk = (x: JsonValue, depth: number) => {
    if (len > limit) return;
    if (x === null || typeof x !== 'object') {
      put(typeof x === 'string' ? JSON.stringify(x) : String(x));
    } else if (isLossless(x)) {
      put(String(x.text));
    } else if (depth > 20) {
      put('…');
    } else if (Array.isArray(x)) {
      put('[');
      x.forEach((e, i) => {
        if (i) put(',');
        walk(e, depth + 1);
      });
      put(']');
    } else {
      put('{');
      let first = true;
      for (const k of Object.keys(x)) {
        if (!first) put(',');
        first = false;
        put(JSON.stringify(k) + ':');
        walk(x[k], depth + 1);
      }
      put('}');
    }
  };
  walk(v, 0);
  const s = out.join('');
  return s.length > limit ? s.slice(0, limit) + '…' : s;
}

function text(o: JsonObject | undefined, key: string): string {
  const v = own(o, key);
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : valueText(v);
}

/** The part of an ARN after `marker` (e.g. `assumed-role/`), or '' when the ARN has no such part. */
function arnAfter(arn: string, marker: string): string {
  const i = arn.indexOf(':' + marker);
  return i >= 0 ? arn.slice(i + 1 + marker.length) : '';
}

/** After the first ':' of a principal ID such as `AROAEXAMPLE:session-name`. */
function afterColon(s: string): string {
  const i = s.indexOf(':');
  return i >= 0 ? s.slice(i + 1) : '';
}

/**
 * A short readable name for whoever made the call, from `userIdentity`:
 * - IAMUser → userName (else the `user/…` part of the ARN, else principalId)
 * - AssumedRole → `role/session` from the `assumed-role/…` ARN, else sessionIssuer.userName + `/` + the
 *   session part of principalId
 * - Role → userName / sessionIssuer.userName / `role/…` part of the ARN
 * - Root → `root`, plus ` (alias)` when userName (the account alias) is present
 * - AWSService → invokedBy (string, or an object's serviceAccountId), else principalId
 * - FederatedUser → the `federated-user/…` ARN part, else the part of principalId after ':'
 * - SAMLUser, WebIdentityUser, Directory → userName, else principalId
 * - IdentityCenterUser → userName, else onBehalfOf.userId, else credentialId
 * - AWSAccount → accountId, else principalId
 * - Unknown / anything else → userName, principalId, the ARN, accountId or the type, first one present
 * - no userIdentity (Insights events) → `—`
 */
export function principalOf(event: JsonObject): string {
  const uiv = own(event, 'userIdentity');
  if (typeof uiv === 'string') return uiv || NO_PRINCIPAL;
  if (!isObject(uiv)) return NO_PRINCIPAL;
  const ui = uiv;
  const type = text(ui, 'type');
  const userName = text(ui, 'userName');
  const arn = text(ui, 'arn');
  const principalId = text(ui, 'principalId');
  const accountId = text(ui, 'accountId');
  const issuer = ownObject(ownObject(ui, 'sessionContext'), 'sessionIssuer');
  const issuerName = text(issuer, 'userName');
  const fallback = () => userName || principalId || arn || accountId || type || NO_PRINCIPAL;
  switch (type) {
    case 'IAMUser':
      return userName || arnAfter(arn, 'user/') || fallback();
    case 'AssumedRole': {
      const fromArn = arnAfter(arn, 'assumed-role/');
      if (fromArn) return fromArn;
      const session = afterColon(principalId);
      if (issuerName) return session ? `${issuerName}/${session}` : issuerName;
      return fallback();
    }
    case 'Role':
      return userName || issuerName || arnAfter(arn, 'role/') || fallback();
    case 'Root':
      return userName ? `root (${userName})` : 'root';
    case 'AWSService': {
      const inv = own(ui, 'invokedBy');
      if (typeof inv === 'string' && inv) return inv;
      if (isObject(inv)) {
        const sa = text(inv, 'serviceAccountId');
        if (sa) return sa;
      }
      return principalId || fallback();
    }
    case 'FederatedUser':
      return arnAfter(arn, 'federated-user/') || afterColon(principalId) || issuerName || fallback();
    case 'SAMLUser':
    case 'WebIdentityUser':
    case 'Directory':
      return fallback();
    case 'IdentityCenterUser':
      return userName || text(ownObject(ui, 'onBehalfOf'), 'userId') || text(ui, 'credentialId') || fallback();
    case 'AWSAccount':
      return accountId || fallback();
    default:
      return fallback();
  }
}

/** `first ARN (or ARNPrefix, or type)` and ` +N` for the other resources. */
export function resourcesSummary(event: JsonObject): string {
  const r = own(event, 'resources');
  if (!Array.isArray(r) || r.length === 0) return '';
  const first = r[0];
  let label = '';
  if (isObject(first)) label = text(first, 'ARN') || text(first, 'ARNPrefix') || text(first, 'arn') || text(first, 'type');
  else label = valueText(first);
  if (!label) label = '(resource)';
  return r.length > 1 ? `${label} +${r.length - 1}` : label;
}

/** `readOnly` as 'true' / 'false' / '' (absent); tolerates the string forms seen in flattened exports. */
export function readOnlyOf(event: JsonObject): boolean | undefined {
  const v = own(event, 'readOnly');
  if (v === true || v === false) return v;
  if (typeof v === 'string') {
    const l = v.toLowerCase();
    if (l === 'true') return true;
    if (l === 'false') return false;
  }
  return undefined;
}

/** Epoch ms of `eventTime` (or `@timestamp` for Logstash exports); NaN when missing or unparsable. */
export function timeOf(event: JsonObject): number {
  let t = own(event, 'eventTime');
  if (typeof t !== 'string') t = own(event, '@timestamp');
  if (typeof t !== 'string') t = own(ownObject(event, 'timeWindow'), 'windowStart'); // aggregated events
  if (typeof t !== 'string' || t.length > 64) return NaN;
  return parseUtc(t);
}

const ZONED = /(?:Z|[+-]\d\d:?\d\d)$/i;

/** ISO-like time to epoch ms; a time without zone (as in some exports) is read as UTC, never local time. */
export function parseUtc(t: string): number {
  const last = t.charCodeAt(t.length - 1);
  if (last === 90 /* Z */) {
    // CloudTrail writes `YYYY-MM-DDTHH:MM:SSZ`: reading the digits is several times cheaper than Date.parse.
    if (t.length === 20) {
      const ms = plainUtc(t);
      if (ms === ms) return ms;
    }
    return Date.parse(t);
  }
  return Date.parse(ZONED.test(t) ? t : t.replace(' ', 'T') + 'Z');
}

/** Two ASCII digits at `i` as a number, or NaN. */
function digits2(t: string, i: number): number {
  const a = t.charCodeAt(i) - 48;
  const b = t.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : NaN;
}

function daysInMonth(y: number, mo: number): number {
  if (mo === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return mo === 4 || mo === 6 || mo === 9 || mo === 11 ? 30 : 31;
}

/** Epoch ms of exactly `YYYY-MM-DDTHH:MM:SSZ` with in-range fields; NaN for anything else (Date.parse decides then). */
function plainUtc(t: string): number {
  if (t.charCodeAt(4) !== 45 || t.charCodeAt(7) !== 45 || t.charCodeAt(10) !== 84 || t.charCodeAt(13) !== 58 || t.charCodeAt(16) !== 58) return NaN;
  const y = digits2(t, 0) * 100 + digits2(t, 2);
  const mo = digits2(t, 5);
  const d = digits2(t, 8);
  const h = digits2(t, 11);
  const mi = digits2(t, 14);
  const s = digits2(t, 17);
  // NaN fails every comparison, so a non-digit lands in the Date.parse fallback too.
  if (!(y >= 1970 && mo >= 1 && mo <= 12 && d >= 1 && h <= 23 && mi <= 59 && s <= 59)) return NaN;
  if (d > 28 && d > daysInMonth(y, mo)) return NaN;
  return Date.UTC(y, mo - 1, d, h, mi, s);
}

/**
 * The raw (not yet display-sanitised) text of every column for one event, in COLUMNS order.
 * Insights events take event name/source/error code from insightDetails.
 */
export function rawCells(event: JsonObject): string[] {
  if (Object.getPrototypeOf(event) === Object.prototype && !prototypeHasFields()) return rawCellsPlain(event, new Array<string>(ROW_CELLS));
  return rawCellsCareful(event);
}

const ROW_CELLS = COLUMNS.length;

/**
 * rawCells for many events in a row, writing into `out` (reused: no array per record). `plainSafe` is
 * prototypeHasFields() checked once by the caller for the whole batch.
 */
export function rawCellsInto(event: JsonObject, out: string[], plainSafe: boolean): string[] {
  if (plainSafe && Object.getPrototypeOf(event) === Object.prototype) return rawCellsPlain(event, out);
  const r = rawCellsCareful(event);
  for (let i = 0; i < ROW_CELLS; i++) out[i] = r[i];
  return out;
}

/** True when plain property reads of the top-level fields rawCells reads cannot hit an inherited value. */
export function plainReadsSafe(): boolean {
  return !prototypeHasFields();
}

function rawCellsCareful(event: JsonObject): string[] {
  const ui = ownObject(event, 'userIdentity');
  const insight = ownObject(event, 'insightDetails');
  let time = text(event, 'eventTime');
  if (!time) time = text(event, '@timestamp');
  const ro = readOnlyOf(event);
  const cells = [
    time,
    text(event, 'eventName') || text(insight, 'eventName'),
    text(event, 'eventSource') || text(insight, 'eventSource'),
    principalOf(event),
    text(event, 'sourceIPAddress'),
    text(event, 'awsRegion'),
    text(event, 'errorCode') || text(insight, 'errorCode'),
    ro === undefined ? '' : String(ro),
    resourcesSummary(event),
    text(event, 'recipientAccountId') || text(ui, 'accountId'),
    text(event, 'eventID'),
    text(event, 'eventType'),
    text(event, 'eventCategory'),
    text(event, 'userAgent'),
    text(ui, 'accessKeyId'),
  ];
  if (cells[11] === 'AwsAggregatedEvent') aggregatedCells(event, cells);
  return cells;
}

/** Top-level fields rawCells reads. */
const TOP_READ = [
  'eventTime', '@timestamp', 'eventName', 'eventSource', 'userIdentity', 'insightDetails', 'sourceIPAddress', 'awsRegion',
  'errorCode', 'readOnly', 'resources', 'recipientAccountId', 'eventID', 'eventType', 'eventCategory', 'userAgent',
];

/** True when something added one of the fields we read to Object.prototype (then only own reads are safe). */
function prototypeHasFields(): boolean {
  for (let i = 0; i < TOP_READ.length; i++) if (TOP_READ[i] in Object.prototype) return true;
  return false;
}

const str = (v: JsonValue | undefined): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : valueText(v));

/**
 * rawCells for an object whose prototype is Object.prototype without any of the fields read: plain property
 * reads of those top-level fields cannot hit an inherited value, so they skip the ownership check (the hot
 * path when indexing big files). Nested objects still go through the careful readers.
 */
function rawCellsPlain(e: JsonObject, out: string[]): string[] {
  const uiv = e.userIdentity;
  const ui = isObject(uiv) ? uiv : undefined;
  const iv = e.insightDetails;
  const insight = isObject(iv) ? iv : undefined;
  const ro = e.readOnly;
  const roText = ro === true ? 'true' : ro === false ? 'false' : typeof ro === 'string' ? (ro.toLowerCase() === 'true' ? 'true' : ro.toLowerCase() === 'false' ? 'false' : '') : '';
  out[0] = str(e.eventTime) || str(e['@timestamp']);
  out[1] = str(e.eventName) || text(insight, 'eventName');
  out[2] = str(e.eventSource) || text(insight, 'eventSource');
  out[3] = principalOf(e);
  out[4] = str(e.sourceIPAddress);
  out[5] = str(e.awsRegion);
  out[6] = str(e.errorCode) || text(insight, 'errorCode');
  out[7] = roText;
  out[8] = e.resources === undefined ? '' : resourcesSummary(e);
  out[9] = str(e.recipientAccountId) || text(ui, 'accountId');
  out[10] = str(e.eventID);
  out[11] = str(e.eventType);
  out[12] = str(e.eventCategory);
  out[13] = str(e.userAgent);
  out[14] = text(ui, 'accessKeyId');
  if (out[11] === 'AwsAggregatedEvent') aggregatedCells(e, out);
  return out;
}

/**
 * Aggregated data events (eventType AwsAggregatedEvent) have no eventTime, eventName or userIdentity: they count
 * calls over a time window. Time is the window's start, Event name the primary dimension's values when it counts
 * event names, Who says what the record is ("aggregated: 4,213 calls in PT5M"), Account is the record's accountId.
 */
function aggregatedCells(e: JsonObject, out: string[]): void {
  const window = ownObject(e, 'timeWindow');
  if (!out[0]) out[0] = text(window, 'windowStart');
  const primary = ownObject(ownObject(e, 'summary'), 'primaryDimension');
  const stats = own(primary, 'statistics');
  const list = Array.isArray(stats) ? stats.filter(isObject) : [];
  let total = 0;
  for (const st of list) {
    const v = own(st, 'value');
    const n = typeof v === 'number' ? v : Number(valueText(v));
    if (Number.isFinite(n)) total += n;
  }
  const dimension = text(primary, 'dimension');
  if (!out[1]) {
    const names = list.map((st) => text(st, 'name')).filter(Boolean);
    out[1] = dimension === 'eventName' && names.length ? names[0] + (names.length > 1 ? ` +${names.length - 1}` : '') : dimension ? `(by ${dimension})` : '';
  }
  if (!out[3] || out[3] === NO_PRINCIPAL) {
    const size = text(window, 'windowSize');
    out[3] = `aggregated: ${total.toLocaleString('en-US')} call${total === 1 ? '' : 's'}${size ? ` in ${size}` : ''}`;
  }
  if (!out[9]) out[9] = text(e, 'accountId');
}

// Bidi controls (which could reorder what the user sees) and C0/C1 controls are replaced by visible
// stand-ins so a cell always shows what is really in the record.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Make a value safe and bounded for a table cell. */
export function displayCell(s: string): string {
  if (s.length > MAX_CELL_LENGTH) s = s.slice(0, MAX_CELL_LENGTH) + '…';
  UNSAFE.lastIndex = 0;
  if (!UNSAFE.test(s)) return s;
  return s.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    if (code < 0x20) return String.fromCharCode(0x2400 + code);
    return `<U+${code.toString(16).toUpperCase().padStart(4, '0')}>`;
  });
}
