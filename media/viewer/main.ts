/**
 * The record viewer webview: a virtual table of records pulled page by page from the extension host, quick and
 * structured filters, and a detail pane. It never holds the whole file: only the visible rows exist in the DOM
 * and only recently used pages are cached.
 *
 * Security: everything shown comes from attacker-controlled files, so text only ever goes through textContent
 * (see dom.ts); the page runs under a strict CSP with a nonce'd script.
 */
import {
  PAGE_SIZE,
  defaultViewState,
  type ColumnInfo,
  type DetailMessage,
  type DomSummary,
  type FilterChip,
  type HostMessage,
  type InitMessage,
  type JsonNode,
  type JsonPath,
  type ProblemInfo,
  type Row,
  type SortSpec,
  type TestAction,
  type ViewState,
  type WebviewMessage,
} from '../../src/protocol/protocol';
import { PageCache, debounce } from './pages';
import { firstRowAt, revealRow, scrollRange, scrollTopFor, visibleCount, type ScrollGeometry } from './scroll';
import { appendMarked, clear, h, icon, iconButton } from './dom';
import { countText, decodeStandIns, isArn, singleLine, tokenizeJson, truncate, visibleText } from './text';
import { FieldsPanel, Timeline } from './insight';
import type { FieldCountsData, TimeBoxNote } from '../../src/protocol/protocol';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;
const vscode = acquireVsCodeApi();

const post = (m: WebviewMessage) => vscode.postMessage(m);

/** Cell text longer than this is cut in the table (the detail pane shows all of it). */
const CELL_DISPLAY_CHARS = 300;
const ROW_HEIGHT = 22;

// ------------------------------------------------------------------------------------------------------------
// State

let init: InitMessage | undefined;
let state: ViewState = defaultViewState();
let generation = -1;
let matched = 0;
let total = 0;
let loading = true;
let bytesRead = 0;
let bytesTotal = 0;
let firstRow = 0;
let selectedPos: number | undefined;
/** A row chosen by position whose page has not arrived yet; its record index is taken when it does. */
let pendingSelectPos: number | undefined;
let problems: ProblemInfo[] = [];
let fatal: string | undefined;
let detail: DetailMessage | undefined;
/** Saved first row to scroll back to once the restored filter has been applied and enough rows exist. */
let restoreRow: number | undefined;
const cspViolations: string[] = [];

const cache = new PageCache<Row>(PAGE_SIZE, 50);
let nextRequestId = 1;
let latestViewRequest = 0;
let pendingView = false;
let pendingDetail = 0;
/** Expanded tree paths (JSON-encoded path arrays) of the detail tree. */
let expanded = new Set<string>();

document.addEventListener('securitypolicyviolation', (e) => {
  cspViolations.push(`${e.violatedDirective}: ${e.blockedURI || 'inline'}`);
});

// ------------------------------------------------------------------------------------------------------------
// Layout (built once; every text node is created with textContent)

const root = document.getElementById('root')!;

const filterInput = h('input', {
  class: 'filter',
  attrs: { type: 'text', placeholder: 'Filter records (press / to focus)', 'aria-label': 'Filter records', spellcheck: 'false' },
});
const fromInput = h('input', {
  class: 'time',
  title: 'Show records at or after this time (UTC, e.g. 2024-05-01T12:00)',
  attrs: { type: 'text', placeholder: 'From (UTC)', 'aria-label': 'From time', spellcheck: 'false' },
});
const toInput = h('input', {
  class: 'time',
  title: 'Show records at or before this time (UTC)',
  attrs: { type: 'text', placeholder: 'To (UTC)', 'aria-label': 'To time', spellcheck: 'false' },
});
const countEl = h('span', { class: 'count', attrs: { 'aria-live': 'polite' } });
const progressEl = h('span', { class: 'progress' });
const columnsButton = iconButton('list-selection', 'Choose columns', (e) => showColumnChooser(e.currentTarget as HTMLElement));
const fieldsButton = iconButton('symbol-field', 'Show or hide the Fields panel (top values per field)', () => setFieldsOpen(!state.fieldsOpen), 'Fields');
const timeMsgEl = h('div', { class: 'time-msg hidden', attrs: { 'aria-live': 'polite' } });
const openJsonButton = iconButton('json', 'Open as JSON', () => post({ type: 'openAsText' }));
const chipsEl = h('div', { class: 'chips', attrs: { role: 'list', 'aria-label': 'Active filters' } });
const bannerEl = h('div', { class: 'banner hidden', attrs: { role: 'alert' } });
/** Integrity verdict of this file (set by the host after "Validate Log Integrity"); hidden when unknown. */
const integrityEl = h('div', { class: 'integrity hidden', attrs: { role: 'status' } });
const digestEl = h('div', { class: 'digest hidden' });
const errorEl = h('div', { class: 'view-error hidden' });

const toolbar = h(
  'div',
  { class: 'toolbar' },
  h('div', { class: 'filter-box' }, icon('filter'), filterInput),
  h('div', { class: 'time-box' }, icon('calendar'), fromInput, h('span', { class: 'dash' }, '–'), toInput),
  countEl,
  progressEl,
  h('span', { class: 'spacer-flex' }),
  fieldsButton,
  columnsButton,
  openJsonButton,
);

const scroller = h('div', { class: 'scroller', attrs: { tabindex: '0', role: 'grid', 'aria-label': 'Records' } });
const layer = h('div', { class: 'layer' });
const headerEl = h('div', { class: 'row header', attrs: { role: 'row' } });
const bodyEl = h('div', { class: 'body', attrs: { role: 'rowgroup' } });
const spacer = h('div', { class: 'spacer' });
const emptyEl = h('div', { class: 'empty hidden' });
layer.append(headerEl, bodyEl, emptyEl);
scroller.append(layer, spacer);

const detailEl = h('div', { class: 'detail hidden', attrs: { role: 'region', 'aria-label': 'Record detail' } });
const detailTitle = h('span', { class: 'detail-title' });
const tabTree = h('button', { class: 'tab', attrs: { type: 'button' } }, 'Tree');
const tabRaw = h('button', { class: 'tab', attrs: { type: 'button' } }, 'Raw JSON');
const detailBody = h('div', { class: 'detail-body', attrs: { tabindex: '0' } });
// Identity trace (src/trace): the host follows the record's credentials and shows the result as a tree view.
const traceButton = iconButton('type-hierarchy', 'Trace this identity', () => detail && post({ type: 'traceIdentity', index: detail.index }));
/** Combined views: where the shown record came from, and "Open source file at this record". */
const detailSource = h('div', { class: 'detail-source hidden' });
detailEl.append(
  h(
    'div',
    { class: 'detail-head' },
    detailTitle,
    tabTree,
    tabRaw,
    h('span', { class: 'spacer-flex' }),
    iconButton('copy', 'Copy record (exact JSON)', () => detail && post({ type: 'copy', index: detail.index })),
    iconButton('go-to-file', 'Open record as JSON', () => detail && post({ type: 'openRecordJson', index: detail.index })),
    traceButton,
    iconButton('close', 'Close detail (Esc)', () => setDetailOpen(false)),
  ),
  detailSource,
  detailBody,
);

