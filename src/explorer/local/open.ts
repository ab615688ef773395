/**
 * "Open All Events" of a log folder (a day, a Region, an account): a plan of files for the record viewer, which
 * reads them through the one ingest path (src/core/ingest, worker pool) with a cancellable progress
 * notification, a record cap and a summary of damaged files.
 */
import { safeMessage as safe } from '../../core/userText';
import * as vscode from 'vscode';
import { damageReport, isDamaged, type CombinedRecords, type FileOutcome, type FileSource, type IngestResult } from '../../core/ingest/ingest';
import type { Origin } from '../../core/ingest/origins';
import { log, logError } from '../../common/log';
import { config } from '../../common/config';

export const MAX_RECORDS_SETTING = 'maxCombinedRecords';

/** What one "open all events" did; returned by the command so tests and other features can check it. */
export interface OpenSummary {
  title: string;
  files: number;
  parsed: number;
  records: number;
  /** Files that could not be read or parsed, or that are not CloudTrail data. */
  problemFiles: number;
  truncated: boolean;
  cancelled: boolean;
  /** True when the records were handed to the viewer. */
  opened: boolean;
}

export interface FileRef {
  uri: vscode.Uri;
  /** Shown in progress and problem reports. */
  name: string;
}

export function maxRecords(): number {
  return config.maxCombinedRecords();
}

/** The files as a `files` source of the ingest path: local files are read by the workers, others through workspace.fs. */
export function filesSource(files: readonly FileRef[]): FileSource[] {
  return files.map((f) => {
    const origin: Origin = { label: f.name.split('/').pop() || f.name, description: f.name, file: f.uri.toString() };
    return f.uri.scheme === 'file'
      ? { name: f.name, path: f.uri.fsPath, origin }
      : { name: f.name, read: async () => vscode.workspace.fs.readFile(f.uri), origin };
  });
}

/** The tab title of a combined view: what was combined, e.g. `account 123456789012 · 31 files`. */
export function combinedTitle(title: string, files: number): string {
  return `${title} · ${files} file${files === 1 ? '' : 's'}`;
}

/**
 * Opens the files' events together in the record viewer: the viewer fills its table through the ingest path (on
 * the worker pool) and shows rows while files are still being read; this shows the cancellable progress and, at
 * the end, the damaged files and the record cap.
 */
export async function openCombined(_context: vscode.ExtensionContext, title: string, files: readonly FileRef[]): Promise<OpenSummary> {
  const summary: OpenSummary = { title, files: files.length, parsed: 0, records: 0, problemFiles: 0, truncated: false, cancelled: false, opened: false };
  if (files.length === 0) {
    void vscode.window.showInformationMessage(safe(`CloudTrail Lens: ${title} has no log files.`));
    return summary;
  }
  const cap = maxRecords();
  let result: IngestResult | undefined;
  try {
    result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `CloudTrail Lens: reading ${title}`, cancellable: true },
      async (progress, token) => {
        const abort = new AbortController();
        const sub = token.onCancellationRequested(() => abort.abort());
        let last = 0;
        try {
          let resolveDone!: (r: IngestResult) => void;
          let rejectDone!: (e: unknown) => void;
          const done = new Promise<IngestResult>((resolve, reject) => {
            resolveDone = resolve;
            rejectDone = reject;
          });
          const args: CombinedRecords = {
            title: combinedTitle(title, files.length),
            plan: { sources: [{ kind: 'files', files: filesSource(files) }], maxRecords: cap },
            signal: abort.signal,
            onProgress: (p) => {
              const pct = p.total ? (p.done / p.total) * 100 : 0;
              if (pct > last) progress.report({ increment: pct - last, message: `${p.done} of ${p.total} files, ${p.records.toLocaleString('en-US')} records` });
              last = Math.max(last, pct);
            },
            onDone: (r, err) => (r ? resolveDone(r) : rejectDone(err instanceof Error ? err : new Error(String(err ?? 'the viewer stopped')))),
          };
          done.catch(() => undefined); // settled through `await done` below, or moot when opening fails
          // The editor opens at once and shows rows while the files are read; `done` settles when reading ends.
          await vscode.commands.executeCommand('cloudtrailLens.openRecords', args);
          summary.opened = true;
          return await done;
        } finally {
          sub.dispose();
        }
      },
    );
  } catch (err) {
    const message = logError(`reading ${title}`, err);
    void vscode.window.showErrorMessage(safe(`CloudTrail Lens: could not read ${title}: ${message}`));
    return summary;
  }
  if (!result) return summary;
  summary.parsed = result.files.filter((f) => !f.skipped).length;
  summary.records = result.records;
  summary.truncated = result.truncated;
  summary.cancelled = result.cancelled;
  summary.problemFiles = logProblems(title, result.files);
  log().info(`${title}: ${summary.parsed} of ${files.length} files read, ${result.recordsSeen} records${result.truncated ? `, capped at ${cap}` : ''}${result.cancelled ? ', cancelled' : ''}`);
  if (result.cancelled) {
    void vscode.window.showInformationMessage(safe(`CloudTrail Lens: reading ${title} was cancelled; the ${result.records.toLocaleString('en-US')} records read before are shown.`));
    return summary;
  }
  if (summary.problemFiles > 0) {
    void vscode.window
      .showWarningMessage(
        safe(`CloudTrail Lens: ${summary.problemFiles} of ${files.length} files in ${title} had problems; the rest ${result.records ? 'were opened' : 'held no events'}.`),
        'Show Log',
      )
      .then((pick) => (pick === 'Show Log' ? log().show() : undefined));
  }
  if (result.truncated) {
    void vscode.window
      .showWarningMessage(
        safe(`CloudTrail Lens: ${title} holds more than ${cap.toLocaleString('en-US')} records; only the first ${cap.toLocaleString('en-US')} are shown. Open a single day, or raise "cloudtrailLens.${MAX_RECORDS_SETTING}".`),
        'Open Setting',
      )
      .then((pick) => (pick === 'Open Setting' ? vscode.commands.executeCommand('workbench.action.openSettings', `cloudtrailLens.${MAX_RECORDS_SETTING}`) : undefined));
  }
  if (result.records === 0 && summary.problemFiles === 0) void vscode.window.showInformationMessage(safe(`CloudTrail Lens: no events in ${title}.`));
  return summary;
}

/** Logs the damaged files' problems; returns how many files had problems. */
export function logProblems(title: string, files: readonly FileOutcome[]): number {
  for (const line of damageReport(files)) log().warn(`${title}: ${line}`);
  return files.filter(isDamaged).length;
}
