/**
 * VS Code side of log file integrity (core: src/core/integrity):
 *   cloudtrailLens.validateIntegrity  (folder/account/Region node | folder uri)?  validate with progress and cancel;
 *       failures become Problems diagnostics on the files, verdicts decorate the files (explorer and log-folder
 *       tree), and a Markdown report with the chain per Region is written into the folder and opened in the
 *       Markdown preview.
 *   cloudtrailLens.saveIntegrityReport  (report uri)?  save a copy of the (last) report where the user picks.
 *   cloudtrailLens.downloadTrailLogs  (AWS trail node)  download a trail's logs and digests (with metadata
 *       sidecars and public keys) into a local AWSLogs folder, then add it to the log folders.
 * Verdicts are kept in `verdicts` (by file path) for the tree and the record viewer.
 */
import * as vscode from 'vscode';
import * as os from 'node:os';
import * as path from 'node:path';
import { registerCommands } from '../common/commands';
import { sharedWorkerPool } from '../common/worker-pool';
import type { WorkerPool } from '../core/pool';
import { log } from '../common/log';
import { config } from '../common/config';
import { formatReportMarkdown, KeyRing, KEYS_FILE, saveKeys, validateFolder, ValidationCancelled, VERDICT_LABEL, type FileReport, type ValidationReport, type Verdict } from '../core/integrity';
import { downloadTrailCommand } from './download';
import { STYLE, verdicts } from './verdict-icons';
import { openDialog, quickPick, saveDialog, testPrompts, withProgress } from './prompts';

export { verdicts, verdictIcon } from './verdict-icons';

export const REPORT_FILE = 'cloudtrail-integrity-report.md';

/** The extension's worker pool: log files are hashed on every core (set by registerIntegrity). */
let hashPool: WorkerPool | undefined;

function severity(v: Verdict): vscode.DiagnosticSeverity {
  return v === 'not-listed' || v === 'signature-unchecked' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Error;
}

interface Target {
  folder: vscode.Uri;
  only?: { account?: string; region?: string };
  label: string;
}

/** Folder/account/Region explorer nodes (duck-typed: src/explorer/local/nodes.ts), a folder uri, or a pick. */
async function resolveTarget(arg: unknown): Promise<Target | undefined> {
  const n = arg as { uri?: vscode.Uri; folder?: { uri?: vscode.Uri }; parent?: unknown; group?: { account?: string; region?: string }; stream?: string } | undefined;
  if (arg instanceof vscode.Uri) return { folder: arg, label: path.basename(arg.fsPath) };
  if (n && n.uri instanceof vscode.Uri && n.folder && 'entry' in (n.folder as object)) return { folder: n.uri, label: path.basename(n.uri.fsPath) };
  if (n?.group?.account && (n.parent as { uri?: vscode.Uri })?.uri) {
    const folder = (n.parent as { uri: vscode.Uri }).uri;
    return { folder, only: { account: n.group.account }, label: `account ${n.group.account}` };
  }
  if (n?.group?.region !== undefined && n.folder?.uri) {
    let p = n.parent as { group?: { account?: string }; parent?: { group?: { account?: string } } } | undefined;
    const account = p?.group?.account ?? p?.parent?.group?.account;
    return { folder: n.folder.uri, only: { account, region: n.group.region }, label: `${account ?? ''} ${n.group.region}`.trim() };
  }
  if (typeof arg === 'string' && arg) return { folder: vscode.Uri.file(arg), label: path.basename(arg) };
  const folders = config.logFolders();
  const picks: (vscode.QuickPickItem & { uri?: vscode.Uri })[] = folders.map((f) => ({ label: f, uri: vscode.Uri.file(path.isAbsolute(f) ? f : path.join(vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '', f)) }));
  picks.push({ label: '$(folder-opened) Choose a folder…' });
  const pick = picks.length === 1 ? picks[0] : await quickPick(picks, { title: 'Validate Log Integrity', placeHolder: 'Log folder to validate (holds AWSLogs)' });
  if (!pick) return undefined;
  if (pick.uri) return { folder: pick.uri, label: pick.label };
  const chosen = await openDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Validate', title: 'Folder of downloaded CloudTrail logs and digests (AWSLogs layout)' });
  return chosen?.[0] ? { folder: chosen[0], label: path.basename(chosen[0].fsPath) } : undefined;
}

