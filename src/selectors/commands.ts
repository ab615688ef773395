/**
 * Selector commands: fetch a trail's selectors into a new document, apply a document to a trail (validate →
 * diff → modal confirmation → PutEventSelectors in the home region), switch the target, and the dry run over
 * log files. Each command also takes an optional argument object so tests (and other features, e.g. the
 * explorer's trail nodes) can call it without the pickers.
 */
import { safeMessage } from '../core/userText';
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { createCloudTrailClient, type SharedFiles } from '../core/aws/sdk';
import { config } from '../common/config';
import { describeTrails, type TrailInfo } from '../core/aws/trails';
import { listProfiles } from '../core/aws/profiles';
import { classifyAwsError } from '../core/aws/errors';
import { RecordTable } from '../core/table';
import { ParsePool } from '../core/local/pool';
import { sharedWorkerPool } from '../common/worker-pool';
import { ingest, type CombinedRecords, type FileSource, type IngestResult } from '../core/ingest/ingest';
import type { Origin } from '../core/ingest/origins';
import type { JsonObject } from '../core/records/types';
import { analyze, dryRun, selectorsFromText, LIMITS, type DryRunSummary } from '../core/selectors';
import { applySelectors, fetchSelectorsText, payloadFromText, regionFromTrailArn, unknownOutcomeMessage } from '../core/selectors/aws';
import { log, logError } from '../common/log';
import { infraFormat, type InfraSelectorFeatures } from './infra';
import { registerCommands, type CommandId, type Handler } from '../common/commands';
import { documentContexts, isSelectorDocument, optionsFor, settingTarget, type SelectorLanguageFeatures } from './language';

export const DIFF_SCHEME = 'cloudtrail-lens-selectors';

export interface AwsArgs {
  /** Trail name or ARN; skips the trail picker. */
  trail?: string;
  profile?: string;
  region?: string;
}
export interface ApplyArgs extends AwsArgs {
  uri?: vscode.Uri;
  /** Replaces the modal dialog (tests); must resolve true for anything to be written. */
  confirm?: (message: string, detail: string) => Thenable<boolean> | Promise<boolean>;
  /** Cancels the write like the progress notification's Cancel button (tests, other callers). */
  signal?: AbortSignal;
}
export interface ApplyResult {
  applied: boolean;
  /** The request got no answer (network failure or cancel while under way): it may or may not have been applied. */
  unknown?: boolean;
  reason?: string;
  trailArn?: string;
  region?: string;
}
export interface DryRunArgs {
  uri?: vscode.Uri;
  /** In a CloudFormation template / Terraform file: the resource to test (logical ID or `type.name`); else picked. */
  resource?: string;
  files?: vscode.Uri[];
  /** false: compute and return without showing the result picker (tests). */
  show?: boolean;
}
export interface DryRunResult {
  total: number;
  logged: number;
  notLogged: number;
  perSelector: { index: number; name?: string; count: number }[];
  files: number;
}

/** In-memory documents for the apply diff (current vs proposed). */
class DiffContent implements vscode.TextDocumentContentProvider {
  private readonly docs = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  set(uri: vscode.Uri, text: string): void {
    this.docs.set(uri.toString(), text);
    this.changed.fire(uri);
  }
  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.docs.get(uri.toString()) ?? '';
  }
  dispose(): void {
    this.changed.dispose();
  }
}

/** Profile, region and shared files as the settings choose them (config.awsActive), unless given. */
async function resolveAws(args: AwsArgs): Promise<{ profile?: string; region: string; files: SharedFiles }> {
  const files = config.awsSharedFiles();
  const listing = await listProfiles({ configFile: files.config, credentialsFile: files.credentials });
  const active = config.awsActive(listing);
  return { profile: args.profile ?? active.profile, files, region: args.region ?? active.regions[0] };
}

function showAwsError(err: unknown, operation: string, profile?: string): string {
  const c = classifyAwsError(err, { profile, operation });
  logError(operation, err);
  void vscode.window.showErrorMessage(safeMessage(`CloudTrail Lens: ${c.message}`));
  return c.message;
}

