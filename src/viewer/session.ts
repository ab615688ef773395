/**
 * One webview showing a ViewerDocument: answers the webview's requests (view, row pages, detail, copy, open)
 * and forwards the document's progress. Several sessions can show one document (split editors).
 */
import { safeMessage as safe } from '../core/userText';
import * as vscode from 'vscode';
import { Disposable } from '../common/dispose';
import { logError } from '../common/log';
import { config } from '../common/config';
import type { ViewerDocument } from './document';
import type { RowSource } from './source';
import { integrityBanner, onDidChangeVerdicts } from '../integrity/verdict-icons';
import { copyText, isJsonPath, rawText, toJsonNode, valueAt } from './detail';
import {
  PAGE_SIZE,
  isWebviewMessage,
  type DomSummary,
  type HostMessage,
  type TestAction,
  type ViewState,
  type WebviewMessage,
} from '../protocol/protocol';

export interface SessionHost {
  savedState(uri: vscode.Uri): ViewState | undefined;
  saveState(uri: vscode.Uri, state: ViewState): void;
  openAsText(doc: ViewerDocument, line?: number): Promise<void>;
  openJsonText(text: string, title: string): Promise<void>;
  /** "Open source file at this record": opens the record's source file in the viewer and selects it there. */
  openSource(doc: ViewerDocument, index: number): Promise<void>;
}

/** Command that "Trace this identity" runs (registered by src/trace); its argument is {@link TraceRequest}. */
export const TRACE_COMMAND = 'cloudtrailLens.traceIdentity';
export interface TraceRequest {
  /** Record (table) index. */
  index: number;
  /** The viewer session that asked. */
  session: ViewerSession;
}

export class ViewerSession extends Disposable {
  private generation = 0;
  private viewAbort: AbortController | undefined;
  private insightAbort: AbortController | undefined;
  private readonly testWaiters = new Map<number, (r: { summary?: DomSummary; error?: string }) => void>();
  private nextTestId = 1;
  private ready = false;
  private markReady!: () => void;
  /** Resolves when the webview has its `init` (or the session is disposed). */
  private readonly whenReady = new Promise<void>((r) => (this.markReady = r));
  private markViewApplied!: () => void;
  /** Resolves once the webview's first filter and sort are applied (its restored state), so positions are its. */
  private readonly whenViewApplied = new Promise<void>((r) => (this.markViewApplied = r));
  private source: RowSource;
  latestSummary: DomSummary | undefined;
  /** The view state the webview last reported (filter, sort, hidden columns, selection). */
  latestState: ViewState | undefined;
  /** The filter of the latest setView (for "Query This Folder with These Filters…"). */
  currentFilter: ViewState['filter'] | undefined;
  rejectedMessages = 0;