const sash = h('div', { class: 'sash', title: 'Drag to resize the detail pane', attrs: { role: 'separator', 'aria-orientation': 'vertical' } });
const timeline = new Timeline({
  setRange: (from, to) => setTimeRange(from, to),
  reset: () => setTimeRange('', ''),
  split: (column) => {
    state.timelineSplit = column || undefined;
    persist();
    requestInsight();
  },
});
timeline.el.classList.add('hidden');
const fields = new FieldsPanel({
  pick: (f, value, exclude) => pickFieldValue(f, value, exclude),
  addPath: (p) => {
    state.fieldPaths = [...(state.fieldPaths ?? []).filter((x) => x !== p), p].slice(-20);
    persist();
    requestInsight();
  },
  removePath: (p) => {
    state.fieldPaths = (state.fieldPaths ?? []).filter((x) => x !== p);
    lastFields = lastFields.filter((f) => f.field !== p);
    fields.render(lastFields);
    persist();
    requestInsight();
  },
  close: () => setFieldsOpen(false),
});
fields.el.classList.add('hidden');
const main = h('div', { class: 'main' }, fields.el, scroller, sash, detailEl);
root.append(toolbar, timeMsgEl, chipsEl, integrityEl, bannerEl, digestEl, errorEl, timeline.el, main);
const hoverEl = h('div', { class: 'doc-hover hidden', attrs: { role: 'tooltip', id: 'doc-hover' } });
document.body.append(hoverEl);

const menuEl = h('div', { class: 'menu hidden', attrs: { role: 'menu' } });
document.body.append(menuEl);

// ------------------------------------------------------------------------------------------------------------
// Helpers

function columns(): ColumnInfo[] {
  return init?.columns ?? [];
}

function visibleColumns(): { col: ColumnInfo; at: number }[] {
  const hidden = new Set(state.hiddenColumns);
  return columns()
    .map((col, at) => ({ col, at }))
    .filter((c) => !hidden.has(c.col.id));
}

function geometry(): ScrollGeometry {
  const viewportHeight = Math.max(ROW_HEIGHT, scroller.clientHeight - ROW_HEIGHT); // minus the header row
  return { total: matched, rowHeight: ROW_HEIGHT, viewportHeight };
}

function persist(): void {
  state.scrollRow = restoreRow ?? firstRow;
  vscode.setState(state);
  saveToHost();
}
const saveToHost = debounce(() => post({ type: 'saveState', state }), 400);

// ------------------------------------------------------------------------------------------------------------
// Header, rows, virtual scrolling

/** Width of a column: the user's (dragged or fitted), else a default that fits its header and typical values. */
function widthOf(col: ColumnInfo): number {
  const w = state.columnWidths?.[col.id];
  return typeof w === 'number' && w >= 24 && w <= 4000 ? w : defaultWidth(col);
}

let measureCtx: CanvasRenderingContext2D | null | undefined;
/** Text width in CSS px in the font of a cell of this column (or of the header). */
function textWidth(text: string, column: string | undefined, header = false): number {
  measureCtx ??= document.createElement('canvas').getContext('2d');
  if (!measureCtx) return text.length * 8;
  const probe = h('div', { class: header ? 'cell head' : `cell col-${column ?? ''}` });
  probe.style.position = 'absolute';
  probe.style.visibility = 'hidden';
  (header ? headerEl : bodyEl).append(probe);
  const cs = getComputedStyle(probe);
  measureCtx.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
  probe.remove();
  return measureCtx.measureText(text).width;
}

/** Samples a default width must show whole: a full time, an IPv4 address, the longest Region names. */
const WIDTH_SAMPLES: Record<string, string[]> = {
  time: ['2025-03-05 21:19:44.123Z'],
  sourceIp: ['255.255.255.255'],
  region: ['ap-southeast-4', 'us-isob-east-1', 'cn-northwest-1'],
  readOnly: ['false'],
};
const defaults = new Map<string, number>();
/** Cell padding (8 px each side) plus room for the sort arrow in headers. */
const CELL_PAD = 18;
function defaultWidth(col: ColumnInfo): number {
  let w = defaults.get(col.id);
  if (w !== undefined) return w;
  w = col.width;
  const head = textWidth(col.title, undefined, true) + CELL_PAD + 20;
  w = Math.max(w, Math.ceil(head));
  const samples = col.id === 'time' && init?.localTime ? ['2025-03-05 21:19:44.123 +05:30'] : (WIDTH_SAMPLES[col.id] ?? []);
  for (const sample of samples) w = Math.max(w, Math.ceil(textWidth(sample, col.id) + CELL_PAD + 4));
  defaults.set(col.id, w);
  return w;
}

function gridTemplate(): string {
  return visibleColumns()
    .map(({ col }) => `${widthOf(col)}px`)
    .join(' ');
}

function setColumnWidth(column: string, width: number): void {
  state.columnWidths = { ...(state.columnWidths ?? {}), [column]: Math.round(Math.max(32, Math.min(4000, width))) };
  // Only the grid changes: the header's elements stay (a drag holds the pointer on one of them).
  const template = gridTemplate();
  headerEl.style.gridTemplateColumns = template;
  bodyEl.style.setProperty('--grid', template);
  const width2 = visibleColumns().reduce((sum, { col }) => sum + widthOf(col), 0);
  layer.style.minWidth = `${width2}px`;
  spacer.style.minWidth = `${width2}px`;
}

/** Double-click on a header edge: the width that shows the header and every loaded value of the column whole. */
function fitColumn(col: ColumnInfo): void {
  const at = columns().indexOf(col);
  let w = textWidth(col.title, undefined, true) + CELL_PAD + 20;
  for (const page of cache.loadedRows()) {
    const raw = page.cells[at];
    if (raw) w = Math.max(w, textWidth(truncate(singleLine(timeText(col.id, decodeStandIns(raw))), CELL_DISPLAY_CHARS).text, col.id) + CELL_PAD + 4);
  }
  setColumnWidth(col.id, Math.min(1200, Math.ceil(w)));
  persist();
}

