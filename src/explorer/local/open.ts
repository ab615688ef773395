/**
 * Reading many files of a log folder at once (a day, a Region, an account) with the worker pool, with a
 * cancellable progress notification, a record cap, and a summary of damaged files.
 */
import { safeMessage as safe } from '../../core/userText';
import * as vscode from 'vscode';
import * as path from 'node:path';
import { ParsePool, type PoolJob, type PoolRunResult } from '../../core/local/pool';
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

/** Jobs for the pool: local files are read by the workers themselves; anything else through workspace.fs. */
export function jobsFor(files: readonly FileRef[]): PoolJob[] {
  return files.map((f) =>
    f.uri.scheme === 'file'
      ? { name: f.name, path: f.uri.fsPath }
      : { name: f.name, read: async () => vscode.workspace.fs.readFile(f.uri) },
  );
}

/** Parses the files with progress and cancel, returning the records as one `{"Records":[…]}` text. */
export async function parseWithProgress(
  context: vscode.ExtensionContext,
  title: string,
  files: readonly FileRef[],
  cap: number,
): Promise<PoolRunResult> {
  const pool = new ParsePool(path.join(context.extensionPath, 'out', 'worker-parse-files.js'));
  try {
    return await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `CloudTrail Lens: reading ${title}`, cancellable: true },
      async (progress, token) => {
        const abort = new AbortController();
        const sub = token.onCancellationRequested(() => abort.abort());
        let last = 0;
        try {
          return await pool.run(jobsFor(files), {
            maxRecords: cap,
            // The viewer reads text: workers send each record's own text, so this thread builds no event objects.
            asText: true,
            signal: abort.signal,
            onProgress: (done, total, records) => {
              const pct = (done / total) * 100;
              progress.report({ increment: pct - last, message: `${done} of ${total} files, ${records.toLocaleString('en-US')} records` });
              last = pct;
            },
          });
        } finally {
          sub.dispose();
        }
      },
    );
  } finally {
    pool.dispose();
  }
}

/** True when a file yielded nothing usable or had errors worth telling the user about. */
export function hasProblems(f: PoolRunResult['files'][number]): boolean {
  if (f.skipped) return false;
  if (f.error !== undefined) return true;
  if (f.kind === 'unknown') return true;
  return f.problems.some((p) => p.severity === 'error');
}

export function logProblems(title: string, result: PoolRunResult): number {
  let count = 0;
  for (const f of result.files) {
    if (!hasProblems(f)) continue;
    count++;
    if (f.error !== undefined) {
      log().warn(`${title}: ${f.name}: ${f.error}`);
      continue;
    }
    if (f.kind === 'unknown' && f.problems.length === 0) log().warn(`${title}: ${f.name}: not a CloudTrail file`);
    for (const p of f.problems.slice(0, 20)) log().warn(`${title}: ${f.name}:${p.line}:${p.column}: ${p.severity}: ${p.message}${p.code ? ` [${p.code}]` : ''}`);
    if (f.problems.length > 20) log().warn(`${title}: ${f.name}: … and ${f.problems.length - 20} more problems`);
  }
  return count;
}

/** Parses the files and opens their events together in the record viewer. */
export async function openCombined(context: vscode.ExtensionContext, title: string, files: readonly FileRef[]): Promise<OpenSummary> {
  const summary: OpenSummary = { title, files: files.length, parsed: 0, records: 0, problemFiles: 0, truncated: false, cancelled: false, opened: false };
  if (files.length === 0) {
    void vscode.window.showInformationMessage(safe(`CloudTrail Lens: ${title} has no log files.`));
    return summary;
  }
  const cap = maxRecords();
  let result: PoolRunResult;
  try {
    result = await parseWithProgress(context, title, files, cap);
  } catch (err) {
    const message = logError(`reading ${title}`, err);
    void vscode.window.showErrorMessage(safe(`CloudTrail Lens: could not read ${title}: ${message}`));
    return summary;
  }
  summary.parsed = result.files.filter((f) => !f.skipped).length;
  summary.records = result.kept;
  summary.truncated = result.truncated;
  summary.cancelled = result.cancelled;
  summary.problemFiles = logProblems(title, result);
  log().info(`${title}: ${summary.parsed} of ${files.length} files read, ${result.recordsSeen} records${result.truncated ? `, capped at ${cap}` : ''}${result.cancelled ? ', cancelled' : ''}`);
  if (result.cancelled) {
    void vscode.window.showInformationMessage(safe(`CloudTrail Lens: reading ${title} was cancelled; nothing was opened.`));
    return summary;
  }
  if (summary.problemFiles > 0) {
    void vscode.window
      .showWarningMessage(
        safe(`CloudTrail Lens: ${summary.problemFiles} of ${files.length} files in ${title} had problems; the rest ${result.kept ? 'were opened' : 'held no events'}.`),
        'Show Log',
      )
      .then((pick) => (pick === 'Show Log' ? log().show() : undefined));
  }
  if (result.truncated && result.kept < cap) {
    // Cut by size (the records' text would not fit in memory as one document), not by the record cap.
    void vscode.window.showWarningMessage(
      safe(`CloudTrail Lens: ${title} is too large to show at once; only the first ${result.kept.toLocaleString('en-US')} records are shown. Open a single day or Region instead.`),
    );
  } else if (result.truncated) {
    void vscode.window
      .showWarningMessage(
        safe(`CloudTrail Lens: ${title} holds more than ${cap.toLocaleString('en-US')} records; only the first ${cap.toLocaleString('en-US')} are shown. Open a single day, or raise "cloudtrailLens.${MAX_RECORDS_SETTING}".`),
        'Open Setting',
      )
      .then((pick) => (pick === 'Open Setting' ? vscode.commands.executeCommand('workbench.action.openSettings', `cloudtrailLens.${MAX_RECORDS_SETTING}`) : undefined));
  }
  if (result.kept === 0 || result.text === undefined) {
    if (summary.problemFiles === 0) void vscode.window.showInformationMessage(safe(`CloudTrail Lens: no events in ${title}.`));
    return summary;
  }
  try {
    await vscode.commands.executeCommand('cloudtrailLens.openRecords', { title, text: result.text });
    summary.opened = true;
  } catch (err) {
    const message = logError(`opening ${title} in the viewer`, err);
    void vscode.window.showErrorMessage(safe(`CloudTrail Lens: could not show ${title}: ${message}`));
  }
  return summary;
}
