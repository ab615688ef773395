/**
 * "Download Trail Logs…" on a trail in the AWS explorer: pick a time range (and the accounts/Regions of an
 * organization or multi-Region trail) and a folder; the trail's log and digest files are fetched from S3 into it
 * in the bucket's AWSLogs layout, with each digest's metadata sidecar and the Regions' public keys
 * (src/core/integrity/download.ts). Resumable (files already there are skipped), with progress and cancel; the
 * folder is then added to the log folders. Only reads from AWS.
 */
import * as vscode from 'vscode';
import { createCloudTrailClient, createS3Client, type AwsTarget } from '../core/aws/sdk';
import { downloadObjects, KeyRing, listAccounts, listOrganizations, listRegions, planDownload, saveKeys, type DownloadResult } from '../core/integrity';
import { listPublicKeys } from '../core/integrity/keys-online';
import { log } from '../common/log';
import { openDialog, quickPick, withProgress } from './prompts';

interface TrailArg {
  target: AwsTarget;
  trail: { name: string; bucket?: string; keyPrefix?: string; organization?: boolean; homeRegion?: string };
}

export interface DownloadOptions {
  dest?: string;
  start?: string;
  end?: string;
  accounts?: string[];
  regions?: string[];
  /** Tests: don't add the folder to the log folders. */
  noAdd?: boolean;
}

export interface DownloadSummary extends DownloadResult {
  dest: string;
  planned: number;
  keysFile?: string;
  keyErrors: string[];
}

const HOUR = 3600_000;

function isTrailArg(a: unknown): a is TrailArg {
  const t = a as TrailArg;
  return !!t && typeof t === 'object' && !!t.target && typeof t.target.region === 'string' && !!t.trail && typeof t.trail.name === 'string';
}

async function pickMany(items: string[], title: string, preset?: string[]): Promise<string[] | undefined> {
  if (preset) return items.filter((i) => preset.includes(i));
  if (items.length <= 1) return items;
  const picked = await quickPick(
    items.map((label) => ({ label, picked: true })),
    { title, canPickMany: true },
  );
  return picked?.map((p) => p.label);
}

export async function downloadTrailCommand(arg: unknown, o: DownloadOptions = {}): Promise<DownloadSummary | undefined> {
  if (!isTrailArg(arg)) {
    void vscode.window.showInformationMessage('CloudTrail Lens: choose a trail in the AWS part of the CloudTrail Lens explorer, then "Download Trail Logs…".');
    return undefined;
  }
  const { target, trail } = arg;
  if (!trail.bucket) throw new Error(`trail ${trail.name} has no S3 bucket configured`);
  // Time range.
  let start: Date;
  let end: Date;
  if (o.start || o.end) {
    start = new Date(o.start ?? 0);
    end = new Date(o.end ?? Date.now());
    if (isNaN(start.getTime()) || isNaN(end.getTime()) || start > end) throw new Error(`invalid time range ${o.start} – ${o.end}`);
  } else {
    const ranges = [
      { label: 'Last 24 hours', hours: 24 },
      { label: 'Last 7 days', hours: 24 * 7 },
      { label: 'Last 30 days', hours: 24 * 30 },
      { label: 'Last 90 days', hours: 24 * 90 },
    ];
    const r = await quickPick(ranges, { title: `Download logs of trail ${trail.name}: time range` });
    if (!r) return undefined;
    end = new Date();
    start = new Date(end.getTime() - r.hours * HOUR);
  }
  const s3 = await createS3Client(target, { maxAttempts: 3 });
  try {
    const loc = { bucket: trail.bucket, keyPrefix: trail.keyPrefix };
    let orgId: string | undefined;
    if (trail.organization) {
      const orgs = await listOrganizations(s3, loc);
      orgId = orgs[0];
    }
    const where = { ...loc, orgId };
    const accounts = await pickMany(await listAccounts(s3, where), 'Accounts to download', o.accounts);
    if (!accounts?.length) {
      if (!o.accounts) void vscode.window.showInformationMessage(`CloudTrail Lens: no account folders under s3://${trail.bucket}/${trail.keyPrefix ?? ''} (nothing delivered yet?).`);
      return undefined;
    }
    const allRegions = [...new Set((await Promise.all(accounts.map((a) => listRegions(s3, where, a)))).flat())].sort();
    const regions = await pickMany(allRegions, 'Regions to download', o.regions);
    if (!regions?.length) return undefined;
    let dest = o.dest;
    if (!dest) {
      const picked = await openDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: 'Download Here', title: 'Folder to download the trail logs into (the AWSLogs layout is kept)' });
      if (!picked?.[0]) return undefined;
      dest = picked[0].fsPath;
    }
    const destDir = dest;
    const summary = await withProgress(
      `Downloading trail ${trail.name}`,
      async (progress, token) => {
        const ac = new AbortController();
        const sub = token.onCancellationRequested(() => ac.abort());
        try {
          progress.report({ message: 'listing objects…' });
          const plan = await planDownload(s3, { ...where, accounts, regions, start, end }, ac.signal);
          let last = 0;
          const res = await downloadObjects(s3, trail.bucket!, plan, destDir, {
            signal: ac.signal,
            onProgress: (done, total) => {
              const pct = (done / total) * 100;
              if (pct - last >= 1 || done === total) {
                progress.report({ increment: pct - last, message: `${done}/${total} files` });
                last = pct;
              }
            },
          });
          // Public keys of each Region that has digests, for the range (and a little around it).
          const keys = new KeyRing();
          const keyErrors: string[] = [];
          if (!res.cancelled) {
            for (const region of res.digestRegions) {
              try {
                const ct = await createCloudTrailClient({ ...target, region }, { maxAttempts: 2, requestTimeoutMs: 15000 });
                try {
                  for (const e of (await listPublicKeys(ct, region, { start: new Date(start.getTime() - 2 * HOUR), end: new Date(end.getTime() + 3 * HOUR) })).entries()) keys.add(e);
                } finally {
                  ct.destroy();
                }
              } catch (e) {
                keyErrors.push(`ListPublicKeys in ${region}: ${(e as Error).message}`);
              }
            }
          }
          const keysFile = keys.size ? saveKeys(destDir, keys) : undefined;
          return { ...res, dest: destDir, planned: plan.length, keysFile, keyErrors };
        } finally {
          sub.dispose();
        }
      },
    );
    for (const e of summary.keyErrors) log().warn(`download: ${e}`);
    for (const f of summary.failed.slice(0, 50)) log().warn(`download: ${f.key}: ${f.error}`);
    log().info(`download of trail ${trail.name} into ${summary.dest}: ${summary.downloaded} downloaded, ${summary.skipped} already there, ${summary.failed.length} failed${summary.cancelled ? ' (cancelled)' : ''}`);
    if (!o.noAdd) await vscode.commands.executeCommand('cloudtrailLens.addLogFolder', vscode.Uri.file(summary.dest));
    if (!o.dest) {
      const msg = `CloudTrail Lens: ${summary.cancelled ? 'download cancelled after' : 'downloaded'} ${summary.downloaded} files (${summary.skipped} already there${summary.failed.length ? `, ${summary.failed.length} failed — run again to retry` : ''})${summary.keyErrors.length ? '; public keys could not be fetched (see the log)' : ''}.`;
      void vscode.window.showInformationMessage(msg, 'Validate Log Integrity').then((a) => {
        if (a) void vscode.commands.executeCommand('cloudtrailLens.validateIntegrity', vscode.Uri.file(summary.dest));
      });
    }
    return summary;
  } finally {
    s3.destroy();
  }
}