/** The Time column's text: the host's UTC form, or local time when the setting asks for it. */
function timeText(column: string, text: string): string {
  if (column !== 'time' || !init?.localTime) return text;
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(\.\d{3})?Z$/.exec(text);
  if (!m) return text;
  const d = new Date(`${m[1]}T${m[2]}${m[3] ?? ''}Z`);
  const p = (n: number, l = 2) => String(Math.abs(n)).padStart(l, '0');
  const off = -d.getTimezoneOffset();
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}${m[3] ? '.' + p(d.getMilliseconds(), 3) : ''} ${off < 0 ? '-' : '+'}${p(Math.trunc(off / 60))}:${p(off % 60)}`;
}

function renderHeader(): void {
  clear(headerEl);
  const template = gridTemplate();
  headerEl.style.gridTemplateColumns = template;
  bodyEl.style.setProperty('--grid', template);
  let width = 0;
  for (const { col } of visibleColumns()) {
    width += widthOf(col);
    const sort = currentSort();
    const sorted = sort?.column === col.id ? sort.direction : undefined;
    const cell = h(
      'div',
      {
        class: 'cell head' + (sorted ? ' sorted' : ''),
        title: col.sortable === false ? (col.description ?? col.title) : `${col.description ?? col.title} — click to sort`,
        attrs: { role: 'columnheader', 'aria-sort': sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none' },
      },
      h('span', { class: 'head-text' }, col.title),
      sorted ? icon(sorted === 'asc' ? 'arrow-up' : 'arrow-down') : undefined,
    );
    if (col.sortable !== false) {
      cell.addEventListener('click', (e) => {
        if ((e.target as HTMLElement).closest('.col-resize')) return;
        toggleSort(col.id);
      });
    }
    const grip = h('div', { class: 'col-resize', title: 'Drag to resize; double-click to fit the content', attrs: { role: 'separator', 'aria-orientation': 'vertical', 'aria-label': `Resize ${col.title}`, tabindex: '-1' } });
    grip.addEventListener('pointerdown', (e) => startResize(e, col, grip));
    grip.addEventListener('dblclick', (e) => {
      e.stopPropagation();
      fitColumn(col);
    });
    cell.append(grip);
    headerEl.append(cell);
  }
  layer.style.minWidth = `${width}px`;
  spacer.style.minWidth = `${width}px`;
}

function startResize(e: PointerEvent, col: ColumnInfo, grip: HTMLElement): void {
  e.preventDefault();
  e.stopPropagation();
  grip.setPointerCapture?.(e.pointerId);
  const startX = e.clientX;
  const startW = widthOf(col);
  const move = (ev: PointerEvent) => setColumnWidth(col.id, startW + ev.clientX - startX);
  const up = () => {
    grip.removeEventListener('pointermove', move);
    grip.removeEventListener('pointerup', up);
    grip.removeEventListener('pointercancel', up);
    persist();
  };
  grip.addEventListener('pointermove', move);
  grip.addEventListener('pointerup', up);
  grip.addEventListener('pointercancel', up);
}

function currentSort(): SortSpec | undefined {
  return state.sort ?? init?.defaultSort;
}

/** Click on a header: sort by that column (times newest first), click again to reverse. */
function toggleSort(column: string): void {
  const cur = currentSort();
  if (!cur || cur.column !== column) state.sort = { column, direction: column === 'time' ? 'desc' : 'asc' };
  else state.sort = { column, direction: cur.direction === 'asc' ? 'desc' : 'asc' };
  firstRow = 0;
  renderHeader();
  requestView();
}

let programmaticScroll = false;

function syncScroller(): void {
  const g = geometry();
  layer.style.height = `${scroller.clientHeight}px`;
  spacer.style.height = `${scrollRange(g)}px`;
  const want = scrollTopFor(firstRow, g);
  if (Math.abs(scroller.scrollTop - want) >= 1 && firstRowAt(scroller.scrollTop, g) !== firstRow) {
    programmaticScroll = true;
    scroller.scrollTop = want;
  }
}

scroller.addEventListener('scroll', () => {
  if (programmaticScroll) {
    programmaticScroll = false;
    return;
  }
  const next = firstRowAt(scroller.scrollTop, geometry());
  if (next !== firstRow) {
    firstRow = next;
    renderRows();
    persistScroll();
  }
});
const persistScroll = debounce(persist, 200);

function renderRows(): void {
  const g = geometry();
  firstRow = Math.min(firstRow, Math.max(0, matched - visibleCount(g)));
  syncScroller();
  const count = Math.min(visibleCount(g) + 1, Math.max(0, matched - firstRow));
  requestPages(firstRow, firstRow + count - 1);
  const cols = visibleColumns();
  clear(bodyEl);
  for (let i = 0; i < count; i++) {
    const pos = firstRow + i;
    const row = cache.row(pos);
    if (row && pos === pendingSelectPos) {
      pendingSelectPos = undefined;
      state.selected = row.index;
      if (state.detailOpen) loadDetail(row.index);
    } else if (row && pendingSelectPos === undefined && state.selected !== undefined && row.index === state.selected) selectedPos = pos;
    const el = h('div', { class: 'row', attrs: { role: 'row', 'data-pos': String(pos) } });
    if (row) {
      if (row.failed) el.classList.add('failed');
      if (row.unverified) {
        el.classList.add('unverified');
        el.title = 'Unverified: this record was decoded from a damaged gzip (its checksum failed); any of its values may have been altered.';
      }
      if (pos === selectedPos) {
        el.classList.add('selected');
        el.setAttribute('aria-selected', 'true');
      }
      for (const { col, at } of cols) {
        // The host sends the table core's cell text, where hidden characters are `<U+202E>` stand-ins; they are
        // turned back into characters here only to be drawn as the same markers the detail pane uses.
        const raw = timeText(col.id, decodeStandIns(row.cells[at] ?? ''));
        const oneLine = singleLine(raw);
        const { text, cut } = truncate(oneLine, CELL_DISPLAY_CHARS);
        const cell = h('div', { class: `cell col-${col.id}`, attrs: { role: 'gridcell', 'data-col': col.id } });
        if (row.unverified && col === cols[0].col) cell.append(icon('warning'), ' ');
        appendMarked(cell, text);
        if (cut || row.truncated?.includes(at)) cell.title = visibleText(truncate(oneLine, 2000).text);
        else if (oneLine.length > 24) cell.title = visibleText(oneLine);
        el.append(cell);
      }
    } else {
      el.classList.add('pending');
      el.append(h('div', { class: 'cell' }, ' '));
    }
    bodyEl.append(el);
  }
  emptyEl.classList.toggle('hidden', matched > 0 || (loading && total === 0 && !fatal));
  emptyEl.textContent =
    total === 0 ? (loading ? '' : fatal ? 'The file could not be read.' : 'No records in this file.') : 'No records match the filter.';
  countEl.textContent = countText(matched, total, loading);
  renderProgress();
}

function renderProgress(): void {
  if (!loading) {
    progressEl.textContent = '';
    progressEl.classList.add('hidden');
    return;
  }
  progressEl.classList.remove('hidden');
  clear(progressEl);
  const pct = bytesTotal > 0 ? ` ${Math.floor((100 * bytesRead) / bytesTotal)}%` : '';
  progressEl.append(icon('loading'), ` indexing ${total} records…${pct}`);
  progressEl.firstElementChild?.classList.add('codicon-modifier-spin');
}

function requestPages(first: number, last: number): void {
  if (generation < 0 || matched === 0) return;
  // Also fetch the next page ahead so scrolling down rarely shows empty rows.
  const pages = cache.missing(first, last + PAGE_SIZE / 2, matched);
  for (const page of pages) {
    const requestId = nextRequestId++;
    cache.markPending(page, requestId);
    post({ type: 'getRows', requestId, generation, start: page * PAGE_SIZE, count: PAGE_SIZE });
  }
}

// Row interactions
bodyEl.addEventListener('click', (e) => {
  const rowEl = (e.target as HTMLElement).closest('.row') as HTMLElement | null;
  if (!rowEl?.dataset.pos) return;
  select(Number(rowEl.dataset.pos), e.detail >= 2 || state.detailOpen);
  scroller.focus();
});
bodyEl.addEventListener('contextmenu', (e) => {
  const cellEl = (e.target as HTMLElement).closest('.cell') as HTMLElement | null;
  const rowEl = cellEl?.closest('.row') as HTMLElement | null;
  if (!cellEl?.dataset.col || !rowEl?.dataset.pos) return;
  e.preventDefault();
  const pos = Number(rowEl.dataset.pos);
  select(pos, state.detailOpen);
  showCellMenu(pos, cellEl.dataset.col, e.clientX, e.clientY);
});

function select(pos: number, openDetail: boolean): void {
  if (matched === 0) return;
  pos = Math.max(0, Math.min(matched - 1, pos));
  selectedPos = pos;
  firstRow = revealRow(pos, firstRow, geometry());
  const row = cache.row(pos);
  if (row) {
    state.selected = row.index;
    pendingSelectPos = undefined;
  } else pendingSelectPos = pos;
  renderRows();
  if (openDetail) setDetailOpen(true);
  else if (state.detailOpen && row) loadDetail(row.index);
  persist();
}

function setDetailOpen(open: boolean): void {
  state.detailOpen = open;
  detailEl.classList.toggle('hidden', !open);
  sash.classList.toggle('hidden', !open);
  if (open && state.selected !== undefined && detail?.index !== state.selected) loadDetail(state.selected);
  persist();
  // The table's height did not change, but its width did: keep rows in sync.
  renderRows();
}

function applyDetailWidth(): void {
  if (state.detailWidth) detailEl.style.flexBasis = `${state.detailWidth}px`;
}

sash.addEventListener('pointerdown', (e) => {
  e.preventDefault();
  sash.setPointerCapture(e.pointerId);
  sash.classList.add('active');
  const move = (ev: PointerEvent) => {
    const box = main.getBoundingClientRect();
    state.detailWidth = Math.round(Math.max(220, Math.min(box.width - 200, box.right - ev.clientX)));
    applyDetailWidth();
  };
  const up = () => {
    sash.classList.remove('active');
    sash.removeEventListener('pointermove', move);
    sash.removeEventListener('pointerup', up);
    persist();
    renderRows();
  };
  sash.addEventListener('pointermove', move);
  sash.addEventListener('pointerup', up);
});

// ------------------------------------------------------------------------------------------------------------
// Keyboard

scroller.addEventListener('keydown', (e) => {
  const g = geometry();
  const page = visibleCount(g);
  const cur = selectedPos ?? firstRow - 1;
  let next: number | undefined;
  switch (e.key) {
    case 'ArrowDown':
      next = cur + 1;
      break;
    case 'ArrowUp':
      next = Math.max(0, cur - 1);
      break;
    case 'PageDown':
      next = cur + page;
      break;
    case 'PageUp':
      next = cur - page;
      break;
    case 'Home':
      next = 0;
      break;
    case 'End':
      next = matched - 1;
      break;
    case 'Enter':
      if (selectedPos !== undefined) setDetailOpen(true);
      e.preventDefault();
      return;
    case 'ContextMenu': {
      if (selectedPos === undefined) return;
      e.preventDefault();
      const rowEl = bodyEl.querySelector(`.row[data-pos="${selectedPos}"]`);
      const rect = rowEl?.getBoundingClientRect();
      const first = visibleColumns()[0];
      if (rect && first) showCellMenu(selectedPos, first.col.id, rect.left + 20, rect.bottom);
      return;
    }
    default:
      return;
  }
  e.preventDefault();
  select(Math.max(0, Math.min(matched - 1, next)), false);
});

document.addEventListener('keydown', (e) => {
  const inInput = e.target instanceof HTMLInputElement;
  if ((e.key === 'f' && (e.ctrlKey || e.metaKey)) || (e.key === '/' && !inInput)) {
    e.preventDefault();
    focusFilter();
    return;
  }
  if (e.key === 'Escape') {
    if (!menuEl.classList.contains('hidden')) {
      hideMenu();
      return;
    }
    if (e.target === filterInput) {
      if (filterInput.value) {
        filterInput.value = '';
        onFilterInput();
      } else scroller.focus();
      return;
    }
    if (state.detailOpen) {
      setDetailOpen(false);
      scroller.focus();
    }
  }
});

function focusFilter(): void {
  filterInput.focus();
  filterInput.select();
}

// ------------------------------------------------------------------------------------------------------------
// Filtering

const sendView = debounce(() => requestView(), 100);

function onFilterInput(): void {
  state.filter.text = filterInput.value;
  sendView();
}
filterInput.addEventListener('input', onFilterInput);
filterInput.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' || e.key === 'ArrowDown') {
    sendView.flush();
    e.preventDefault();
    scroller.focus();
    if (selectedPos === undefined && matched > 0) select(0, false);
  }
});

/**
 * The time boxes are read by the host (relative ranges need the newest record's time): what was typed is sent as
 * it is, and the answer says how each box was read or why it could not be (shown inline; that bound is then
 * not in force, rather than an older value silently staying).
 */
function onTimeInput(): void {
  state.filter.from = fromInput.value.trim() || undefined;
  state.filter.to = toInput.value.trim() || undefined;
  sendView();
}

function showTimeNotes(time: { from?: TimeBoxNote; to?: TimeBoxNote } | undefined): void {
  clear(timeMsgEl);
  const lines: HTMLElement[] = [];
  for (const [which, input, note] of [['From', fromInput, time?.from], ['To', toInput, time?.to]] as const) {
    input.classList.toggle('invalid', !!note?.error);
    input.setAttribute('aria-invalid', String(!!note?.error));
    if (note?.error) lines.push(h('div', { class: 'time-error' }, icon('error'), ` ${which}: ${note.error} No ${which} bound is in force.`));
    else if (note?.resolved && !/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}/.test(input.value.trim())) lines.push(h('div', { class: 'time-note' }, icon('info'), ` ${which}: ${note.resolved}`));
  }
  timeMsgEl.append(...lines);
  timeMsgEl.classList.toggle('hidden', lines.length === 0);
}
fromInput.addEventListener('input', onTimeInput);
toInput.addEventListener('input', onTimeInput);

let latestInsight = 0;
let pendingInsight = false;
let lastFields: FieldCountsData[] = [];
/** An insight request is waiting for its debounce. */
let insightDue = false;
const requestInsight = Object.assign(
  () => {
    insightDue = true;
    sendInsight();
  },
  { flush: () => sendInsight.flush() },
);
/** Asks for the timeline and field counts of the current view (the host sends aggregates, never rows). */
const sendInsight = debounce(() => {
  insightDue = false;
  if (!init?.insight) return;
  const requestId = nextRequestId++;
  latestInsight = requestId;
  pendingInsight = true;
  const maxBars = Math.max(8, Math.min(120, Math.floor((timeline.bars.clientWidth || 900) / 12)));
  post({ type: 'getInsight', requestId, split: state.timelineSplit ?? '', paths: state.fieldsOpen ? (state.fieldPaths ?? []) : [], maxBars });
}, 150);

function setFieldsOpen(open: boolean): void {
  state.fieldsOpen = open;
  fields.el.classList.toggle('hidden', !open);
  fieldsButton.classList.toggle('active', open);
  fieldsButton.setAttribute('aria-pressed', String(open));
  persist();
  requestInsight();
  renderRows();
}

function pickFieldValue(f: FieldCountsData, value: string, exclude: boolean): void {
  if (f.kind === 'path') addChip({ column: '', path: f.field, value, exclude });
  else addChip({ column: f.field, value, exclude });
}

function requestView(): void {
  const requestId = nextRequestId++;
  latestViewRequest = requestId;
  pendingView = true;
  post({ type: 'setView', requestId, filter: state.filter, sort: state.sort });
  renderChips();
  persist();
}

function renderChips(): void {
  clear(chipsEl);
  const cols = new Map(columns().map((c) => [c.id, c.title]));
  state.filter.chips.forEach((chip, i) => {
    const name = chip.path !== undefined ? truncate(singleLine(chip.path), 80).text : (cols.get(chip.column) ?? chip.column);
    const label = `${name} ${chip.exclude ? '≠' : '='} `;
    const valueSpan = h('span', { class: 'chip-value' });
    const shown = decodeStandIns(chip.value); // chip values are cell texts (the filter needs them unchanged)
    appendMarked(valueSpan, truncate(singleLine(shown), 80).text || '(empty)');
    const el = h(
      'span',
      { class: 'chip' + (chip.exclude ? ' exclude' : ''), attrs: { role: 'listitem' }, title: visibleText(shown) },
      h('span', { class: 'chip-label' }, label),
      valueSpan,
    );
    el.append(iconButton('close', 'Remove this filter', () => removeChip(i)));
    chipsEl.append(el);
  });
  renderRowSetChip();
  chipsEl.classList.toggle('hidden', state.filter.chips.length === 0 && !state.filter.rowSet);
}

/** The host's row set (an identity trace node) shows as one more chip; removing it shows every record again. */
function renderRowSetChip(): void {
  const set = state.filter.rowSet;
  if (!set) return;
  const el = h(
    'span',
    { class: 'chip', attrs: { role: 'listitem' }, title: `Only the ${set.count} records of trace node "${set.label}"` },
    icon('type-hierarchy'),
    h('span', { class: 'chip-label' }, 'Trace = '),
    h('span', { class: 'chip-value' }, truncate(singleLine(set.label), 80).text),
  );
  el.append(iconButton('close', 'Remove this filter', () => {
    state.filter.rowSet = undefined;
    requestView();
  }));
  chipsEl.append(el);
}

function addChip(chip: FilterChip): void {
  const same = state.filter.chips.findIndex((c) => c.column === chip.column && c.path === chip.path && c.value === chip.value);
  if (same >= 0) state.filter.chips.splice(same, 1);
  state.filter.chips.push(chip);
  firstRow = 0;
  requestView();
}

function removeChip(i: number): void {
  state.filter.chips.splice(i, 1);
  requestView();
}

// ------------------------------------------------------------------------------------------------------------
// Menus (cell actions, column chooser)

function showMenu(items: ({ label: string; icon?: string; run: () => void; disabled?: boolean } | 'sep')[], x: number, y: number): void {
  clear(menuEl);
  for (const item of items) {
    if (item === 'sep') {
      menuEl.append(h('div', { class: 'menu-sep' }));
      continue;
    }
    const b = h('button', { class: 'menu-item', attrs: { role: 'menuitem', type: 'button' } }, item.icon ? icon(item.icon) : h('span', { class: 'menu-icon-space' }), h('span', {}, item.label));
    if (item.disabled) b.disabled = true;
    b.addEventListener('click', () => {
      hideMenu();
      item.run();
    });
    menuEl.append(b);
  }
  menuEl.classList.remove('hidden');
  const w = menuEl.offsetWidth;
  const hgt = menuEl.offsetHeight;
  menuEl.style.left = `${Math.max(0, Math.min(x, window.innerWidth - w - 4))}px`;
  menuEl.style.top = `${Math.max(0, Math.min(y, window.innerHeight - hgt - 4))}px`;
  (menuEl.querySelector('button:not([disabled])') as HTMLButtonElement | null)?.focus();
}

function hideMenu(): void {
  menuEl.classList.add('hidden');
}
document.addEventListener('mousedown', (e) => {
  if (!menuEl.contains(e.target as Node)) hideMenu();
});
menuEl.addEventListener('keydown', (e) => {
  const items = [...menuEl.querySelectorAll('button:not([disabled])')] as HTMLButtonElement[];
  const i = items.indexOf(document.activeElement as HTMLButtonElement);
  if (e.key === 'ArrowDown') items[(i + 1) % items.length]?.focus();
  else if (e.key === 'ArrowUp') items[(i - 1 + items.length) % items.length]?.focus();
  else return;
  e.preventDefault();
});

function cellValue(pos: number, column: string): { value: string; cut: boolean } | undefined {
  const row = cache.row(pos);
  const at = columns().findIndex((c) => c.id === column);
  if (!row || at < 0) return undefined;
  return { value: row.cells[at] ?? '', cut: row.truncated?.includes(at) ?? false };
}

function showCellMenu(pos: number, column: string, x: number, y: number): void {
  const cell = cellValue(pos, column);
  const row = cache.row(pos);
  if (!cell || !row) return;
  // The Time column shows a normalised time (not the record's text): "only this value" is a one-instant range.
  const items: Parameters<typeof showMenu>[0] = [];
  if (column === 'time') items.push({ label: 'Only this time', icon: 'filter', run: () => setTimeRange(cell.value, cell.value) });
  else if (columns().find((c) => c.id === column)?.filterable !== false) {
    items.push(
      { label: 'Only this value', icon: 'filter', run: () => addChip({ column, value: cell.value, exclude: false }) },
      { label: 'Exclude this value', icon: 'exclude', run: () => addChip({ column, value: cell.value, exclude: true }) },
    );
  }
  if (column === 'time' && cell.value) {
    items.push(
      { label: 'Show from this time on', icon: 'arrow-down', run: () => setTimeRange(cell.value, toInput.value) },
      { label: 'Show up to this time', icon: 'arrow-up', run: () => setTimeRange(fromInput.value, cell.value) },
    );
  }
  items.push(
    'sep',
    { label: 'Copy value', icon: 'copy', run: () => post({ type: 'copy', index: row.index, column }) },
    { label: 'Copy record', icon: 'json', run: () => post({ type: 'copy', index: row.index }) },
    { label: 'Show detail', icon: 'open-preview', run: () => select(pos, true) },
  );
  if (init?.kind === 'records') items.push({ label: 'Trace this identity', icon: 'type-hierarchy', run: () => post({ type: 'traceIdentity', index: row.index }) });
  showMenu(items, x, y);
}

function setTimeRange(from: string | undefined, to: string | undefined): void {
  fromInput.value = from ?? '';
  toInput.value = to ?? '';
  onTimeInput();
  sendView.flush();
}

function showColumnChooser(anchor: HTMLElement): void {
  const rect = anchor.getBoundingClientRect();
  const hidden = new Set(state.hiddenColumns);
  showMenu(
    columns().map((c) => ({
      label: c.title,
      icon: hidden.has(c.id) ? undefined : 'check',
      run: () => {
        if (hidden.has(c.id)) state.hiddenColumns = state.hiddenColumns.filter((x) => x !== c.id);
        else if (visibleColumns().length > 1) state.hiddenColumns = [...state.hiddenColumns, c.id];
        renderHeader();
        renderRows();
        persist();
      },
    })),
    rect.left,
    rect.bottom + 2,
  );
}

// ------------------------------------------------------------------------------------------------------------
// Problems banner and digest header

function renderBanner(): void {
  clear(bannerEl);
  const shown = problems.slice(0, 20);
  if (!fatal && shown.length === 0) {
    bannerEl.classList.add('hidden');
    return;
  }
  bannerEl.classList.remove('hidden');
  const head = h('div', { class: 'banner-head' }, icon(fatal ? 'error' : 'warning'));
  head.append(
    h(
      'span',
      {},
      fatal
        ? fatal
        : `${problems.length} problem${problems.length === 1 ? '' : 's'} while reading this file; the readable records are shown.`,
    ),
  );
  if (init?.canOpenAsText) head.append(iconButton('go-to-file', 'Open the file as text', () => post({ type: 'openAsText' }), 'Open as text'));
  bannerEl.append(head);
  const list = h('ul', { class: 'problems' });
  for (const p of shown) {
    const item = h('li', { class: `problem ${p.severity}` });
    const where = h('button', { class: 'link', attrs: { type: 'button' }, title: 'Open as text at this line' }, `Line ${p.line}${p.column > 1 ? `:${p.column}` : ''}`);
    where.addEventListener('click', () => post({ type: 'openAsText', line: p.line }));
    item.append(where, ' ');
    appendMarked(item, truncate(p.message, 500).text);
    list.append(item);
  }
  if (problems.length > shown.length) list.append(h('li', { class: 'problem' }, `… and ${problems.length - shown.length} more`));
  bannerEl.append(list);
}

function renderDigestHeader(): void {
  clear(digestEl);
  if (!init?.digest) {
    digestEl.classList.add('hidden');
    return;
  }
  digestEl.classList.remove('hidden');
  digestEl.append(h('div', { class: 'digest-title' }, icon('shield'), ' Digest file — the log files delivered in this period and their hashes'));
  const dl = h('dl', {});
  for (const [label, value] of init.digest.fields) {
    const dd = h('dd', {});
    appendMarked(dd, truncate(decodeStandIns(value), 300).text || '—');
    dl.append(h('dt', {}, label), dd);
  }
  digestEl.append(dl);
}

// ------------------------------------------------------------------------------------------------------------
// Detail pane: collapsible tree with hover docs, and raw JSON with syntax colouring

function loadDetail(index: number): void {
  const requestId = nextRequestId++;
  pendingDetail = requestId;
  post({ type: 'getDetail', requestId, index });
}

function pathKey(path: JsonPath): string {
  return JSON.stringify(path);
}

function dottedPath(path: JsonPath): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : p)).join('.').replace(/\.\[/g, '[');
}

function renderDetail(): void {
  clear(detailBody);
  tabTree.classList.toggle('active', state.detailTab === 'tree');
  tabRaw.classList.toggle('active', state.detailTab === 'raw');
  if (!detail) return;
  detailTitle.textContent = `Record ${detail.index + 1}${detail.line ? ` (line ${detail.line})` : ''}`;
  if (detail.unverified) {
    detailBody.append(
      h('div', { class: 'unverified-note', attrs: { role: 'note' } }, icon('warning'), ' Unverified record: it was decoded from a gzip member whose checksum failed, so any of its values may have been altered. Download the file again to check it.'),
    );
  }
  renderDetailSource();
  if (state.detailTab === 'raw') {
    const pre = h('pre', { class: 'raw' });
    for (const tok of tokenizeJson(detail.raw)) {
      if (tok.kind === 'space' || tok.kind === 'punct') pre.append(document.createTextNode(tok.text));
      else {
        const span = h('span', { class: `tok-${tok.kind}` });
        appendMarked(span, tok.text);
        pre.append(span);
      }
    }
    if (detail.rawTruncated) pre.append(h('div', { class: 'note' }, '… cut here; use "Open record as JSON" for the whole record.'));
    detailBody.append(pre);
    return;
  }
  const tree = h('div', { class: 'tree', attrs: { role: 'tree' } });
  renderNode(tree, detail.tree, [], undefined, 0);
  detailBody.append(tree);
}

function renderDetailSource(): void {
  clear(detailSource);
  const src = detail?.source;
  detailSource.classList.toggle('hidden', !src);
  if (!src || !detail) return;
  const index = detail.index;
  const label = h('span', { class: 'detail-source-label', title: src.description ?? src.label });
  appendMarked(label, src.label);
  detailSource.append(icon(src.canOpen ? 'file' : 'cloud'), h('span', {}, ' From '), label);
  if (src.canOpen) {
    const open = iconButton('go-to-file', 'Open source file at this record', () => post({ type: 'openSource', index }), 'Open source file at this record');
    open.classList.add('open-source');
    detailSource.append(open);
  }
}

function scalarText(node: JsonNode): string {
  switch (node.t) {
    case 's':
      return JSON.stringify(node.v);
    case 'n':
    case 'b':
    case 'z':
      return node.v;
    default:
      return '';
  }
}

function renderNode(parent: HTMLElement, node: JsonNode, path: JsonPath, key: string | number | undefined, depth: number): void {
  const line = h('div', { class: 'tree-line', attrs: { role: 'treeitem', 'data-path': dottedPath(path) } });
  line.style.paddingLeft = `${depth * 14 + 4}px`;
  const isContainer = node.t === 'o' || node.t === 'a';
  const open = isContainer && (path.length === 0 || expanded.has(pathKey(path)));
  if (isContainer) {
    const twisty = h('span', { class: 'twisty' }, icon(open ? 'chevron-down' : 'chevron-right'));
    line.append(twisty);
    line.setAttribute('aria-expanded', String(open));
    line.addEventListener('click', (e) => {
      if ((e.target as HTMLElement).closest('.icon-btn')) return;
      const k = pathKey(path);
      if (expanded.has(k)) expanded.delete(k);
      else expanded.add(k);
      renderDetail();
    });
  } else line.append(h('span', { class: 'twisty' }));
  if (key !== undefined) {
    const keyEl = h('span', { class: typeof key === 'number' ? 'k index' : 'k' });
    appendMarked(keyEl, typeof key === 'number' ? String(key) : key);
    if (node.doc) {
      docs.set(keyEl, node.doc);
      keyEl.classList.add('documented');
      keyEl.setAttribute('aria-describedby', 'doc-hover');
      keyEl.tabIndex = -1;
      keyEl.addEventListener('mouseenter', () => showDocHover(keyEl, node.doc!));
      keyEl.addEventListener('focus', () => showDocHover(keyEl, node.doc!));
      keyEl.addEventListener('mouseleave', () => hideDocHoverSoon());
      keyEl.addEventListener('blur', () => hideDocHoverSoon());
    }
    line.append(keyEl, h('span', { class: 'colon' }, ': '));
  }
  const valueEl = h('span', { class: `v v-${node.t}` });
  switch (node.t) {
    case 'o':
      valueEl.textContent = open ? '{' : `{…} ${node.entries.length + (node.more ?? 0)} keys`;
      break;
    case 'a':
      valueEl.textContent = open ? '[' : `[…] ${node.items.length + (node.more ?? 0)} items`;
      break;
    case 'deep':
      valueEl.textContent = '… nested too deep to show here (open the record as JSON)';
      break;
    case 's':
      if (isArn(node.v)) valueEl.classList.add('v-arn');
      appendMarked(valueEl, JSON.stringify(node.v));
      if (node.cut) valueEl.append(h('span', { class: 'note' }, ` … ${node.cut} more characters (copy value for all)`));
      break;
    default:
      valueEl.textContent = scalarText(node);
  }
  line.append(valueEl);
  if (path.length > 0) {
    const copy = iconButton('copy', 'Copy value', () => detail && post({ type: 'copy', index: detail.index, path }));
    copy.classList.add('line-action');
    line.append(copy);
  }
  parent.append(line);
  if (!open) return;
  if (node.t === 'o') {
    for (const [k, v] of node.entries) renderNode(parent, v, [...path, k], k, depth + 1);
    if (node.more) parent.append(moreLine(node.more, depth + 1));
  } else if (node.t === 'a') {
    node.items.forEach((v, i) => renderNode(parent, v, [...path, i], i, depth + 1));
    if (node.more) parent.append(moreLine(node.more, depth + 1));
  }
  const close = h('div', { class: 'tree-line close' }, h('span', { class: 'twisty' }), h('span', { class: 'v' }, node.t === 'o' ? '}' : ']'));
  close.style.paddingLeft = `${depth * 14 + 4}px`;
  parent.append(close);
}

/** Field documentation by key element (the same text as the JSON editor's hover). */
const docs = new WeakMap<HTMLElement, string>();
let hoverTimer: ReturnType<typeof setTimeout> | undefined;

/**
 * A themed hover for a documented key, like the editor's: title, text, and a working link to the AWS
 * documentation (opened by the host, which accepts only docs.aws.amazon.com addresses).
 */
function showDocHover(anchor: HTMLElement, doc: string): void {
  if (hoverTimer) clearTimeout(hoverTimer);
  clear(hoverEl);
  const lines = doc.split('\n');
  const url = lines.length > 1 && /^https:\/\//.test(lines[lines.length - 1]) ? lines.pop()! : undefined;
  const [title, ...body] = lines;
  hoverEl.append(h('div', { class: 'doc-title' }, title));
  for (const para of body) if (para.trim()) hoverEl.append(h('div', { class: 'doc-body' }, para));
  if (url) {
    const link = h('button', { class: 'link doc-link', attrs: { type: 'button' }, title: url }, icon('link-external'), ' AWS documentation');
    link.addEventListener('click', () => post({ type: 'openLink', url }));
    hoverEl.append(link);
  }
  hoverEl.classList.remove('hidden');
  const r = anchor.getBoundingClientRect();
  const w = hoverEl.offsetWidth;
  const hh = hoverEl.offsetHeight;
  hoverEl.style.left = `${Math.max(4, Math.min(r.left, window.innerWidth - w - 8))}px`;
  hoverEl.style.top = `${r.bottom + 4 + hh > window.innerHeight ? Math.max(4, r.top - hh - 4) : r.bottom + 4}px`;
}
function hideDocHoverSoon(): void {
  if (hoverTimer) clearTimeout(hoverTimer);
  hoverTimer = setTimeout(() => hoverEl.classList.add('hidden'), 300);
}
hoverEl.addEventListener('mouseenter', () => hoverTimer && clearTimeout(hoverTimer));
hoverEl.addEventListener('mouseleave', () => hideDocHoverSoon());

function moreLine(more: number, depth: number): HTMLElement {
  const el = h('div', { class: 'tree-line note' }, `… ${more} more (open the record as JSON to see them)`);
  el.style.paddingLeft = `${depth * 14 + 18}px`;
  return el;
}

/** Expands the top level and small objects below it, so a new record shows its main parts at once. */
function defaultExpansion(node: JsonNode): Set<string> {
  const out = new Set<string>();
  if (node.t !== 'o') return out;
  for (const [k, v] of node.entries) {
    if ((v.t === 'o' && v.entries.length <= 30) || (v.t === 'a' && v.items.length <= 10)) out.add(pathKey([k]));
  }
  return out;
}

function expandAll(node: JsonNode, path: JsonPath, out: Set<string>): void {
  if (node.t === 'o') {
    out.add(pathKey(path));
    for (const [k, v] of node.entries) expandAll(v, [...path, k], out);
  } else if (node.t === 'a') {
    out.add(pathKey(path));
    node.items.forEach((v, i) => expandAll(v, [...path, i], out));
  }
}

tabTree.addEventListener('click', () => {
  state.detailTab = 'tree';
  renderDetail();
  persist();
});
tabRaw.addEventListener('click', () => {
  state.detailTab = 'raw';
  renderDetail();
  persist();
});

// ------------------------------------------------------------------------------------------------------------
// Messages from the host

window.addEventListener('message', (event: MessageEvent) => {
  const m = event.data as HostMessage;
  if (!m || typeof m !== 'object' || typeof m.type !== 'string') return;
  switch (m.type) {
    case 'init':
      onInit(m);
      break;
    case 'counts':
      loading = m.loading;
      bytesRead = m.bytesRead;
      bytesTotal = m.bytesTotal;
      onGeneration(m.generation, m.matched, m.total);
      requestInsight();
      break;
    case 'insight':
      if (m.requestId !== latestInsight) return;
      if (m.timeline) {
        timeline.render(m.timeline);
        timeline.el.classList.remove('hidden');
      }
      lastFields = m.fields;
      fields.render(m.fields, (state.fieldPaths ?? []).filter((p) => !m.fields.some((f) => f.field === p)));
      if (m.timeline) pendingInsight = false;
      break;
    case 'viewApplied':
      if (m.requestId !== latestViewRequest) return; // an older filter: the newer answer is on its way
      pendingView = false;
      errorEl.textContent = m.error ?? '';
      errorEl.classList.toggle('hidden', !m.error);
      showTimeNotes(m.time);
      onGeneration(m.generation, m.matched, m.total, true);
      requestInsight();
      if (pendingReveal) reveal(pendingReveal.index, -1);
      break;
    case 'rows':
      if (cache.accept(m.generation, m.start, m.rows, m.requestId)) {
        renderRows();
        if (state.detailOpen && state.selected !== undefined && !detail && pendingDetail === 0) loadDetail(state.selected);
      }
      break;
    case 'problems':
      problems = m.problems;
      fatal = m.fatal;
      renderBanner();
      renderRows();
      break;
    case 'detail':
      if (m.requestId !== pendingDetail) return;
      pendingDetail = 0;
      if (detail?.index !== m.index) expanded = defaultExpansion(m.tree);
      detail = m;
      renderDetail();
      break;
    case 'focusFilter':
      focusFilter();
      break;
    case 'setRowSet':
      state.filter.rowSet = m.rowSet && typeof m.rowSet === 'object' ? m.rowSet : undefined;
      firstRow = 0;
      requestView();
      break;
    case 'reveal':
      reveal(m.index, m.pos);
      break;
    case 'settings':
      if (init && init.localTime !== m.localTime) {
        init = { ...init, localTime: m.localTime };
        renderHeader();
        renderRows();
      }
      break;
    case 'integrity':
      clear(integrityEl);
      integrityEl.className = `integrity ${m.text ? m.state ?? '' : 'hidden'}`;
      if (m.text) integrityEl.append(icon(m.state === 'verified' ? 'verified-filled' : m.state === 'failed' ? 'error' : 'unverified'), h('span', {}, m.text));
      break;
    case 'test':
      void runTest(m.requestId, m.action);
      break;
  }
});

/** Selects record `index` (at view position `pos`, -1 when the filter hides it) and shows its detail. */
let pendingReveal: { index: number; pos: number } | undefined;
function reveal(index: number, pos: number): void {
  if (pendingView) {
    // A newer filter is on its way: the position belongs to the view after it.
    pendingReveal = { index, pos };
    return;
  }
  pendingReveal = undefined;
  if (pos >= 0 && pos < matched) {
    select(pos, true);
    return;
  }
  state.selected = index;
  setDetailOpen(true);
  loadDetail(index);
}

function onGeneration(gen: number, m: number, t: number, fromView = false): void {
  const changed = cache.reset(gen);
  generation = gen;
  matched = m;
  total = t;
  if (changed) {
    selectedPos = undefined;
    pendingSelectPos = undefined;
    if (fromView) firstRow = Math.min(firstRow, Math.max(0, matched - 1));
  }
  tryRestoreScroll();
  renderRows();
}

function tryRestoreScroll(): void {
  if (restoreRow === undefined || pendingView) return;
  if (matched > restoreRow || !loading) {
    firstRow = restoreRow;
    restoreRow = undefined;
  }
}

function onInit(m: InitMessage): void {
  init = m;
  // Webview state (tab hidden and shown again) wins over the host's copy (editor closed and reopened).
  const own = vscode.getState() as ViewState | undefined;
  const saved = own && typeof own === 'object' && own.filter ? own : m.savedState;
  state = { ...defaultViewState(), ...(saved ?? {}) };
  state.filter = { ...defaultViewState().filter, ...state.filter, chips: [...(state.filter?.chips ?? [])] };
  const known = new Set(m.columns.map((c) => c.id));
  if (!saved) state.hiddenColumns = m.columns.filter((c) => !c.defaultVisible).map((c) => c.id);
  state.hiddenColumns = state.hiddenColumns.filter((id) => known.has(id));
  if (state.sort && !known.has(state.sort.column)) state.sort = undefined;
  firstRow = 0;
  restoreRow = state.scrollRow > 0 ? state.scrollRow : undefined;
  filterInput.value = state.filter.text;
  fromInput.value = state.filter.from ?? '';
  toInput.value = state.filter.to ?? '';
  document.body.classList.toggle('is-digest', m.kind === 'digest');
  openJsonButton.classList.toggle('hidden', !m.canOpenAsText);
  traceButton.classList.toggle('hidden', m.kind !== 'records');
  fieldsButton.classList.toggle('hidden', !m.insight);
  if (!m.insight) state.fieldsOpen = false;
  fields.el.classList.toggle('hidden', !state.fieldsOpen);
  fieldsButton.classList.toggle('active', !!state.fieldsOpen);
  timeline.setColumns(m.columns, state.timelineSplit ?? '');
  renderHeader();
  renderDigestHeader();
  renderChips();
  detailEl.classList.toggle('hidden', !state.detailOpen);
  sash.classList.toggle('hidden', !state.detailOpen);
  applyDetailWidth();
  renderDetail();
  requestView();
  root.setAttribute('data-ready', 'true');
}

new ResizeObserver(() => renderRows()).observe(scroller);

// ------------------------------------------------------------------------------------------------------------
// Test hooks: a test asks (through a hidden host command) for an action and a summary of the DOM

function summary(): DomSummary {
  const rows = [...bodyEl.querySelectorAll('.row:not(.pending)')].map((r) => [...r.querySelectorAll('.cell')].map((c) => c.textContent ?? ''));
  const hovers: Record<string, string> = {};
  const lines: string[] = [];
  for (const line of detailBody.querySelectorAll('.tree-line')) {
    lines.push((line.textContent ?? '').trim());
    const k = line.querySelector('.k.documented') as HTMLElement | null;
    const p = (line as HTMLElement).dataset.path;
    if (k && p) hovers[p] = docs.get(k) ?? '';
  }
  const rawEl = detailBody.querySelector('pre.raw');
  return {
    ready: root.getAttribute('data-ready') === 'true',
    countText: countEl.textContent ?? '',
    headers: [...headerEl.querySelectorAll('.head-text')].map((e) => e.textContent ?? ''),
    rows,
    rowElements: bodyEl.querySelectorAll('.row').length,
    selectedIndex: state.selected,
    chips: [...chipsEl.querySelectorAll('.chip')].map((c) => (c.textContent ?? '').trim()),
    filterText: filterInput.value,
    integrity: integrityEl.textContent ?? '',
    banner: [...bannerEl.querySelectorAll('.banner-head span:not(.codicon), li')].map((e) => e.textContent ?? ''),
    detail: state.detailOpen && detail ? { lines: rawEl ? [rawEl.textContent ?? ''] : lines, hovers } : undefined,
    cspViolations: [...cspViolations],
    title: document.title,
    scrollRow: firstRow,
    loading,
    pwned: '__pwned' in window,
    cellMarkers: [...bodyEl.querySelectorAll('.row .cell .bidi')].map((e) => e.textContent ?? ''),
    unverifiedRows: bodyEl.querySelectorAll('.row.unverified').length,
    detailUnverified: !!detailBody.querySelector('.unverified-note'),
    detailMarkers: [...detailBody.querySelectorAll('.bidi')].map((e) => e.textContent ?? ''),
    timeline: {
      bars: timeline.bars.querySelectorAll('.bar').length,
      summary: timeline.data?.summary ?? '',
      from: fromInput.value,
      to: toInput.value,
      fromMessage: [...timeMsgEl.children].map((c) => c.textContent ?? '').find((t) => t.includes('From:')) ?? '',
      toMessage: [...timeMsgEl.children].map((c) => c.textContent ?? '').find((t) => t.includes('To:')) ?? '',
    },
    fields: state.fieldsOpen ? fields.summary() : undefined,
    columnWidths: Object.fromEntries(visibleColumns().map(({ col }) => [col.id, widthOf(col)])),
    detailSource: detailSource.classList.contains('hidden') ? undefined : (detailSource.textContent ?? '').trim(),
  };
}

function settled(): boolean {
  return !pendingView && !((pendingInsight || insightDue) && init?.insight) && pendingDetail === 0 && !bodyEl.querySelector('.row.pending') && !(loading && total === 0);
}

async function waitSettled(timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  // Let debounced input fire first.
  sendView.flush();
  requestInsight.flush();
  while (!settled() && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 25));
    if (!pendingView) requestInsight.flush();
  }
  await new Promise((r) => requestAnimationFrame(() => r(undefined)));
}

async function runTest(requestId: number, action: TestAction): Promise<void> {
  try {
    await waitSettled();
    switch (action.kind) {
      case 'summary':
        break;
      case 'setFilterText':
        filterInput.value = action.text;
        filterInput.dispatchEvent(new Event('input'));
        break;
      case 'addChip': {
        const cell = cellValue(action.rowPos, action.column);
        if (!cell) throw new Error(`row ${action.rowPos} is not loaded`);
        addChip({ column: action.column, value: cell.value, exclude: action.exclude });
        break;
      }
      case 'removeChip':
        removeChip(action.at);
        break;
      case 'setTimeRange':
        setTimeRange(action.from, action.to);
        break;
      case 'sort':
        toggleSort(action.column);
        break;
      case 'select':
        select(action.rowPos, true);
        break;
      case 'key': {
        const target = document.activeElement && document.activeElement !== document.body ? document.activeElement : scroller;
        target.dispatchEvent(new KeyboardEvent('keydown', { key: action.key, ctrlKey: !!action.ctrlKey, bubbles: true, cancelable: true }));
        break;
      }
      case 'expandAll':
        if (detail) {
          expandAll(detail.tree, [], expanded);
          renderDetail();
        }
        break;
      case 'detailTab':
        state.detailTab = action.tab;
        renderDetail();
        break;
      case 'scrollToRow':
        firstRow = action.rowPos;
        renderRows();
        persist();
        break;
      case 'cellMenu': {
        const el = bodyEl.querySelector(`.row[data-pos="${action.rowPos}"]`) as HTMLElement | null;
        const rect = el?.getBoundingClientRect();
        showCellMenu(action.rowPos, action.column, rect?.left ?? 0, rect?.bottom ?? 0);
        const item = [...menuEl.querySelectorAll('button')].find((b) => b.textContent === action.item);
        if (!item) throw new Error(`no menu item "${action.item}"`);
        item.click();
        break;
      }
      case 'timelineDrag':
        timeline.apply(action.from, action.to);
        break;
      case 'fieldsOpen':
        setFieldsOpen(action.open);
        break;
      case 'fieldValue': {
        const f = lastFields.find((x) => x.field === action.field);
        if (!f) throw new Error(`no field ${action.field} in the Fields panel`);
        pickFieldValue(f, action.value, action.exclude);
        break;
      }
      case 'resizeColumn':
        setColumnWidth(action.column, action.width);
        persist();
        break;
      case 'openSource': {
        const button = detailSource.querySelector('button.open-source') as HTMLButtonElement | null;
        if (!button) throw new Error('no "Open source file at this record" in the detail header');
        button.click();
        break;
      }
    }
    await waitSettled();
    post({ type: 'testReply', requestId, summary: summary() });
  } catch (err) {
    post({ type: 'testReply', requestId, error: err instanceof Error ? err.message : String(err) });
  }
}

post({ type: 'ready' });
