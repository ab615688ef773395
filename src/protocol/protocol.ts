/**
 * The one message protocol between the record viewer's host (src/viewer) and its webview (media/viewer).
 * Imported by both sides, so it holds only types and plain constants: no `vscode` import, no DOM use.
 *
 * Shape: the webview sends `ready` first; the host answers with one `init` snapshot. Requests that expect an
 * answer carry a `requestId` and the reply echoes it. The host owns a `generation` number that changes whenever
 * the row set or order changes (a new filter or sort, more records indexed); row pages are cached per generation.
 */

/** Rows per page the webview asks for; also the unit of its page cache. */
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
}

export type SortDirection = 'asc' | 'desc';
export interface SortSpec {
  column: string;
  direction: SortDirection;
}

/** A structured filter made by clicking a cell: the column must (or must not) equal the value. */
export interface FilterChip {
  column: string;
  value: string;
  exclude: boolean;
}

export interface ViewFilter {
  /** Quick text filter: case-insensitive substring over every field of the record. */
  text: string;
  chips: FilterChip[];
  /** Inclusive time range on eventTime, ISO 8601 (UTC); empty means open-ended. */
  from?: string;
  to?: string;
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
  /** Texts of the styled hidden-character markers (`⟪U+202E⟫`) in the table's rows, top to bottom. */
  cellMarkers?: string[];
  /** The same in the detail pane. */
  detailMarkers?: string[];
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
  | { kind: 'scrollToRow'; rowPos: number };

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
}

export interface FocusFilterMessage {
  type: 'focusFilter';
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
  | TestMessage
  | IntegrityMessage;

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
export interface SaveStateRequest {
  type: 'saveState';
  state: ViewState;
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
  | SaveStateRequest
  | TestReply;

const webviewTypes: ReadonlySet<string> = new Set<WebviewMessage['type']>([
  'ready',
  'setView',
  'getRows',
  'getDetail',
  'copy',
  'openRecordJson',
  'openAsText',
  'saveState',
  'testReply',
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