async function client(who: { profile?: string; files?: SharedFiles }, region: string): Promise<CloudTrailClient> {
  return createCloudTrailClient({ profile: who.profile, region, files: who.files });
}

async function pickTrail(args: AwsArgs, purpose: string): Promise<{ trail: TrailInfo | { arn: string; name: string; homeRegion?: string; bucket?: string; keyPrefix?: string }; profile?: string; region: string; files: SharedFiles } | undefined> {
  const aws = await resolveAws(args);
  if (args.trail) {
    return { trail: { arn: args.trail, name: args.trail.split('/').pop() ?? args.trail, homeRegion: regionFromTrailArn(args.trail) }, ...aws };
  }
  const trails = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Listing trails in ${aws.region}…` },
    async () => describeTrails(await client(aws, aws.region), aws.region));
  if (!trails.length) {
    void vscode.window.showInformationMessage(safeMessage(`No trails in ${aws.region}${aws.profile ? ` for profile ${aws.profile}` : ''}. Choose another region with "CloudTrail Lens: Select Regions".`));
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    trails.map((t) => ({ label: t.name, description: t.homeRegion ? `home ${t.homeRegion}` : undefined, detail: t.bucket ? `logs to s3://${t.bucket}/${t.keyPrefix ?? ''}` : undefined, trail: t })),
    { title: purpose, placeHolder: 'Choose a trail' },
  );
  return picked ? { trail: picked.trail, ...aws } : undefined;
}

