/**
 * One opened CloudTrail file, or a combined record list: fills the core RecordTable through the one ingest path
 * (src/core/ingest/ingest.ts). A file is read through `vscode.workspace.fs` (so remote, WSL and virtual file
 * systems work) and indexed in slices, yielding between them (big logs: half of it in a worker thread); a
 * combined list (Open All Events, recent events, query results, a dry run's records) comes as an ingest plan and
 * its rows appear while its files are still being read. Webviews pull rows from it.
 */
import * as vscode from 'vscode';
import { RecordTable } from '../core/table';
import { gunzipNative, isGzip } from '../core/records/gunzip';
import { config } from '../common/config';
import { ingest, type IngestResult } from '../core/ingest/ingest';
import { Origins } from '../core/ingest/origins';
import { recordsDocumentOfTable } from '../core/ingest/records';
import type { ParsePool } from '../core/local/pool';
import type { WorkerPool } from '../core/pool';
import type { DigestInfo, FileKind, Problem } from '../core/records/types';
import { Disposable } from '../common/dispose';
import { logError, log } from '../common/log';
import { DigestSource, RecordSource, type RowSource } from './source';
import type { ProblemInfo } from '../protocol/protocol';
import type { CombinedRecords } from './records';

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
  /** Where each row came from (combined lists; empty for a file). */
  readonly origins = new Origins();
  /** Resolves when reading ends (done, failed or cancelled). */
  readonly loaded: Promise<void>;
  private markLoaded!: () => void;
  private readonly abort = new AbortController();
  /** Resolves once the viewer knows what to show (first records, or the whole file read). */
  readonly shapeKnown: Promise<void>;
  private markShapeKnown!: () => void;
  private readonly progress = this.register(new vscode.EventEmitter<void>());
  /** Fires (throttled) while indexing and once at the end. */
  readonly onDidProgress = this.progress.event;
  private readonly disposeEmitter = this.register(new vscode.EventEmitter<void>());
  readonly onDidDispose = this.disposeEmitter.event;

  /**
   * @param chunkWorkers the worker pool (src/core/pool) that shares the indexing of big files, or its worker
   * script (out/worker-pool.js); without it everything is indexed on the extension host's thread.
   * @param combined a combined record list to show instead of reading `uri` (a generated URI), and the worker
   * pool for its files.
   */
  constructor(
    readonly uri: vscode.Uri,
    private readonly chunkWorkers?: string | WorkerPool,
    readonly combined?: CombinedRecords & { pool?: () => ParsePool },
  ) {
    super();
    this.shapeKnown = new Promise((r) => (this.markShapeKnown = r));
    this.loaded = new Promise((r) => (this.markLoaded = r));
  }

  /** True for a combined record list (its rows have origins; its JSON is generated on demand). */
  get isCombined(): boolean {
    return this.combined !== undefined;
  }

  /** The `{"Records":[…]}` text of a combined list (after reading ends), for "Open as JSON". */
  async jsonText(): Promise<string> {
    await this.loaded;
    return recordsDocumentOfTable(this.table);
  }

  /** Starts reading; never rejects (failures become `fatal` and show in the viewer's banner). */
  load(): void {
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: `Indexing ${this.displayName}` },
      () => this.read(),
    );
  }

  get displayName(): string {
    return this.combined?.title ?? (this.uri.path.split('/').pop() || this.uri.toString());
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
    const shown = this.table.onDidAdd(() => {
      this.markShapeKnown();
      // Rows of a combined list arrive file by file: show them as they come.
      if (this.combined) notify(false);
    });
    try {
      if (this.combined) await this.readCombined(notify);
      else await this.readFile(notify);
    } catch (err) {
      const message = logError(`viewer: reading ${this.uri.toString()}`, err);
      this.fatal =
        err instanceof vscode.FileSystemError && err.code === 'FileNotFound'
          ? 'The file no longer exists (or was generated in an earlier session). Open it again from its source.'
          : `The file could not be read: ${message}`;
      this.combined?.onDone?.(undefined, err);
    } finally {
      shown();
      this.loading = false;
      this.markShapeKnown();
      this.markLoaded();
      notify(true);
    }
  }

  /** A combined list: the plan's sources, rows shown as they arrive. */
  private async readCombined(notify: (force: boolean) => void): Promise<void> {
    const c = this.combined!;
    const pool = c.plan.sources.some((s) => s.kind === 'files') ? c.pool?.() : undefined;
    let result: IngestResult;
    try {
      result = await ingest(this.table, c.plan, {
        pool,
        maxDecompressed: config.maxDecompressedBytes(),
        origins: this.origins,
        signal: c.signal ? AbortSignal.any([c.signal, this.abort.signal]) : this.abort.signal,
        onProgress: (p) => {
          this.bytesRead = p.done;
          this.bytesTotal = p.total;
          c.onProgress?.(p);
          notify(false);
        },
      });
    } finally {
      pool?.dispose();
    }
    // A single file's bytes (an S3 object shown from memory) can be a digest and has problems with positions.
    if (result.kind === 'digest' && result.digest) this.digest = result.digest;
    this.kind = result.kind === 'unknown' && this.table.size > 0 ? 'log' : result.kind;
    this.gzipped = result.gzipped;
    this.problems = result.problems.slice(0, 1000).map(toProblemInfo);
    log().info(`viewer: ${this.displayName}: ${this.table.size} records from ${result.files.length || c.plan.sources.length} sources${result.truncated ? ' (capped)' : ''}${result.cancelled ? ', cancelled' : ''}`);
    this.searchIndexLog(result.searchIndex);
    c.onDone?.(result);
  }

  /** One file: read, decompress, index. */
  private async readFile(notify: (force: boolean) => void): Promise<void> {
    let bytes = await vscode.workspace.fs.readFile(this.uri);
    if (this.isDisposed) return;
    const maxDecompressed = config.maxDecompressedBytes();
    this.gzipped = isGzip(bytes);
    if (this.gzipped) {
      // Native zlib decompresses off the extension host's thread. When the stream is damaged or over the
      // decompressed-size cap it fails as a whole; then the indexer decodes the compressed bytes in small slices
      // with the core's tolerant decoder, keeps every record before the damage (or the cap) and reports it.
      bytes = (await gunzipNative(bytes, { maxBytes: maxDecompressed })) ?? bytes;
      if (this.isDisposed) return;
    }
    this.bytesTotal = bytes.length;
    // Big logs are split between this thread and a worker thread (see core/table/indexer.ts). No callback
    // here may use `bytes`: the indexer keeps `cancelled` for its background phase, and a closure would keep
    // this function's variables, the file's bytes among them, alive with it.
    const result = await ingest(this.table, { sources: [{ kind: 'bytes', name: this.displayName, bytes }] }, {
      chunkWorkers: this.chunkWorkers,
      maxDecompressed,
      signal: this.abort.signal,
      onProgress: (p) => {
        this.bytesRead = p.bytesRead ?? 0;
        notify(false);
      },
      log: (m) => {
        this.indexing = m;
        log().info(`viewer: ${this.displayName}: ${m}`);
      },
    });
    if (result.cancelled) return;
    this.bytesRead = this.bytesTotal;
    this.workerRecords = result.workerRecords;
    this.kind = result.kind;
    this.problems = result.problems.slice(0, 1000).map(toProblemInfo);
    if (result.kind === 'digest' && result.digest) this.digest = result.digest;
    else if (this.table.size === 0 && result.kind === 'unknown' && this.problems.length === 0) {
      this.problems.push({ severity: 'error', message: 'This file does not look like a CloudTrail log.', line: 1, column: 1, code: 'not-cloudtrail' });
    }
    const split = this.workerRecords ? ` (${this.workerRecords} indexed by a worker thread)` : '';
    log().info(`viewer: ${this.displayName}: ${this.table.size} records${split}, kind ${this.kind}, ${this.problems.length} problems`);
    this.searchIndexLog(result.searchIndex);
  }

  /** The quick filter's search index is built in the background (cancelled with the document). */
  private searchIndexLog(done: Promise<void>): void {
    const started = Date.now();
    void done.then(() => {
      if (this.isDisposed || this.table.size === 0) return;
      const st = this.table.searchIndexStats();
      const tokens = st.closed ? `the token index closed after ${st.tokenRows} records (mostly one-off values)` : `${st.tokens} distinct values`;
      log().info(`viewer: ${this.displayName}: search index ready after ${Date.now() - started} ms (${tokens}, ${(st.bytes / 1048576).toFixed(1)} MB)`);
    });
  }

  /** A view of the content for one webview (each has its own filter and sort). Call after `shapeKnown`. */
  newSource(): RowSource {
    return this.digest ? new DigestSource(this.digest, undefined) : new RecordSource(this.table, this.hasOrigins ? this.origins : undefined);
  }

  /** A combined list whose sources say where their records came from (then the viewer shows a Source column). */
  private get hasOrigins(): boolean {
    return (this.combined?.plan.sources ?? []).some((s) => (s.kind === 'files' ? s.files.some((f) => f.origin) : s.origin !== undefined));
  }

  override dispose(): void {
    this.abort.abort();
    this.disposeEmitter.fire();
    super.dispose();
  }
}

function toProblemInfo(p: Problem): ProblemInfo {
  const out: ProblemInfo = { severity: p.severity, message: p.message, line: p.line, column: p.column };
  if (p.code) out.code = p.code;
  return out;
}