/** Keys fetched online with the active AWS profile, when there is one. */
async function onlineKeys(): Promise<((region: string, range?: { start: Date; end: Date }) => Promise<KeyRing | undefined>) | undefined> {
  try {
    const { listProfiles } = await import('../core/aws/profiles');
    const files = config.awsSharedFiles();
    const listing = await listProfiles({ configFile: files.config, credentialsFile: files.credentials });
    if (listing.profiles.length === 0 && !listing.envCredentials) return undefined;
    const active = config.awsActive(listing);
    return async (region, range) => {
      const { createCloudTrailClient } = await import('../core/aws/sdk');
      const { listPublicKeys } = await import('../core/integrity/keys-online');
      const client = await createCloudTrailClient({ profile: active.profile, region, files }, { maxAttempts: 2, requestTimeoutMs: 15000 });
      try {
        return await listPublicKeys(client, region, range);
      } finally {
        client.destroy();
      }
    };
  } catch (e) {
    log().warn(`integrity: not fetching public keys online: ${(e as Error).message}`);
    return undefined;
  }
}

export interface ValidateSummary {
  report: Omit<ValidationReport, 'files'> & { files: FileReport[] };
  reportFile: string;
  keysSaved?: string;
}

let lastReport: { file: string; label: string } | undefined;

/** "Save Report…": copies a report (the last one written, or the one given) to a file the user picks. */
async function saveReportCommand(arg?: unknown): Promise<string | undefined> {
  const src = arg instanceof vscode.Uri ? arg : typeof arg === 'string' && arg ? vscode.Uri.file(arg) : lastReport ? vscode.Uri.file(lastReport.file) : undefined;
  if (!src) {
    void vscode.window.showInformationMessage('CloudTrail Lens: no integrity report yet. Run "Validate Log Integrity…" first.');
    return undefined;
  }
  const stamp = new Date().toISOString().slice(0, 16).replace(/[:T]/g, '-');
  const slug = (lastReport?.file === src.fsPath ? lastReport.label : path.basename(path.dirname(src.fsPath))).replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '');
  const home = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(os.homedir());
  const dest = await saveDialog({
    title: 'Save CloudTrail Integrity Report',
    saveLabel: 'Save Report',
    defaultUri: vscode.Uri.joinPath(home, `cloudtrail-integrity-report-${slug || 'logs'}-${stamp}.md`),
    filters: { Markdown: ['md'] },
  });
  if (!dest) return undefined;
  if (dest.toString() !== src.toString()) await vscode.workspace.fs.copy(src, dest, { overwrite: true });
  log().info(`integrity: report saved to ${dest.fsPath}`);
  return dest.fsPath;
}

