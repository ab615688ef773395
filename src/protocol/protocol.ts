/**
 * The one message protocol between the record viewer's host (src/viewer) and its webview (media/viewer).
 * Imported by both sides, so it holds only types and plain constants: no `vscode` import, no DOM use.
 *
 * Shape: the webview sends `ready` first; the host answers with one `init` snapshot. Requests that expect an
 * answer carry a `requestId` and the reply echoes it. The host owns a `generation` number that changes whenever
 * the row set or order changes (a new filter or sort, more records indexed); row pages are cached per generation.
 */

/** Rows per page the webview asks for; also the unit of its page cache. */
import type { Histogram } from '../core/insight/timeline';
export const PAGE_SIZE = 100;
/** Longest cell text the host sends; longer values are cut and flagged (the detail pane shows them whole). */
export const CELL_MAX_CHARS = 2048;
/** Longest string value sent in the detail tree; longer ones are cut and flagged (copy value still copies all). */
export const DETAIL_STRING_MAX_CHARS = 20_000;
/** Deepest nesting sent in the detail tree; deeper values are replaced by a marker (open as JSON to see them). */
export const DETAIL_MAX_DEPTH = 64;
/** Most object entries or array items sent per container in the detail tree. */
export const DETAIL_MAX_ENTRIES = 2000;
/** Longest raw JSON text sent for the detail pane's Raw tab. */
export const DETAIL_RAW_MAX_CHARS = 512_000;

export type ViewerKind = 'records' | 'digest';

export interface ColumnInfo {
  id: string;
  title: string;
  /** Initial width in CSS pixels. */
  width: number;
  /** Shown unless the user hides it in the column chooser. */
  defaultVisible: boolean;
  /** Hover text for the column header. */
  description?: string;
  /** false: clicking the header does not sort by it (e.g. the Source column of a combined view). */
  sortable?: boolean;
  /** false: the cell menu offers no "Only this value" / "Exclude this value" for it. */
  filterable?: boolean;
}

export type SortDirection = 'asc' | 'desc';
export interface SortSpec {
  column: string;
  direction: SortDirection;
}

/**
 * A structured filter made by clicking a cell: the column must (or must not) equal the value. With `path` (a
 * value clicked under a field path in the Fields panel) the record's values at that path must (not) include it,
 * and `column` is ''.
 */
export interface FilterChip {
  column: string;
  value: string;
  exclude: boolean;
  path?: string;
}

export interface ViewFilter {
  /** Quick text filter: case-insensitive substring over every field of the record. */
  text: string;
  chips: FilterChip[];
  /**
   * Inclusive time range on eventTime, as typed: ISO or `2025-03-05 21:19:44` (UTC), a date, or a range relative
   * to the newest record (`last 1h`, `24h`, `7d`); empty means open-ended. The host reads it (see ViewAppliedMessage.time).
   */
  from?: string;
  to?: string;
  /** Only the records of a set the host defined (an identity trace node); shown as a chip, removed with it. */
  rowSet?: RowSetRef;
}

/** A set of records the host holds (by id) for one viewer session, e.g. the records of a trace node. */
export interface RowSetRef {
  id: number;
  label: string;
  count: number;
}

/** Everything needed to restore a viewer as the user left it. */
export interface ViewState {
  filter: ViewFilter;
  sort?: SortSpec;
  hiddenColumns: string[];
  /** First visible row (position in the current view). */
  scrollRow: number;
  /** Record index (position in the file) of the selected record. */
  selected?: number;
  detailOpen: boolean;
  detailTab: 'tree' | 'raw';
  /** Width of the detail pane in CSS pixels (set by dragging its edge). */
  detailWidth?: number;
  /** Column widths set by dragging a header edge (CSS px, by column id). */
  columnWidths?: Record<string, number>;
  /** Timeline split: a column id, or absent for errors vs. successes. */
  timelineSplit?: string;
  /** The Fields panel is open. */
  fieldsOpen?: boolean;
  /** Field paths the user asked to count in the Fields panel (beyond the columns). */
  fieldPaths?: string[];
}

export interface ProblemInfo {
  severity: 'error' | 'warning' | 'info';
  message: string;
  line: number;
  column: number;
  code?: string;
}

