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
    iconButton('close', 'Close detail (Esc)', () => setDetailOpen(false)),
  ),
  detailBody,
);

const sash = h('div', { class: 'sash', title: 'Drag to resize the detail pane', attrs: { role: 'separator', 'aria-orientation': 'vertical' } });
const main = h('div', { class: 'main' }, scroller, sash, detailEl);
root.append(toolbar, chipsEl, integrityEl, bannerEl, digestEl, errorEl, main);

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

function gridTemplate(): string {
  return visibleColumns()
    .map(({ col }) => `${col.width}px`)
    .join(' ');
}

function renderHeader(): void {
  clear(headerEl);
  const template = gridTemplate();
  headerEl.style.gridTemplateColumns = template;
  bodyEl.style.setProperty('--grid', template);
  let width = 0;
  for (const { col } of visibleColumns()) {
    width += col.width;
    const sort = currentSort();
    const sorted = sort?.column === col.id ? sort.direction : undefined;
    const cell = h(
      'div',
      {
        class: 'cell head' + (sorted ? ' sorted' : ''),
        title: `${col.description ?? col.title} — click to sort`,
        attrs: { role: 'columnheader', 'aria-sort': sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none' },
      },
      h('span', { class: 'head-text' }, col.title),
      sorted ? icon(sorted === 'asc' ? 'arrow-up' : 'arrow-down') : undefined,
    );
    cell.addEventListener('click', () => toggleSort(col.id));
    headerEl.append(cell);
  }
  layer.style.minWidth = `${width}px`;
  spacer.style.minWidth = `${width}px`;
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
      if (pos === selectedPos) {
        el.classList.add('selected');
        el.setAttribute('aria-selected', 'true');
      }
      for (const { col, at } of cols) {
        // The host sends the table core's cell text, where hidden characters are `<U+202E>` stand-ins; they are
        // turned back into characters here only to be drawn as the same markers the detail pane uses.
        const raw = decodeStandIns(row.cells[at] ?? '');
        const oneLine = singleLine(raw);
        const { text, cut } = truncate(oneLine, CELL_DISPLAY_CHARS);
        const cell = h('div', { class: `cell col-${col.id}`, attrs: { role: 'gridcell', 'data-col': col.id } });
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

function parseTime(s: string): string | undefined | null {
  const t = s.trim();
  if (!t) return undefined;
  // Times without a zone are UTC, like CloudTrail's eventTime.
  const withZone = /[zZ]|[+-]\d\d:?\d\d$/.test(t) ? t : t + 'Z';
  const ms = Date.parse(withZone.length <= 11 ? withZone.replace(/Z$/, 'T00:00:00Z') : withZone);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

function onTimeInput(): void {
  const from = parseTime(fromInput.value);
  const to = parseTime(toInput.value);
  fromInput.classList.toggle('invalid', from === null);
  toInput.classList.toggle('invalid', to === null);
  if (from === null || to === null) return;
  state.filter.from = from;
  state.filter.to = to;
  sendView();
}
fromInput.addEventListener('input', onTimeInput);
toInput.addEventListener('input', onTimeInput);

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
    const label = `${cols.get(chip.column) ?? chip.column} ${chip.exclude ? '≠' : '='} `;
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
  chipsEl.classList.toggle('hidden', state.filter.chips.length === 0);
}

function addChip(chip: FilterChip): void {
  const same = state.filter.chips.findIndex((c) => c.column === chip.column && c.value === chip.value);
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
  const items: Parameters<typeof showMenu>[0] = [
    { label: 'Only this value', icon: 'filter', run: () => addChip({ column, value: cell.value, exclude: false }) },
    { label: 'Exclude this value', icon: 'exclude', run: () => addChip({ column, value: cell.value, exclude: true }) },
  ];
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
      keyEl.title = node.doc;
      keyEl.classList.add('documented');
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
      break;
    case 'viewApplied':
      if (m.requestId !== latestViewRequest) return; // an older filter: the newer answer is on its way
      pendingView = false;
      errorEl.textContent = m.error ?? '';
      errorEl.classList.toggle('hidden', !m.error);
      onGeneration(m.generation, m.matched, m.total, true);
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
    if (k && p) hovers[p] = k.title;
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
    detailMarkers: [...detailBody.querySelectorAll('.bidi')].map((e) => e.textContent ?? ''),
  };
}

function settled(): boolean {
  return !pendingView && pendingDetail === 0 && !bodyEl.querySelector('.row.pending') && !(loading && total === 0);
}

async function waitSettled(timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  // Let debounced input fire first.
  sendView.flush();
  while (!settled() && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
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
    }
    await waitSettled();
    post({ type: 'testReply', requestId, summary: summary() });
  } catch (err) {
    post({ type: 'testReply', requestId, error: err instanceof Error ? err.message : String(err) });
  }
}

post({ type: 'ready' });