async function validateCommand(diagnostics: vscode.DiagnosticCollection, arg: unknown, opts?: { offline?: boolean; quiet?: boolean; preview?: boolean }): Promise<ValidateSummary | undefined> {
  const target = await resolveTarget(arg);
  if (!target) return undefined;
  if (target.folder.scheme !== 'file') throw new Error('integrity validation needs a folder on this machine (file system path)');
  const root = target.folder.fsPath;
  const keys = new KeyRing();
  let fetched = 0;
  const fetchOnline = opts?.offline ? undefined : await onlineKeys();
  const fetchKeys = fetchOnline
    ? async (region: string, range?: { start: Date; end: Date }) => {
        const ring = await fetchOnline(region, range);
        fetched += ring?.size ?? 0;
        return ring;
      }
    : undefined;
  const report = await withProgress(
    `Validating log integrity: ${target.label}`,
    async (progress, token) => {
      const ac = new AbortController();
      const sub = token.onCancellationRequested(() => ac.abort());
      let last = 0;
      try {
        return await validateFolder(root, {
          keys,
          only: target.only,
          fetchKeys,
          pool: hashPool,
          signal: ac.signal,
          onProgress: (done, total, message) => {
            const pct = total ? (done / total) * 100 : 0;
            if (pct - last >= 1 || done === total) {
              progress.report({ increment: pct - last, message: `${done}/${total} log files${message && done ? '' : ` · ${message ?? ''}`}` });
              last = pct;
            }
          },
        });
      } catch (e) {
        if (e instanceof ValidationCancelled) throw new vscode.CancellationError();
        throw e;
      } finally {
        sub.dispose();
      }
    },
  );
  for (const w of report.warnings) log().warn(`integrity: ${w}`);
  let keysSaved: string | undefined;
  if (fetched > 0) {
    try {
      keysSaved = saveKeys(root, keys);
      log().info(`integrity: saved public keys fetched with ListPublicKeys to ${keysSaved}`);
    } catch (e) {
      log().warn(`integrity: could not save public keys to ${path.join(root, KEYS_FILE)}: ${(e as Error).message}`);
    }
  }
  // Problems: one diagnostic per file that is not valid, on the file.
  const byFile = new Map<string, vscode.Diagnostic[]>();
  for (const f of report.files) {
    if (f.verdict === 'valid') continue;
    const d = new vscode.Diagnostic(new vscode.Range(0, 0, 0, 0), `${VERDICT_LABEL[f.verdict]}: ${f.reason}`, severity(f.verdict));
    d.source = 'CloudTrail integrity';
    d.code = f.verdict;
    byFile.set(path.join(root, ...f.path.split('/')), [d]);
  }
  // Clear this folder's earlier diagnostics (within the validated account/Region).
  diagnostics.forEach((uri) => {
    const f = verdicts.get(uri);
    if (uri.fsPath.startsWith(root + path.sep) && (!target.only || !f || ((!target.only.account || f.account === target.only.account) && (!target.only.region || f.region === target.only.region)))) diagnostics.delete(uri);
  });
  for (const [p, ds] of byFile) diagnostics.set(vscode.Uri.file(p), ds);
  verdicts.set(root, report.files, target.only);
  // The saved report.
  const reportFile = path.join(root, REPORT_FILE);
  await vscode.workspace.fs.writeFile(vscode.Uri.file(reportFile), Buffer.from(formatReportMarkdown(report), 'utf8'));
  await vscode.commands.executeCommand('cloudtrailLens.refreshLogFolders').then(undefined, () => undefined);
  const s = report.summary;
  const text = s.ok
    ? `CloudTrail Lens: ${target.label}: all ${s.files} files verified, ${s.signaturesChecked} signatures checked.`
    : `CloudTrail Lens: ${target.label}: ${s.failed} of ${s.files} files not verified (${Object.entries(s.byVerdict).filter(([v]) => v !== 'valid').map(([v, n]) => `${n} ${VERDICT_LABEL[v as Verdict]}`).join(', ')}).`;
  // The summary (chain per Region, gaps, failed files) in the Markdown preview: the run's result stays on screen
  // after the notification fades; "Save Report…" copies it wherever the responder keeps evidence.
  lastReport = { file: reportFile, label: target.label };
  if (opts?.preview !== false) {
    await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.file(reportFile)).then(undefined, (e: unknown) => log().warn(`integrity: could not open the report preview: ${(e as Error).message}`));
  }
  if (!opts?.quiet) {
    const actions = s.ok ? ['Save Report…'] : ['Show Problems', 'Save Report…'];
    void (s.ok ? vscode.window.showInformationMessage(text, ...actions) : vscode.window.showWarningMessage(text, ...actions)).then((a) => {
      if (a === 'Save Report…') void vscode.commands.executeCommand('cloudtrailLens.saveIntegrityReport', vscode.Uri.file(reportFile));
      if (a === 'Show Problems') void vscode.commands.executeCommand('workbench.actions.view.problems');
    });
  }
  const { warnings: _w, ...plain } = report;
  void _w;
  return { report: plain, reportFile, keysSaved };
}

export function registerIntegrity(context: vscode.ExtensionContext): void {
  hashPool = sharedWorkerPool(context.extensionPath);
  const diagnostics = vscode.languages.createDiagnosticCollection('cloudtrailLens.integrity');
  const decorations = new vscode.EventEmitter<vscode.Uri[]>();
  context.subscriptions.push(
    diagnostics,
    verdicts,
    decorations,
    verdicts.onDidChange((uris) => decorations.fire(uris)),
    vscode.window.registerFileDecorationProvider({
      onDidChangeFileDecorations: decorations.event,
      provideFileDecoration(uri) {
        const f = verdicts.get(uri);
        if (!f) return undefined;
        const s = STYLE[f.verdict];
        return new vscode.FileDecoration(s.badge, `Integrity: ${VERDICT_LABEL[f.verdict]}`, new vscode.ThemeColor(s.color));
      },
    }),
    registerCommands({
      'cloudtrailLens.validateIntegrity': (arg?: unknown, opts?: { offline?: boolean; quiet?: boolean }) => validateCommand(diagnostics, arg, opts),
      'cloudtrailLens.downloadTrailLogs': (arg?: unknown, opts?: Record<string, unknown>) => downloadTrailCommand(arg, opts),
      'cloudtrailLens.saveIntegrityReport': (arg?: unknown) => saveReportCommand(arg),
    }),
    registerCommands({ 'cloudtrailLens.integrity._prompts': (args?: Parameters<typeof testPrompts>[0]) => testPrompts(args) }),
  );
}