export interface Row {
  /** Position in the current (filtered, sorted) view. */
  pos: number;
  /** Stable record index (position in the file). */
  index: number;
  /** One string per column, in `init.columns` order. */
  cells: string[];
  /** Columns (by position) whose value was cut to CELL_MAX_CHARS. */
  truncated?: number[];
  /** The record has an errorCode (styled as a failed call). */
  failed?: boolean;
  /** Decoded from a gzip member whose checksum failed: its values may have been altered. */
  unverified?: boolean;
}

/**
 * The timeline of the current view: core/insight's histogram (start is NaN when no record has a time) without its
 * min/max, plus its text summary.
 */
export interface TimelineData extends Omit<Histogram, 'min' | 'max'> {
  /** Sentence for screen readers (and the timeline's caption). */
  summary: string;
  /** What the series split by: a column id, or '' for errors vs. successes. */
  split: string;
}

/** Top values of one column or field path in the current view. */
export interface FieldCountsData {
  /** Column id, or field path (kind 'path'). */
  field: string;
  kind: 'column' | 'path';
  title: string;
  rows: number;
  missing: number;
  distinct: number;
  /** `cut`: the value was too long to send whole (shown with …; it cannot be clicked to filter). */
  top: { value: string; count: number; share: number; cut?: boolean }[];
  /** The path could not be read, or counting was stopped. */
  error?: string;
}

/** Summary line shown above a digest file's list of log files. */
export interface DigestHeader {
  fields: [label: string, value: string][];
}

/**
 * A JSON value prepared for display: containers as entry lists (so keys such as `__proto__` stay plain data),
 * long strings cut, deep nesting replaced by a marker. `doc` is the field documentation (same text as the JSON
 * editor hover) for the value's path, when there is any.
 */
export type JsonNode =
  | { t: 'o'; entries: [key: string, value: JsonNode][]; more?: number; doc?: string }
  | { t: 'a'; items: JsonNode[]; more?: number; doc?: string }
  | { t: 's'; v: string; cut?: number; doc?: string }
  /** Numbers, booleans and null, as their exact JSON text (big integers keep every digit). */
  | { t: 'n' | 'b' | 'z'; v: string; doc?: string }
  /** Nesting deeper than DETAIL_MAX_DEPTH. */
  | { t: 'deep'; doc?: string };

export type JsonPath = (string | number)[];

/** A compact description of what the webview shows, for tests (see the hidden test command). */
export interface DomSummary {
  ready: boolean;
  countText: string;
  headers: string[];
  /** Visible rows' cell texts as rendered (textContent), top to bottom. */
  rows: string[][];
  /** Number of row elements in the DOM (proves virtualisation). */
  rowElements: number;
  selectedIndex?: number;
  chips: string[];
  filterText: string;
  banner: string[];
  /** The integrity line (empty when the file's verdict is unknown). */
  integrity?: string;
  detail?: {
    /** Text of each visible tree line (key: value). */
    lines: string[];
    /** title attribute (hover documentation) by key path, e.g. `userIdentity.type`. */
    hovers: Record<string, string>;
  };
  /** CSP violations the webview observed (securitypolicyviolation events). */
  cspViolations: string[];
  title: string;
  scrollRow: number;
  loading: boolean;
  /** `window.__pwned` exists: a hostile payload ran (must never be true). */
  pwned: boolean;
  /** Messages the host received that are not part of the protocol (filled in by the host). */
  rejectedMessages?: number;
  /** The detail header's source line (combined views), as shown. */
  detailSource?: string;
  /** Texts of the styled hidden-character markers (`⟪U+202E⟫`) in the table's rows, top to bottom. */
  cellMarkers?: string[];
  /** Bars drawn in the timeline, its summary, and the From/To boxes with their inline messages. */
  timeline?: { bars: number; summary: string; from: string; to: string; fromMessage: string; toMessage: string };
  /** Fields panel: field → top values as shown ("value count"). */
  fields?: Record<string, string[]>;
  /** Current column widths (CSS px) by column id. */
  columnWidths?: Record<string, number>;
  /** The same in the detail pane. */
  detailMarkers?: string[];
  /** Row elements marked unverified (from a gzip member whose checksum failed), and whether the detail pane says so. */
  unverifiedRows?: number;
  detailUnverified?: boolean;
}