export function registerSelectorCommands(context: vscode.ExtensionContext, features: SelectorLanguageFeatures, infra?: InfraSelectorFeatures): void {
  const diffs = new DiffContent();
  context.subscriptions.push(diffs, vscode.workspace.registerTextDocumentContentProvider(DIFF_SCHEME, diffs));
  const reg = (id: CommandId, fn: Handler) => context.subscriptions.push(registerCommands({ [id]: fn }));

  reg('cloudtrailLens.selectors.fetch', async (arg?: AwsArgs & { arn?: string; TrailARN?: string }): Promise<vscode.TextDocument | undefined> => {
    const args: AwsArgs = { ...arg, trail: arg?.trail ?? arg?.arn ?? arg?.TrailARN };
    let profile: string | undefined;
    try {
      const picked = await pickTrail(args, 'Fetch event selectors from trail');
      if (!picked) return undefined;
      profile = picked.profile;
      const home = picked.trail.homeRegion ?? picked.region;
      const text = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Reading the event selectors of ${picked.trail.name}…` },
        async () => fetchSelectorsText(await client(picked, home), picked.trail.arn));
      const doc = await vscode.workspace.openTextDocument({ language: 'json', content: text });
      documentContexts.set(doc.uri.toString(), { trailArn: picked.trail.arn, homeRegion: home, logBucket: picked.trail.bucket, logPrefix: picked.trail.keyPrefix, profile: picked.profile });
      await vscode.window.showTextDocument(doc);
      features.validate(doc);
      features.updateStatus();
      return doc;
    } catch (err) {
      showAwsError(err, 'reading event selectors', profile);
      return undefined;
    }
  });

  reg('cloudtrailLens.selectors.apply', async (arg?: ApplyArgs): Promise<ApplyResult> => {
    const doc = arg?.uri ? await vscode.workspace.openTextDocument(arg.uri) : vscode.window.activeTextEditor?.document;
    const refuse = (reason: string, show = true): ApplyResult => {
      if (show) void vscode.window.showErrorMessage(safeMessage(`CloudTrail Lens: ${reason}`));
      log().warn(`apply refused: ${reason}`);
      return { applied: false, reason };
    };
    if (!doc || !isSelectorDocument(doc)) return refuse('Open a selector document (JSON with AdvancedEventSelectors or a *.selectors.json file) first.');
    const text = doc.getText();
    const a = analyze(text, { ...optionsFor(doc), target: 'trail' });
    if (a.target === 'event-data-store') return refuse('This document describes an event data store, not a trail.');
    const errors = a.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length) {
      const reason = `Not applied: ${errors.length} error${errors.length === 1 ? '' : 's'} must be fixed first (line ${errors[0].line}: ${errors[0].message})`;
      void vscode.window.showErrorMessage(safeMessage(`CloudTrail Lens: ${reason}`), 'Show Problems').then((c) => {
        if (c) void vscode.commands.executeCommand('workbench.actions.view.problems');
      });
      return refuse(reason, false);
    }
    const { payload, trail: docTrail, reason } = payloadFromText(text);
    if (!payload) return refuse(reason ?? 'The document holds no selectors.');
    const ctx = documentContexts.get(doc.uri.toString());
    let profile = arg?.profile ?? ctx?.profile;
    try {
      const picked = await pickTrail({ ...arg, profile, trail: arg?.trail ?? docTrail ?? ctx?.trailArn }, 'Apply selectors to trail');
      if (!picked) return { applied: false, reason: 'No trail chosen.' };
      profile = picked.profile;
      let home = picked.trail.homeRegion ?? ctx?.homeRegion;
      if (!home) {
        // A bare trail name: ask the browsed region where the trail lives.
        const found = (await describeTrails(await client(picked, picked.region), picked.region)).find((t) => t.name === picked.trail.name || t.arn === picked.trail.arn);
        home = found?.homeRegion ?? picked.region;
      }
      const cloudtrail = await client(picked, home);
      const current = await fetchSelectorsText(cloudtrail, picked.trail.arn);
      const currentArn = (JSON.parse(current) as { TrailARN?: string }).TrailARN ?? picked.trail.arn;
      const proposed = JSON.stringify({ TrailARN: currentArn, ...payload }, null, 2) + '\n';
      const stamp = Date.now();
      const safe = picked.trail.name.replace(/[^\w.-]/g, '_');
      const left = vscode.Uri.from({ scheme: DIFF_SCHEME, path: `/current/${safe}.json`, query: String(stamp) });
      const right = vscode.Uri.from({ scheme: DIFF_SCHEME, path: `/proposed/${safe}.json`, query: String(stamp) });
      diffs.set(left, current);
      diffs.set(right, proposed);
      await vscode.commands.executeCommand('vscode.diff', left, right, `${picked.trail.name}: current ↔ to apply`, { preview: true });
      const count = 'AdvancedEventSelectors' in payload ? `${payload.AdvancedEventSelectors.length} advanced selector(s), ${a.valueCount} of ${LIMITS.valuesPerTrail} values` : `${payload.EventSelectors.length} basic selector(s)`;
      const message = `Replace the event selectors of trail "${picked.trail.name}" (${home})?`;
      const detail = `This writes ${count} with PutEventSelectors and replaces everything the trail logs now — basic and advanced selectors alike. The diff editor shows current vs new.`;
      const ok = arg?.confirm
        ? await arg.confirm(message, detail)
        : (await vscode.window.showWarningMessage(safeMessage(message), { modal: true, detail }, 'Apply')) === 'Apply';
      if (!ok) return { applied: false, reason: 'Cancelled: nothing was written.', trailArn: currentArn, region: home };
      // Cancellable: the signal aborts the SDK request (and its retries).
      const outcome = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Applying selectors to ${picked.trail.name}…`, cancellable: true },
        (_progress, token) => {
          const abort = new AbortController();
          const sub = token.onCancellationRequested(() => abort.abort());
          if (arg?.signal) {
            if (arg.signal.aborted) abort.abort();
            else arg.signal.addEventListener('abort', () => abort.abort(), { once: true });
          }
          return applySelectors(cloudtrail, picked.trail.arn, payload, abort.signal).finally(() => sub.dispose());
        },
      );
      if (outcome.outcome === 'not-sent') return { applied: false, reason: 'Cancelled: nothing was written.', trailArn: currentArn, region: home };
      if (outcome.outcome === 'rejected') throw outcome.error;
      if (outcome.outcome === 'unknown') {
        // No answer from AWS: the write may have happened. Say so, and offer to read the trail's selectors back.
        const c = classifyAwsError(outcome.error, { profile, operation: 'applying event selectors' });
        const reason = unknownOutcomeMessage(picked.trail.name, outcome.cancelled, outcome.cancelled ? undefined : c.code ?? c.detail);
        logError('applying event selectors (outcome unknown)', outcome.error);
        void vscode.window.showWarningMessage(safeMessage(`CloudTrail Lens: ${reason}`), 'Fetch').then((choice) => {
          if (choice === 'Fetch') void vscode.commands.executeCommand('cloudtrailLens.selectors.fetch', { trail: picked.trail.arn, profile: picked.profile, region: home });
        });
        return { applied: false, unknown: true, reason, trailArn: currentArn, region: home };
      }
      const result = outcome;
      const done = `Applied to trail "${picked.trail.name}" in ${home}: ${result.advanced ? `${result.advanced} advanced` : `${result.basic} basic`} selector(s) now active.`;
      log().info(done);
      void vscode.window.showInformationMessage(safeMessage(`CloudTrail Lens: ${done}`));
      documentContexts.set(doc.uri.toString(), { ...ctx, trailArn: currentArn, homeRegion: home, profile: picked.profile });
      return { applied: true, trailArn: result.trailArn ?? currentArn, region: home };
    } catch (err) {
      return { applied: false, reason: showAwsError(err, 'applying event selectors', profile) };
    }
  });

  reg('cloudtrailLens.selectors.toggleTarget', async () => {
    const doc = vscode.window.activeTextEditor?.document;
    if (doc && isSelectorDocument(doc)) {
      const a = analyze(doc.getText(), optionsFor(doc));
      if (a.targetFromDocument) {
        void vscode.window.showInformationMessage(safeMessage(`This document names its target (${a.target === 'trail' ? 'a trail' : 'an event data store'}); the setting does not apply to it.`));
        return;
      }
    }
    const next = (settingTarget() ?? 'trail') === 'trail' ? 'event-data-store' : 'trail';
    const scope = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    await config.update('selectors.target', next, scope);
    features.refreshAll();
  });

  reg('cloudtrailLens.selectors.dryRun', async (arg?: DryRunArgs): Promise<DryRunResult | undefined> => {
    const doc = arg?.uri ? await vscode.workspace.openTextDocument(arg.uri) : vscode.window.activeTextEditor?.document;
    // A trail or event data store in a CloudFormation template or Terraform file works too.
    const fromTemplate = doc && !isSelectorDocument(doc) && infra && infraFormat(doc) ? await infra.selectorsText(doc, arg?.resource) : undefined;
    if (!doc || (!isSelectorDocument(doc) && fromTemplate === undefined)) {
      void vscode.window.showErrorMessage(safeMessage('CloudTrail Lens: open a selector document (or a template with a CloudTrail trail) first, then run "Test Selectors Against a Log File…".'));
      return undefined;
    }
    const { selectors } = selectorsFromText(fromTemplate ?? doc.getText(), 'x.selectors.json');
    if (!selectors.length) {
      void vscode.window.showErrorMessage(safeMessage('CloudTrail Lens: this document has no selectors to test.'));
      return undefined;
    }
    const files = arg?.files ?? (await vscode.window.showOpenDialog({
      canSelectMany: true, openLabel: 'Test selectors', title: 'CloudTrail log files to test the selectors against',
      filters: { 'CloudTrail logs': ['json', 'gz', 'jsonl'], 'All files': ['*'] },
    }));
    if (!files?.length) return undefined;
    // The files are parsed on the worker pool through the one ingest path, not on the extension host's thread.
    const table = new RecordTable();
    const problems: string[] = [];
    const pool = new ParsePool(sharedWorkerPool(context.extensionPath));
    let read: IngestResult;
    try {
      read = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Reading log files…', cancellable: true }, async (progress, token) => {
        const abort = new AbortController();
        const sub = token.onCancellationRequested(() => abort.abort());
        try {
          const sources: FileSource[] = files.map((f) => {
            const name = path.basename(f.path);
            const origin = { label: name, description: f.scheme === 'file' ? f.fsPath : f.toString() };
            return f.scheme === 'file' ? { name, path: f.fsPath, origin } : { name, read: async () => vscode.workspace.fs.readFile(f), origin };
          });
          return await ingest(table, { sources: [{ kind: 'files', files: sources }] }, {
            pool,
            signal: abort.signal,
            searchIndex: false,
            onProgress: (p) => progress.report({ message: `${p.done} of ${p.total} files, ${p.records} records` }),
          });
        } finally {
          sub.dispose();
        }
      });
    } finally {
      pool.dispose();
    }
    for (const f of read.files) {
      if (f.error !== undefined) problems.push(`${f.name}: ${f.error}`);
      for (const p of f.problems.filter((x) => x.severity === 'error')) problems.push(`${f.name}:${p.line}: ${p.message}`);
    }
    // The matcher reads event objects: made from the table's record texts, a slice at a time.
    const events: Record<string, unknown>[] = new Array(table.size);
    const originOf = new Map<object, Origin>();
    for (let i = 0; i < table.size; i++) {
      const e = table.event(i);
      events[i] = e;
      const o = read.origins.at(i)?.origin;
      if (o) originOf.set(e, o);
      if (i % 2000 === 1999) await new Promise((r) => setImmediate(r));
    }
    if (problems.length) void vscode.window.showWarningMessage(safeMessage(`CloudTrail Lens: ${problems.length} problem(s) reading the logs; tested the records that could be read. ${problems[0]}`));
    const summary: DryRunSummary = dryRun(selectors, events);
    const result: DryRunResult = {
      total: summary.total, logged: summary.logged, notLogged: summary.notLogged.length, files: files.length,
      perSelector: summary.perSelector.map((s) => ({ index: s.index, name: s.name, count: s.count })),
    };
    log().info(`dry run: ${summary.total} records, ${summary.logged} logged, ${summary.notLogged.length} not logged`);
    if (arg?.show !== false) void showDryRun(summary, events, (e) => originOf.get(e));
    return result;
  });
}