  constructor(
    readonly doc: ViewerDocument,
    readonly panel: vscode.WebviewPanel,
    private readonly host: SessionHost,
  ) {
    super();
    this.source = doc.newSource();
    this.register(panel.webview.onDidReceiveMessage((m: unknown) => void this.onMessage(m)));
    this.register(
      onDidChangeVerdicts(() => {
        if (this.ready) this.post({ type: 'integrity', ...integrityBanner(doc.uri) });
      }),
    );
    this.register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (this.ready && config.affects(e, 'viewer.timeZone')) this.post({ type: 'settings', localTime: config.viewerTimeZone() === 'local' });
      }),
    );
    this.register(
      doc.onDidProgress(() => {
        // New records can land anywhere in a sorted view: start a new generation so cached pages are dropped.
        this.generation++;
        this.postCounts();
        if (!doc.loading) this.postProblems();
      }),
    );
  }

  private post(m: HostMessage): void {
    if (this.isDisposed) return;
    void this.panel.webview.postMessage(m).then(undefined, () => undefined);
  }

  private postCounts(): void {
    if (!this.ready) return;
    const c = this.source.counts();
    this.post({
      type: 'counts',
      generation: this.generation,
      matched: c.matched,
      total: c.total,
      loading: this.doc.loading,
      bytesRead: this.doc.bytesRead,
      bytesTotal: this.doc.bytesTotal,
    });
  }

  private postProblems(): void {
    if (!this.ready) return;
    this.post({ type: 'problems', problems: this.doc.problems, fatal: this.doc.fatal });
  }

  private async onMessage(raw: unknown): Promise<void> {
    if (!isWebviewMessage(raw)) {
      this.rejectedMessages++; // ignore anything that is not ours (counted for the hostile-content tests)
      return;
    }
    const m: WebviewMessage = raw;
    try {
      switch (m.type) {
        case 'ready':
          await this.doc.shapeKnown;
          if (!this.ready) {
            this.source.dispose?.();
            this.source = this.doc.newSource();
          }
          this.ready = true;
          this.markReady();
          this.post({
            type: 'init',
            title: this.doc.displayName,
            kind: this.source.kind,
            columns: this.source.columns,
            savedState: this.host.savedState(this.doc.uri),
            digest: this.source.header?.(),
            canOpenAsText: !this.doc.fatal,
            gzipped: this.doc.gzipped,
            defaultSort: this.source.defaultSort,
            insight: typeof this.source.insight === 'function',
            localTime: config.viewerTimeZone() === 'local',
          });
          this.postProblems();
          this.postCounts();
          this.post({ type: 'integrity', ...integrityBanner(this.doc.uri) });
          break;
        case 'setView':
          await this.setView(m.requestId, m);
          break;
        case 'getRows': {
          const count = Math.max(0, Math.min(PAGE_SIZE * 4, Math.floor(Number(m.count) || 0)));
          const start = Math.max(0, Math.floor(Number(m.start) || 0));
          this.post({ type: 'rows', requestId: m.requestId, generation: this.generation, start, rows: this.source.rows(start, count) });
          break;
        }
        case 'getDetail': {
          const index = Number(m.index);
          const item = this.source.item(index);
          const docs = this.source.docs(index);
          const { raw, truncated } = rawText(item);
          this.post({
            type: 'detail',
            requestId: m.requestId,
            index,
            tree: toJsonNode(item, { kind: docs.kind, docPrefix: docs.prefix }),
            raw,
            rawTruncated: truncated,
            line: this.source.line(index),
            ...(this.source.unverified?.(index) ? { unverified: true } : {}),
            source: this.source.origin?.(index),
          });
          break;
        }
        case 'copy': {
          const index = Number(m.index);
          let text: string;
          if (typeof m.column === 'string') text = this.source.cellValue(index, m.column);
          else {
            const item = this.source.item(index);
            const v = m.path === undefined ? item : isJsonPath(m.path) ? valueAt(item, m.path) : undefined;
            if (v === undefined) return;
            text = copyText(v);
          }
          await vscode.env.clipboard.writeText(text);
          vscode.window.setStatusBarMessage(`$(copy) Copied ${text.length} characters`, 2500);
          break;
        }
        case 'openRecordJson': {
          const index = Number(m.index);
          await this.host.openJsonText(copyText(this.source.item(index)), `${this.doc.displayName} #${index + 1}`);
          break;
        }
        case 'openAsText':
          await this.host.openAsText(this.doc, typeof m.line === 'number' ? m.line : undefined);
          break;
        case 'getInsight':
          await this.insight(m);
          break;
        case 'openSource': {
          const index = Number(m.index);
          if (Number.isInteger(index) && index >= 0 && index < this.doc.table.size) await this.host.openSource(this.doc, index);
          break;
        }
        case 'openLink': {
          // Only AWS documentation pages (the field docs' links); anything else from the webview is ignored.
          const url = typeof m.url === 'string' ? m.url : '';
          if (/^https:\/\/docs\.aws\.amazon\.com\/[^\s]*$/.test(url) && url.length < 2000) await vscode.env.openExternal(vscode.Uri.parse(url, true));
          break;
        }
        case 'saveState':
          if (m.state && typeof m.state === 'object') {
            this.latestState = m.state;
            // A row set lives as long as this session: it is not remembered for the next time the file opens.
            const filter = m.state.filter && typeof m.state.filter === 'object' ? { ...m.state.filter, rowSet: undefined } : m.state.filter;
            this.host.saveState(this.doc.uri, { ...m.state, filter });
          }
          break;
        case 'traceIdentity': {
          const request: TraceRequest = { index: Number(m.index), session: this };
          await vscode.commands.executeCommand(TRACE_COMMAND, request);
          break;
        }
        case 'testReply': {
          if (m.summary) this.latestSummary = m.summary;
          const w = this.testWaiters.get(m.requestId);
          this.testWaiters.delete(m.requestId);
          w?.({ summary: m.summary, error: m.error });
          break;
        }
      }
    } catch (err) {
      const message = logError(`viewer: handling ${m.type}`, err);
      if (m.type !== 'getRows') void vscode.window.showErrorMessage(safe(`CloudTrail Lens: ${message}`));
    }
  }

  /** Latest wins: a new filter cancels the one still running; its answer is never sent. */
  private async setView(requestId: number, m: Extract<WebviewMessage, { type: 'setView' }>): Promise<void> {
    this.viewAbort?.abort();
    this.currentFilter = m.filter;
    const ac = new AbortController();
    this.viewAbort = ac;
    try {
      const c = await this.source.setView(m.filter, m.sort, ac.signal);
      if (ac.signal.aborted) return;
      this.generation++;
      this.post({ type: 'viewApplied', requestId, generation: this.generation, matched: c.matched, total: c.total, ...(c.time ? { time: c.time } : {}) });
      this.markViewApplied();
    } catch (err) {
      if (ac.signal.aborted || (err instanceof Error && err.name === 'AbortError')) return;
      const c = this.source.counts();
      this.generation++;
      this.post({
        type: 'viewApplied',
        requestId,
        generation: this.generation,
        matched: c.matched,
        total: c.total,
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }

  /** The editor was closed. */
  get closed(): boolean {
    return this.isDisposed;
  }

  /** What this session shows (records or a digest's file list). */
  get rowSource(): RowSource {
    return this.source;
  }

  /** Shows only these records (table indexes) in the webview, as a removable chip named `label`. */
  showRowSet(rows: readonly number[], label: string): boolean {
    if (!this.source.defineRowSet || this.isDisposed) return false;
    this.post({ type: 'setRowSet', rowSet: this.source.defineRowSet(rows, label) });
    return true;
  }

  /**
   * Timeline and column counts of the current view at once, then each asked-for field path (a parse per record,
   * in slices; a newer request cancels the paths still being counted).
   */
  private async insight(m: Extract<WebviewMessage, { type: 'getInsight' }>): Promise<void> {
    const src = this.source;
    if (!src.insight) return;
    this.insightAbort?.abort();
    const ac = new AbortController();
    this.insightAbort = ac;
    const started = performance.now();
    const split = typeof m.split === 'string' ? m.split : '';
    const maxBars = typeof m.maxBars === 'number' && m.maxBars >= 4 && m.maxBars <= 400 ? Math.floor(m.maxBars) : undefined;
    const generation = this.generation;
    const { timeline, fields } = src.insight(split, maxBars);
    this.post({ type: 'insight', requestId: m.requestId, generation, timeline, fields, tookMs: performance.now() - started });
    const paths = (Array.isArray(m.paths) ? m.paths : []).filter((p): p is string => typeof p === 'string' && p.trim() !== '').slice(0, 20);
    if (!paths.length || !src.pathInsight) return;
    try {
      const more = [];
      for (const p of paths) more.push(await src.pathInsight(p.slice(0, 1000), ac.signal));
      if (ac.signal.aborted) return;
      this.post({ type: 'insight', requestId: m.requestId, generation, fields: [...fields, ...more], tookMs: performance.now() - started });
    } catch (err) {
      if (ac.signal.aborted || (err instanceof Error && err.name === 'AbortError')) return;
      throw err;
    }
  }

  focusFilter(): void {
    this.post({ type: 'focusFilter' });
  }

  /** Selects record `index` and opens its detail (once the webview is ready and the record is read). */
  async reveal(index: number): Promise<void> {
    await this.doc.loaded;
    await this.whenReady;
    await Promise.race([this.whenViewApplied, new Promise((r) => setTimeout(r, 5000))]);
    if (this.isDisposed || index >= this.doc.table.size) return;
    this.post({ type: 'reveal', index, pos: this.source.positionOf?.(index) ?? -1 });
  }

  /** Asks the webview to perform a test action and waits for its DOM summary. */
  runTest(action: TestAction, timeoutMs = 20_000): Promise<DomSummary> {
    const requestId = this.nextTestId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.testWaiters.delete(requestId);
        reject(new Error(`viewer test action ${action.kind} timed out`));
      }, timeoutMs);
      this.testWaiters.set(requestId, (r) => {
        clearTimeout(timer);
        if (r.summary) resolve({ ...r.summary, rejectedMessages: this.rejectedMessages });
        else reject(new Error(r.error ?? 'no summary'));
      });
      this.post({ type: 'test', requestId, action });
    });
  }

  get isReady(): boolean {
    return this.ready;
  }

  override dispose(): void {
    this.markReady();
    this.markViewApplied();
    this.viewAbort?.abort();
    this.insightAbort?.abort();
    for (const w of this.testWaiters.values()) w({ error: 'viewer closed' });
    this.testWaiters.clear();
    this.source.dispose?.();
    super.dispose();
  }
}
