/**
 * One opened CloudTrail file (or generated record list): reads it through `vscode.workspace.fs` (so remote,
 * WSL and virtual file systems work), feeds the streaming parser in slices while yielding to the event loop,
 * and indexes the records into the core RecordTable as they arrive. Webviews pull rows from it.
 */
import * as vscode from 'vscode';
import * as zlib from 'node:zlib';
import { promisify } from 'node:util';
import { RecordTable } from '../core/table';
import { StreamingParser } from '../core/records';
import type { CloudTrailRecord, DigestInfo, FileKind, Problem } from '../core/records/types';
import { Disposable } from '../common/dispose';
import { logError, log } from '../common/log';
import { DigestSource, RecordSource, type RowSource } from './source';
import type { ProblemInfo } from './protocol';

/** Text bytes handed to the parser per slice; between slices the host yields so the UI stays responsive. */
const SLICE_BYTES = 512 * 1024;
/** Compressed bytes per slice when the parser has to decompress (damaged gzip): they can expand 20-fold or more. */
const GZIP_SLICE_BYTES = 32 * 1024;

const gunzipAsync = promisify(zlib.gunzip);
/** Least time between progress notifications while indexing. */
const PROGRESS_MS = 150;

const yieldNow = () => new Promise<void>((r) => setImmediate(r));

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
  /** Resolves once the viewer knows what to show (first records, or the whole file read). */
  readonly shapeKnown: Promise<void>;
  private markShapeKnown!: () => void;
  private readonly progress = this.register(new vscode.EventEmitter<void>());
  /** Fires (throttled) while indexing and once at the end. */
  readonly onDidProgress = this.progress.event;
  private readonly disposeEmitter = this.register(new vscode.EventEmitter<void>());
  readonly onDidDispose = this.disposeEmitter.event;

  constructor(readonly uri: vscode.Uri) {
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
    try {
      let bytes = await vscode.workspace.fs.readFile(this.uri);
      if (this.isDisposed) return;
      this.gzipped = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
      let slice = SLICE_BYTES;
      if (this.gzipped) {
        // Native zlib decompresses off the extension host's thread. When the stream is damaged it fails as a whole;
        // then the parser's own tolerant decoder reads the compressed bytes and keeps every record before the damage.
        try {
          bytes = await gunzipAsync(bytes);
        } catch {
          slice = GZIP_SLICE_BYTES;
        }
        if (this.isDisposed) return;
      }
      this.bytesTotal = bytes.length;
      const parser = new StreamingParser();
      const take = (records: CloudTrailRecord[]) => {
        if (records.length === 0) return;
        this.table.add(records);
        this.markShapeKnown();
      };
      for (let off = 0; off < bytes.length; off += slice) {
        take(parser.push(bytes.subarray(off, Math.min(bytes.length, off + slice))));
        this.bytesRead = Math.min(bytes.length, off + slice);
        notify(false);
        await yieldNow();
        if (this.isDisposed) return;
        // Damaged .gz: the parser inflates a bounded amount per push and queues the rest. Drain that in
        // event-loop turns too, so neither a highly compressed slice nor end() blocks the extension host.
        while (parser.backlog) {
          take(parser.push(new Uint8Array(0)));
          notify(false);
          await yieldNow();
          if (this.isDisposed) return;
        }
      }
      const result = parser.end();
      take(result.records);
      this.kind = result.kind;
      this.problems = result.problems.slice(0, 1000).map(toProblemInfo);
      if (result.kind === 'digest' && result.digest) this.digest = result.digest;
      else if (this.table.size === 0 && result.kind === 'unknown' && this.problems.length === 0) {
        this.problems.push({ severity: 'error', message: 'This file does not look like a CloudTrail log.', line: 1, column: 1, code: 'not-cloudtrail' });
      }
      log().info(`viewer: ${this.displayName}: ${this.table.size} records, kind ${this.kind}, ${this.problems.length} problems`);
    } catch (err) {
      const message = logError(`viewer: reading ${this.uri.toString()}`, err);
      this.fatal =
        err instanceof vscode.FileSystemError && err.code === 'FileNotFound'
          ? 'The file no longer exists (or was generated in an earlier session). Open it again from its source.'
          : `The file could not be read: ${message}`;
    } finally {
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
