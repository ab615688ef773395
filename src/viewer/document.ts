/**
 * One opened CloudTrail file (or generated record list): reads it through `vscode.workspace.fs` (so remote,
 * WSL and virtual file systems work) and indexes its records into the core RecordTable in slices, yielding to
 * the event loop between them (big logs: half of it in a worker thread). Webviews pull rows from it.
 */
import * as vscode from 'vscode';
import { RecordTable } from '../core/table';
import { indexBytes } from '../core/table/indexer';
import { gunzipNative, isGzip } from '../core/records/gunzip';
import { config } from '../common/config';
import type { DigestInfo, FileKind, Problem } from '../core/records/types';
import { Disposable } from '../common/dispose';
import { logError, log } from '../common/log';
import { DigestSource, RecordSource, type RowSource } from './source';
import type { ProblemInfo } from '../protocol/protocol';

/** Least time between progress notifications while indexing. */
const PROGRESS_MS = 150;

export class ViewerDocument extends Disposable implements vscode.CustomDocument {
  readonly table = new RecordTable();
  private digest: DigestInfo | undefined;
  kind: FileKind = 'unknown';
  problems: ProblemInfo[] = [];
  fatal: string | undefined;
  loading = true;
  gzipped = false;
  bytesRead = 0;
  bytesTotal = 0;
  /** Records a worker thread indexed (big logs; see core/table/indexer.ts). */
  workerRecords = 0;
  /** How the work was shared with the worker thread, or why not (indexBytes' log line). */
  indexing = '';
  /** Resolves once the viewer knows what to show (first records, or the whole file read). */
  readonly shapeKnown: Promise<void>;
  private markShapeKnown!: () => void;
  private readonly progress = this.register(new vscode.EventEmitter<void>());
  /** Fires (throttled) while indexing and once at the end. */
  readonly onDidProgress = this.progress.event;
  private readonly disposeEmitter = this.register(new vscode.EventEmitter<void>());
  readonly onDidDispose = this.disposeEmitter.event;

  /**
   * @param workerScript the worker that shares the indexing of big files (out/worker-index-chunks.js);
   * without it everything is indexed on the extension host's thread.
   */
  constructor(
    readonly uri: vscode.Uri,
    private readonly workerScript?: string,
  ) {
    super();
    this.shapeKnown = new Promise((r) => (this.markShapeKnown = r));
  }

  /** Starts reading; never rejects (failures become `fatal` and show in the viewer's banner). */
  load(): void {
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: `Indexing ${this.displayName}` },
      () => this.read(),
    );
  }

  get displayName(): string {
    return this.uri.path.split('/').pop() || this.uri.toString();
  }

  private async read(): Promise<void> {
    let last = 0;
    const notify = (force: boolean) => {
      const now = Date.now();
      if (force || now - last >= PROGRESS_MS) {
        last = now;
        this.progress.fire();
      }
    };
    const shown = this.table.onDidAdd(() => this.markShapeKnown());
    try {
      let bytes = await vscode.workspace.fs.readFile(this.uri);
      if (this.isDisposed) return;
      this.gzipped = isGzip(bytes);
      const maxDecompressed = config.maxDecompressedBytes();
      if (this.gzipped) {
        // Native zlib decompresses off the extension host's thread. When the stream is damaged or over the
        // decompressed-size cap it fails as a whole; then indexBytes decodes the compressed bytes in small slices
        // with the core's tolerant decoder, keeps every record before the damage (or the cap) and reports it.
        bytes = (await gunzipNative(bytes, { maxBytes: maxDecompressed })) ?? bytes;
        if (this.isDisposed) return;
      }
      const total = (this.bytesTotal = bytes.length);
      // Big logs are split between this thread and a worker thread (see core/table/indexer.ts). No callback
      // here may use `bytes`: indexBytes keeps `cancelled` for its background phase, and a closure would keep
      // this function's variables, the file's bytes among them, alive with it.
      const result = await indexBytes(bytes, this.table, {
        fileName: this.displayName,
        maxDecompressed,
        workerScript: this.workerScript,
        onProgress: (read) => {
          this.bytesRead = Math.min(read, total);
          notify(false);
        },
        cancelled: () => this.isDisposed,
        log: (m) => {
          this.indexing = m;
          log().info(`viewer: ${this.displayName}: ${m}`);
        },
      });
      if (!result) return;
      this.bytesRead = total;
      this.workerRecords = result.workerRecords;
      this.kind = result.kind;
      this.problems = result.problems.slice(0, 1000).map(toProblemInfo);
      if (result.kind === 'digest' && result.digest) this.digest = result.digest;
      else if (this.table.size === 0 && result.kind === 'unknown' && this.problems.length === 0) {
        this.problems.push({ severity: 'error', message: 'This file does not look like a CloudTrail log.', line: 1, column: 1, code: 'not-cloudtrail' });
      }
      const split = this.workerRecords ? ` (${this.workerRecords} indexed by a worker thread)` : '';
      log().info(`viewer: ${this.displayName}: ${this.table.size} records${split}, kind ${this.kind}, ${this.problems.length} problems`);
      // The quick filter's search index is built in the background (cancelled with the document).
      const started = Date.now();
      void result.searchIndex.then(() => {
        if (this.isDisposed || this.table.size === 0) return;
        const st = this.table.searchIndexStats();
        const tokens = st.closed ? `the token index closed after ${st.tokenRows} records (mostly one-off values)` : `${st.tokens} distinct values`;
        log().info(`viewer: ${this.displayName}: search index ready after ${Date.now() - started} ms (${tokens}, ${(st.bytes / 1048576).toFixed(1)} MB)`);
      });
    } catch (err) {
      const message = logError(`viewer: reading ${this.uri.toString()}`, err);
      this.fatal =
        err instanceof vscode.FileSystemError && err.code === 'FileNotFound'
          ? 'The file no longer exists (or was generated in an earlier session). Open it again from its source.'
          : `The file could not be read: ${message}`;
    } finally {
      shown();
      this.loading = false;
      this.markShapeKnown();
      notify(true);
    }
  }

  /** A view of the content for one webview (each has its own filter and sort). Call after `shapeKnown`. */
  newSource(): RowSource {
    return this.digest ? new DigestSource(this.digest, undefined) : new RecordSource(this.table);
  }

  override dispose(): void {
    this.disposeEmitter.fire();
    super.dispose();
  }
}

function toProblemInfo(p: Problem): ProblemInfo {
  const out: ProblemInfo = { severity: p.severity, message: p.message, line: p.line, column: p.column };
  if (p.code) out.code = p.code;
  return out;
}