/** Actions a test can ask the webview to perform through its normal UI code paths. */
export type TestAction =
  | { kind: 'summary' }
  | { kind: 'setFilterText'; text: string }
  | { kind: 'addChip'; column: string; rowPos: number; exclude: boolean }
  | { kind: 'removeChip'; at: number }
  | { kind: 'setTimeRange'; from?: string; to?: string }
  | { kind: 'sort'; column: string }
  | { kind: 'select'; rowPos: number }
  | { kind: 'key'; key: string; ctrlKey?: boolean }
  | { kind: 'expandAll' }
  | { kind: 'detailTab'; tab: 'tree' | 'raw' }
  | { kind: 'scrollToRow'; rowPos: number }
  /** Opens the cell menu of a row and clicks the item with this label (e.g. "Trace this identity"). */
  | { kind: 'cellMenu'; rowPos: number; column: string; item: string }
  /** Drag across the timeline's bars a..b (a === b: a click on one bar). */
  | { kind: 'timelineDrag'; from: number; to: number }
  | { kind: 'fieldsOpen'; open: boolean }
  /** Click (or alt-click) a value in the Fields panel. */
  | { kind: 'fieldValue'; field: string; value: string; exclude: boolean }
  | { kind: 'resizeColumn'; column: string; width: number }
  /** Clicks "Open source file at this record" in the detail header. */
  | { kind: 'openSource' };

// ---------------------------------------------------------------------------------------------------------------
// Host → webview

export interface InitMessage {
  type: 'init';
  title: string;
  kind: ViewerKind;
  columns: ColumnInfo[];
  /** State remembered by the host for this resource (used when the webview has none of its own). */
  savedState?: ViewState;
  digest?: DigestHeader;
  /** The document can be reopened as text (false for in-memory record lists that have no file). */
  canOpenAsText: boolean;
  gzipped: boolean;
  /** Sort used when the user has not chosen one. */
  defaultSort: SortSpec;
  /** The host computes a timeline and field counts for this content (records, not digests). */
  insight?: boolean;
  /** Show the Time column in local time (setting cloudtrailLens.viewer.timeZone); the host always sends UTC. */
  localTime?: boolean;
}

export interface CountsMessage {
  type: 'counts';
  generation: number;
  matched: number;
  total: number;
  /** Still reading the file. */
  loading: boolean;
  /** Bytes read so far and the file size, for progress (0 when unknown). */
  bytesRead: number;
  bytesTotal: number;
}

export interface ProblemsMessage {
  type: 'problems';
  problems: ProblemInfo[];
  /** Set when the file could not be read at all. */
  fatal?: string;
}

export interface ViewAppliedMessage {
  type: 'viewApplied';
  requestId: number;
  generation: number;
  matched: number;
  total: number;
  /** The filter could not be applied (e.g. a bad time); shown to the user. */
  error?: string;
  /** How the From / To boxes were read: an inline message when unreadable (that bound is then not in force), else what they resolved to. */
  time?: { from?: TimeBoxNote; to?: TimeBoxNote };
}

export interface TimeBoxNote {
  /** The box could not be read: what is accepted. The bound is not in force. */
  error?: string;
  /** The time the box resolved to (UTC) and, for relative ranges, relative to what. */
  resolved?: string;
}

export interface InsightMessage {
  type: 'insight';
  requestId: number;
  generation: number;
  timeline?: TimelineData;
  fields: FieldCountsData[];
  /** Host time to compute it (ms). */
  tookMs: number;
}

export interface RowsMessage {
  type: 'rows';
  requestId: number;
  generation: number;
  start: number;
  rows: Row[];
}

export interface DetailMessage {
  type: 'detail';
  requestId: number;
  index: number;
  tree: JsonNode;
  raw: string;
  rawTruncated: boolean;
  /** Where the record is in the file (1-based line), when known. */
  line?: number;
  /** Decoded from a gzip member whose checksum failed: its values may have been altered. */
  unverified?: boolean;
  /** In a combined view: where the record came from (its file, or Region · account). */
  source?: RecordOrigin;
}

/** Where a record of a combined view came from. */
export interface RecordOrigin {
  /** File name, or `us-east-1 · 123456789012` for LookupEvents. */
  label: string;
  /** Longer text for the hover (e.g. the file's path). */
  description?: string;
  /** "Open source file at this record" works (the record came from a file). */
  canOpen: boolean;
}

/** Select and show a record (e.g. after "Open source file at this record" opened this file). */
export interface RevealMessage {
  type: 'reveal';
  /** Record index in the file. */
  index: number;
  /** Its position in the current view, or -1 when the view hides it. */
  pos: number;
}

