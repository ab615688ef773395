/** Showing AWS data: in the record viewer (`cloudtrailLens.openRecords`) or as untitled JSON documents. */
import * as vscode from 'vscode';
import { log } from '../../common/log';
import type { CombinedRecords, IngestSource } from '../../core/ingest/ingest';
import type { Origin } from '../../core/ingest/origins';
import type { JsonObject } from '../../core/records/types';

export interface OpenRecordsArgs {
  /** The tab title: what is shown (e.g. `Recent events · default · us-east-1 · 250 events`). */
  title: string;
  events: object[];
  /** Where each event came from (the Source column and the detail header). */
  origin?: Origin | ((event: JsonObject) => Origin);
}

/** Opens records in the record viewer (a combined view of in-memory events); falls back to a JSON document. */
export async function openInViewer(args: OpenRecordsArgs): Promise<void> {
  const source: IngestSource = { kind: 'events', events: args.events as JsonObject[], origin: args.origin };
  await openPlan({ title: args.title, plan: { sources: [source] } }, () => ({ Records: args.events }));
}

/** Opens one log file's bytes (an S3 object that could not be kept as a file) in the record viewer. */
export async function openBytesInViewer(name: string, bytes: Uint8Array): Promise<void> {
  await openPlan({ title: name, plan: { sources: [{ kind: 'bytes', name, bytes }] } }, () => ({ note: `${name} could not be shown: the record viewer is not available.` }));
}

async function openPlan(args: CombinedRecords, fallback: () => unknown): Promise<void> {
  const commands = await vscode.commands.getCommands(true);
  if (commands.includes('cloudtrailLens.openRecords')) {
    await vscode.commands.executeCommand('cloudtrailLens.openRecords', args);
    return;
  }
  log().warn('cloudtrailLens.openRecords is not available; showing the records as JSON');
  await openJson(fallback());
}

/**
 * The origin of a LookupEvents record: its Region and account (`us-east-1 · 123456789012`), one object per
 * label so that runs of events from one account share it.
 */
export function regionAccountOrigin(defaultRegion: string): (event: JsonObject) => Origin {
  const known = new Map<string, Origin>();
  return (e) => {
    const region = typeof e.awsRegion === 'string' ? e.awsRegion : defaultRegion;
    const identity = e.userIdentity && typeof e.userIdentity === 'object' && !Array.isArray(e.userIdentity) ? (e.userIdentity as JsonObject) : undefined;
    const account = typeof e.recipientAccountId === 'string' ? e.recipientAccountId : typeof identity?.accountId === 'string' ? identity.accountId : 'unknown account';
    const label = `${region} · ${account}`;
    let o = known.get(label);
    if (!o) known.set(label, (o = { label, description: `LookupEvents in ${region}, account ${account}` }));
    return o;
  };
}

/** An untitled JSON document (the hovers and selector tooling attach to it). */
export async function openJson(value: unknown): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument({ language: 'json', content: JSON.stringify(value, null, 2) + '\n' });
  return vscode.window.showTextDocument(doc, { preview: false });
}