async function showDryRun(summary: DryRunSummary, events: Record<string, unknown>[], originOf: (e: object) => Origin | undefined): Promise<void> {
  type Item = vscode.QuickPickItem & { events?: number[]; title?: string };
  const items: Item[] = [
    ...summary.perSelector.map((s) => ({
      label: `$(filter) Selector ${s.index + 1}${s.name ? `: ${s.name}` : ''}`,
      description: `${s.count} of ${summary.total} record(s)`,
      events: s.events,
      title: `Logged by selector ${s.index + 1}${s.name ? ` (${s.name})` : ''}`,
    })),
    { label: '', kind: vscode.QuickPickItemKind.Separator },
    { label: '$(circle-slash) Not logged', description: `${summary.notLogged.length} record(s) no selector logs`, events: summary.notLogged, title: 'Not logged by the selectors' },
    { label: '$(check-all) Logged', description: `${summary.logged} record(s) at least one selector logs`, events: summary.perSelector.length ? [...new Set(summary.perSelector.flatMap((s) => s.events))].sort((a, b) => a - b) : [], title: 'Logged by the selectors' },
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: `Selector dry run: ${summary.logged} of ${summary.total} record(s) would be logged`,
    placeHolder: 'Choose a group to open its records in the record viewer',
  });
  if (!picked?.events) return;
  if (!picked.events.length) {
    void vscode.window.showInformationMessage(safeMessage('No records in this group.'));
    return;
  }
  const none: Origin = { label: '' };
  const args: CombinedRecords = {
    title: picked.title ?? 'Records',
    plan: { sources: [{ kind: 'events', events: picked.events.map((i) => events[i] as JsonObject), origin: (e) => originOf(e) ?? none }] },
  };
  await vscode.commands.executeCommand('cloudtrailLens.openRecords', args);
}