export interface FocusFilterMessage {
  type: 'focusFilter';
}

/** Shows only a set of records (a trace node's), or, without `rowSet`, drops the set. */
export interface SetRowSetMessage {
  type: 'setRowSet';
  rowSet?: RowSetRef;
}

export interface TestMessage {
  type: 'test';
  requestId: number;
  action: TestAction;
}

export type HostMessage =
  | InitMessage
  | CountsMessage
  | ProblemsMessage
  | ViewAppliedMessage
  | RowsMessage
  | DetailMessage
  | FocusFilterMessage
  | SetRowSetMessage
  | TestMessage
  | InsightMessage
  | RevealMessage
  | IntegrityMessage
  | SettingsMessage;

/** A viewer setting changed while the editor is open (today: the Time column's zone). */
export interface SettingsMessage {
  type: 'settings';
  localTime: boolean;
}

/** What integrity validation knows about the open file (src/integrity); no text = unknown, nothing shown. */
export interface IntegrityMessage {
  type: 'integrity';
  state?: 'verified' | 'failed' | 'unchecked';
  text?: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Webview → host

export interface ReadyRequest {
  type: 'ready';
}
export interface SetViewRequest {
  type: 'setView';
  requestId: number;
  filter: ViewFilter;
  sort?: SortSpec;
}
export interface GetRowsRequest {
  type: 'getRows';
  requestId: number;
  generation: number;
  start: number;
  count: number;
}
export interface GetDetailRequest {
  type: 'getDetail';
  requestId: number;
  index: number;
}
export interface CopyRequest {
  type: 'copy';
  /** Record index. */
  index: number;
  /** Path inside the event to copy; absent copies the whole record. */
  path?: JsonPath;
  /** Copy a cell's full value instead (column id). */
  column?: string;
}
export interface OpenRecordRequest {
  type: 'openRecordJson';
  index: number;
}
export interface OpenAsTextRequest {
  type: 'openAsText';
  /** 1-based line to reveal. */
  line?: number;
}
/** "Open source file at this record" (combined views). */
export interface OpenSourceRequest {
  type: 'openSource';
  index: number;
}
export interface SaveStateRequest {
  type: 'saveState';
  state: ViewState;
}
export interface GetInsightRequest {
  type: 'getInsight';
  requestId: number;
  /** Timeline split column ('' = errors vs. successes). */
  split: string;
  /** Field paths to count besides the columns (each costs a parse per record of the view). */
  paths: string[];
  /** At most this many bars. */
  maxBars?: number;
}
/** Open a documentation link from a field hover (the host opens only AWS documentation addresses). */
export interface OpenLinkRequest {
  type: 'openLink';
  url: string;
}
/** "Trace this identity" on a record. */
export interface TraceIdentityRequest {
  type: 'traceIdentity';
  index: number;
}
export interface TestReply {
  type: 'testReply';
  requestId: number;
  summary?: DomSummary;
  error?: string;
}

export type WebviewMessage =
  | ReadyRequest
  | SetViewRequest
  | GetRowsRequest
  | GetDetailRequest
  | CopyRequest
  | OpenRecordRequest
  | OpenAsTextRequest
  | OpenSourceRequest
  | SaveStateRequest
  | TraceIdentityRequest
  | TestReply
  | TestReply
  | GetInsightRequest
  | OpenLinkRequest;

const webviewTypes: ReadonlySet<string> = new Set<WebviewMessage['type']>([
  'ready',
  'setView',
  'getRows',
  'getDetail',
  'copy',
  'openRecordJson',
  'openAsText',
  'openSource',
  'saveState',
  'traceIdentity',
  'testReply',
  'getInsight',
  'openLink',
]);

/** Cheap shape check for messages arriving at the host (the webview shows attacker-controlled text). */
export function isWebviewMessage(m: unknown): m is WebviewMessage {
  return typeof m === 'object' && m !== null && typeof (m as { type?: unknown }).type === 'string'
    && webviewTypes.has((m as { type: string }).type);
}

export function emptyFilter(): ViewFilter {
  return { text: '', chips: [] };
}

export function defaultViewState(): ViewState {
  return { filter: emptyFilter(), hiddenColumns: [], scrollRow: 0, detailOpen: false, detailTab: 'tree' };
}
