/**
 * One webview showing a ViewerDocument: answers the webview's requests (view, row pages, detail, copy, open)
 * and forwards the document's progress. Several sessions can show one document (split editors).
 */
import { safeMessage as safe } from '../core/userText';
import * as vscode from 'vscode';
import { Disposable } from '../common/dispose';
import { logError } from '../common/log';
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
}

export class ViewerSession extends Disposable {
  private generation = 0;
  private viewAbort: AbortController | undefined;
  private readonly testWaiters = new Map<number, (r: { summary?: DomSummary; error?: string }) => void>();
  private nextTestId = 1;
  private ready = false;
  private source: RowSource;
  latestSummary: DomSummary | undefined;
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
        case 'saveState':
          if (m.state && typeof m.state === 'object') this.host.saveState(this.doc.uri, m.state);
          break;
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
    const ac = new AbortController();
    this.viewAbort = ac;
    try {
      const c = await this.source.setView(m.filter, m.sort, ac.signal);
      if (ac.signal.aborted) return;
      this.generation++;
      this.post({ type: 'viewApplied', requestId, generation: this.generation, matched: c.matched, total: c.total });
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

  focusFilter(): void {
    this.post({ type: 'focusFilter' });
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
    this.viewAbort?.abort();
    for (const w of this.testWaiters.values()) w({ error: 'viewer closed' });
    this.testWaiters.clear();
    this.source.dispose?.();
    super.dispose();
  }
}
