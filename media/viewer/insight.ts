/**
 * The timeline and the Fields panel of the record viewer. They draw aggregates the host computed (protocol
 * `insight` message), never rows; every text goes through textContent (dom.ts). Bars are plain elements coloured
 * with theme variables (no SVG, no canvas), so the viewer follows every colour theme.
 */
import type { ColumnInfo, FieldCountsData, TimelineData } from '../../src/protocol/protocol';
import { appendMarked, clear, h, icon, iconButton } from './dom';
import { decodeStandIns, singleLine, truncate, visibleText } from './text';

/** Theme colours for the series, in order (errors use the error colour). */
const SERIES_VARS = [
  'var(--vscode-charts-blue)',
  'var(--vscode-charts-orange)',
  'var(--vscode-charts-green)',
  'var(--vscode-charts-purple)',
  'var(--vscode-charts-yellow)',
  'var(--vscode-charts-foreground)',
];

export function seriesColour(data: TimelineData, s: number): string {
  if (data.split === '') return s === 1 ? 'var(--vscode-charts-red, var(--vscode-errorForeground))' : 'var(--vscode-charts-blue)';
  return SERIES_VARS[s % SERIES_VARS.length];
}

/** `2025-03-05 21:19:44Z` (milliseconds only when not zero), the form the time boxes accept and the table shows. */
export function utc(ms: number): string {
  if (ms !== ms) return '';
  const iso = new Date(ms).toISOString();
  const frac = iso.slice(19, 23);
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${frac === '.000' ? '' : frac}Z`;
}

export interface TimelineHandlers {
  /** Set the time filter to the inclusive range (UTC texts). */
  setRange(from: string, to: string): void;
  /** Clear the time filter. */
  reset(): void;
  /** Split by another column ('' = errors vs. successes). */
  split(column: string): void;
}

/** The timeline pane: caption, split chooser, reset, and the bars (drag, click, keyboard). */
export class Timeline {
  readonly el = h('div', { class: 'timeline', attrs: { role: 'region', 'aria-label': 'Timeline' } });
  private readonly caption = h('span', { class: 'timeline-caption' });
  private readonly live = h('div', { class: 'sr-only', attrs: { 'aria-live': 'polite' } });
  private readonly splitSelect = h('select', { class: 'timeline-split', attrs: { 'aria-label': 'Split the timeline by' } });
  private readonly legend = h('span', { class: 'timeline-legend' });
  readonly bars = h('div', {
    class: 'timeline-bars',
    attrs: { tabindex: '0', role: 'group', 'aria-roledescription': 'histogram', 'aria-label': 'Events over time: arrows move, Shift+arrows extend, Enter filters to the selection, Escape resets' },
  });
  private readonly selection = h('div', { class: 'timeline-selection hidden' });
  private readonly axis = h('div', { class: 'timeline-axis' });
  data: TimelineData | undefined;
  /** Keyboard focus bucket and selection anchor. */
  private focus = -1;
  private anchor = -1;
  private dragFrom = -1;

  constructor(private readonly handlers: TimelineHandlers) {
    const reset = iconButton('discard', 'Reset the time range', () => handlers.reset(), 'Reset');
    reset.classList.add('timeline-reset');
    this.el.append(
      h('div', { class: 'timeline-head' }, icon('graph'), this.caption, this.legend, h('span', { class: 'spacer-flex' }), h('label', { class: 'timeline-split-label' }, 'Split by ', this.splitSelect), reset),
      this.bars,
      this.axis,
      this.live,
    );
    this.splitSelect.addEventListener('change', () => handlers.split(this.splitSelect.value));
    this.bars.addEventListener('pointerdown', (e) => this.onDown(e));
    this.bars.addEventListener('keydown', (e) => this.onKey(e));
  }

  setColumns(columns: ColumnInfo[], split: string): void {
    clear(this.splitSelect);
    this.splitSelect.append(h('option', { attrs: { value: '' } }, 'Errors vs. successes'));
    for (const c of columns) {
      if (c.id === 'time' || c.id === 'eventId' || c.id === 'errorCode') continue;
      this.splitSelect.append(h('option', { attrs: { value: c.id } }, c.title));
    }
    this.splitSelect.value = split;
  }

  render(data: TimelineData): void {
    this.data = data;
    clear(this.bars);
    clear(this.legend);
    clear(this.axis);
    this.caption.textContent = data.total ? `${data.total.toLocaleString('en-US')} events · buckets of ${data.bucketLabel}` : 'No events with a time in this view';
    this.live.textContent = data.summary;
    this.bars.setAttribute('aria-description', data.summary);
    this.bars.title = data.summary;
    if (this.splitSelect.value !== data.split) this.splitSelect.value = data.split;
    data.series.forEach((name, s) => {
      const swatch = h('span', { class: 'swatch' });
      swatch.style.background = seriesColour(data, s);
      const label = h('span', { class: 'legend-item' }, swatch);
      appendMarked(label, truncate(singleLine(decodeStandIns(name)), 40).text || '(empty)');
      this.legend.append(label);
    });
    const max = Math.max(1, ...data.totals);
    data.totals.forEach((total, b) => {
      const from = data.start + b * data.bucketMs;
      const bar = h('div', { class: 'bar', attrs: { 'data-bucket': String(b), role: 'img' } });
      const parts = data.series.map((name, s) => `${data.counts[s][b]} ${name}`).filter((_, s) => data.counts[s][b] > 0);
      const label = `${utc(from)} + ${data.bucketLabel}: ${total} event${total === 1 ? '' : 's'}${parts.length > 1 ? ` (${parts.join(', ')})` : ''}`;
      bar.setAttribute('aria-label', visibleText(label));
      bar.title = visibleText(label);
      const stack = h('div', { class: 'stack' });
      stack.style.height = `${total ? Math.max(2, (100 * total) / max) : 0}%`;
      // Bottom-up: first series at the bottom.
      for (let s = data.series.length - 1; s >= 0; s--) {
        const n = data.counts[s][b];
        if (!n) continue;
        const seg = h('div', { class: 'seg' });
        seg.style.flexGrow = String(n);
        seg.style.background = seriesColour(data, s);
        stack.append(seg);
      }
      bar.append(stack);
      this.bars.append(bar);
    });
    this.bars.append(this.selection);
    if (data.totals.length) {
      const ticks = Math.min(5, data.totals.length);
      for (let i = 0; i < ticks; i++) {
        const b = Math.round((i * (data.totals.length - 1)) / Math.max(1, ticks - 1));
        const t = h('span', { class: 'tick' }, utc(data.start + b * data.bucketMs).replace(/:00Z$|Z$/, ''));
        t.style.left = i === 0 ? '0%' : i === ticks - 1 ? '100%' : `${(100 * (b + 0.5)) / data.totals.length}%`;
        this.axis.append(t);
      }
    }
    this.focus = Math.min(this.focus, data.totals.length - 1);
    this.anchor = -1;
    this.showSelection(-1, -1);
  }

  /** The inclusive [from, to] of buckets a..b, as the time boxes' UTC texts. */
  rangeOf(a: number, b: number): { from: string; to: string } | undefined {
    const d = this.data;
    if (!d || !d.totals.length) return undefined;
    const lo = Math.max(0, Math.min(a, b));
    const hi = Math.min(d.totals.length - 1, Math.max(a, b));
    return { from: utc(d.start + lo * d.bucketMs), to: utc(d.start + (hi + 1) * d.bucketMs - 1) };
  }

  /** A drag across buckets a..b (a click when equal) sets the time filter. */
  apply(a: number, b: number): void {
    const r = this.rangeOf(a, b);
    if (r) this.handlers.setRange(r.from, r.to);
  }

  private bucketAt(clientX: number): number {
    const d = this.data;
    if (!d || !d.totals.length) return -1;
    const box = this.bars.getBoundingClientRect();
    const x = Math.max(0, Math.min(box.width - 1, clientX - box.left));
    return Math.floor((x / box.width) * d.totals.length);
  }

  private showSelection(a: number, b: number): void {
    const d = this.data;
    if (!d || a < 0 || b < 0) {
      this.selection.classList.add('hidden');
      return;
    }
    const lo = Math.min(a, b);
    const hi = Math.max(a, b);
    this.selection.classList.remove('hidden');
    this.selection.style.left = `${(100 * lo) / d.totals.length}%`;
    this.selection.style.width = `${(100 * (hi - lo + 1)) / d.totals.length}%`;
  }

  private onDown(e: PointerEvent): void {
    const b = this.bucketAt(e.clientX);
    if (b < 0 || e.button !== 0) return;
    e.preventDefault();
    this.bars.focus();
    this.bars.setPointerCapture?.(e.pointerId);
    this.dragFrom = b;
    this.showSelection(b, b);
    const move = (ev: PointerEvent) => this.showSelection(this.dragFrom, this.bucketAt(ev.clientX));
    const up = (ev: PointerEvent) => {
      this.bars.removeEventListener('pointermove', move);
      this.bars.removeEventListener('pointerup', up);
      this.bars.removeEventListener('pointercancel', up);
      const to = this.bucketAt(ev.clientX);
      const from = this.dragFrom;
      this.dragFrom = -1;
      if (ev.type === 'pointerup' && from >= 0 && to >= 0) this.apply(from, to);
      else this.showSelection(-1, -1);
    };
    this.bars.addEventListener('pointermove', move);
    this.bars.addEventListener('pointerup', up);
    this.bars.addEventListener('pointercancel', up);
  }

  private onKey(e: KeyboardEvent): void {
    const d = this.data;
    if (!d || !d.totals.length) return;
    const n = d.totals.length;
    let next = this.focus < 0 ? 0 : this.focus;
    switch (e.key) {
      case 'ArrowRight':
        next = Math.min(n - 1, this.focus + 1);
        break;
      case 'ArrowLeft':
        next = Math.max(0, this.focus < 0 ? n - 1 : this.focus - 1);
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = n - 1;
        break;
      case 'Enter':
      case ' ':
        e.preventDefault();
        if (this.focus >= 0) this.apply(this.anchor >= 0 ? this.anchor : this.focus, this.focus);
        return;
      case 'Escape':
      case 'Backspace':
        e.preventDefault();
        e.stopPropagation();
        this.handlers.reset();
        return;
      default:
        return;
    }
    e.preventDefault();
    if (e.shiftKey) {
      if (this.anchor < 0) this.anchor = this.focus < 0 ? next : this.focus;
    } else this.anchor = -1;
    this.focus = next;
    this.showSelection(this.anchor >= 0 ? this.anchor : next, next);
    const bar = this.bars.querySelector(`.bar[data-bucket="${next}"]`);
    for (const x of this.bars.querySelectorAll('.bar.focused')) x.classList.remove('focused');
    bar?.classList.add('focused');
    const label = bar?.getAttribute('aria-label') ?? '';
    const r = this.rangeOf(this.anchor >= 0 ? this.anchor : next, next);
    this.live.textContent = this.anchor >= 0 && r ? `Selected ${r.from} to ${r.to}. Enter filters to it.` : `${label}. Enter filters to this bucket.`;
  }
}

export interface FieldsHandlers {
  /** Only this value (exclude: the opposite). */
  pick(field: FieldCountsData, value: string, exclude: boolean): void;
  addPath(path: string): void;
  removePath(path: string): void;
  close(): void;
}

/** The collapsible Fields panel: top values per column and per asked-for field path. */
export class FieldsPanel {
  readonly el = h('div', { class: 'fields', attrs: { role: 'region', 'aria-label': 'Fields' } });
  private readonly list = h('div', { class: 'fields-list' });
  private readonly pathInput = h('input', {
    class: 'fields-path',
    attrs: { type: 'text', placeholder: 'Add a field path, e.g. requestParameters.bucketName', 'aria-label': 'Count the values of a field path', spellcheck: 'false' },
  });
  /** Fields collapsed by the user (by field). */
  private readonly collapsed = new Set<string>();
  private last: FieldCountsData[] = [];
  private pending = new Set<string>();

  constructor(private readonly handlers: FieldsHandlers) {
    this.el.append(
      h('div', { class: 'fields-head' }, h('span', { class: 'fields-title' }, 'Fields'), h('span', { class: 'spacer-flex' }), iconButton('close', 'Close the Fields panel', () => handlers.close())),
      h('div', { class: 'fields-add' }, icon('add'), this.pathInput),
      this.list,
    );
    this.pathInput.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter') return;
      e.preventDefault();
      const p = this.pathInput.value.trim();
      if (p) {
        this.pending.add(p);
        handlers.addPath(p);
        this.pathInput.value = '';
        this.render(this.last, [...this.pending]);
      }
    });
  }

  /** Draws `fields`; `waiting` lists paths still being counted. */
  render(fields: FieldCountsData[], waiting: string[] = []): void {
    this.last = fields;
    const have = new Set(fields.map((f) => f.field));
    this.pending = new Set(waiting.filter((p) => !have.has(p)));
    clear(this.list);
    for (const f of fields) this.list.append(this.fieldEl(f));
    for (const p of this.pending) {
      const el = h('div', { class: 'field pending' }, h('div', { class: 'field-head' }, icon('loading'), h('span', { class: 'field-name' }, p), h('span', { class: 'field-meta' }, ' counting…')));
      el.querySelector('.codicon')?.classList.add('codicon-modifier-spin');
      this.list.append(el);
    }
  }

  /** Shown values per field, for tests ("value count"). */
  summary(): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const f of this.last) out[f.field] = f.top.map((t) => `${t.value} ${t.count}`);
    return out;
  }

  private fieldEl(f: FieldCountsData): HTMLElement {
    const open = !this.collapsed.has(f.field);
    const head = h(
      'button',
      { class: 'field-head', attrs: { type: 'button', 'aria-expanded': String(open) } },
      icon(open ? 'chevron-down' : 'chevron-right'),
      h('span', { class: 'field-name' }, f.title),
      h('span', { class: 'field-meta' }, f.error ? '' : `${f.distinct.toLocaleString('en-US')} distinct${f.missing ? ` · ${f.missing.toLocaleString('en-US')} empty` : ''}`),
    );
    head.addEventListener('click', () => {
      if (this.collapsed.has(f.field)) this.collapsed.delete(f.field);
      else this.collapsed.add(f.field);
      this.render(this.last, [...this.pending]);
    });
    const el = h('div', { class: 'field', attrs: { 'data-field': f.field } }, head);
    if (f.kind === 'path') {
      const rm = iconButton('close', 'Stop counting this path', () => this.handlers.removePath(f.field));
      rm.classList.add('field-remove');
      el.append(rm);
    }
    if (!open) return el;
    if (f.error) {
      el.append(h('div', { class: 'field-error' }, f.error));
      return el;
    }
    if (!f.top.length) el.append(h('div', { class: 'field-empty' }, 'No values in this view.'));
    const canPick = f.kind === 'column';
    for (const t of f.top) {
      const pct = f.rows ? (100 * t.count) / f.rows : 0;
      const shown = decodeStandIns(t.value);
      const label = h('span', { class: 'value-text' });
      appendMarked(label, truncate(singleLine(shown), 120).text);
      const bar = h('span', { class: 'value-bar' });
      bar.style.width = `${Math.max(1, pct)}%`;
      const item = h(
        canPick ? 'button' : 'div',
        {
          class: 'value',
          title: visibleText(`${truncate(shown, 500).text}\n${t.count.toLocaleString('en-US')} of ${f.rows.toLocaleString('en-US')} (${pct.toFixed(1)}%)` + (canPick ? '\nClick: only this value · Alt+click: exclude this value' : '')),
          attrs: canPick ? { type: 'button', 'data-value': t.value } : { 'data-value': t.value },
        },
        bar,
        label,
        h('span', { class: 'value-count' }, `${t.count.toLocaleString('en-US')} · ${pct < 1 && pct > 0 ? '<1' : Math.round(pct)}%`),
      );
      if (canPick) item.addEventListener('click', (e) => this.handlers.pick(f, t.value, (e as MouseEvent).altKey));
      el.append(item);
    }
    return el;
  }
}
