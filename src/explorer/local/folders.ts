/**
 * The list of added log folders, kept in the `cloudtrailLens.logFolders` setting so a team can commit it in
 * .vscode/settings.json. Entries are paths relative to the first workspace folder, absolute paths, `~/…`, or URIs
 * (for remote and virtual file systems).
 */
import * as vscode from 'vscode';
import * as os from 'node:os';
import * as path from 'node:path';
import { config } from '../../common/config';

export const FOLDERS_SETTING = 'logFolders';

export interface LogFolder {
  /** The entry exactly as written in the setting (used to remove it again). */
  entry: string;
  uri: vscode.Uri;
  /**
   * Listed only by the workspace's settings (a cloned repository's .vscode/settings.json) and outside every
   * workspace folder: scanned only after the user allows it (FolderConsent). Untrusted workspaces never get here:
   * the setting is restricted there, so VS Code ignores its workspace value.
   */
  needsConsent: boolean;
}

/** Whether `uri` is one of the workspace folders or below one. */
function insideWorkspace(uri: vscode.Uri): boolean {
  return (vscode.workspace.workspaceFolders ?? []).some((w) => {
    if (w.uri.scheme !== uri.scheme || w.uri.authority !== uri.authority) return false;
    const rel = path.posix.relative(w.uri.path, uri.path);
    return rel === '' || (!rel.startsWith('..') && !path.posix.isAbsolute(rel));
  });
}

/** Outside-the-workspace folders the user allowed to be scanned, remembered per workspace. */
export class FolderConsent {
  private static readonly KEY = 'cloudtrailLens.allowedLogFolders';
  constructor(private readonly state: vscode.Memento) {}
  isAllowed(uri: vscode.Uri): boolean {
    return this.state.get<string[]>(FolderConsent.KEY, []).includes(uri.toString());
  }
  async allow(uri: vscode.Uri): Promise<void> {
    const list = this.state.get<string[]>(FolderConsent.KEY, []);
    if (!list.includes(uri.toString())) await this.state.update(FolderConsent.KEY, [...list, uri.toString()]);
  }
}

/** A URI with a scheme (`s3:`, `vscode-remote:` …) — but not a Windows drive letter such as `C:\`. */
const URI_LIKE = /^[a-zA-Z][a-zA-Z0-9+.-]+:/;

export function resolveEntry(entry: string): vscode.Uri | undefined {
  const text = entry.trim();
  if (!text) return undefined;
  if (URI_LIKE.test(text)) {
    try {
      return vscode.Uri.parse(text, true);
    } catch {
      return undefined;
    }
  }
  if (text === '~' || text.startsWith('~/') || text.startsWith('~\\')) return vscode.Uri.file(path.join(os.homedir(), text.slice(1)));
  if (path.isAbsolute(text)) return vscode.Uri.file(text);
  const base = vscode.workspace.workspaceFolders?.[0]?.uri;
  return base ? vscode.Uri.joinPath(base, ...text.split(/[\\/]+/)) : undefined;
}

/** The entry to store for a folder: relative to the workspace when inside it, else a path or URI. */
export function entryFor(uri: vscode.Uri): string {
  const ws = vscode.workspace.getWorkspaceFolder(uri);
  if (ws && vscode.workspace.workspaceFolders?.[0] === ws) {
    const rel = path.posix.relative(ws.uri.path, uri.path);
    if (rel && !rel.startsWith('..')) return rel;
  }
  return uri.scheme === 'file' ? uri.fsPath : uri.toString();
}

export function readFolders(): LogFolder[] {
  const list = config.logFolders();
  const levels = config.logFoldersByLevel();
  const userEntries = new Set(Array.isArray(levels.global) ? levels.global : []);
  const out: LogFolder[] = [];
  const seen = new Set<string>();
  for (const entry of list) {
    const uri = resolveEntry(entry);
    if (!uri || seen.has(uri.toString())) continue;
    seen.add(uri.toString());
    out.push({ entry, uri, needsConsent: !userEntries.has(entry) && !insideWorkspace(uri) });
  }
  return out;
}

function target(): vscode.ConfigurationTarget {
  // With a workspace open the list belongs to it (and can be shared); otherwise it is the user's own.
  return vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
}

/** Adds folders (skipping ones already present); returns how many were new. */
export async function addFolders(uris: readonly vscode.Uri[]): Promise<number> {
  // Start from the effective list so adding to the workspace never hides folders the user had globally.
  const entries = config.logFolders();
  const known = new Set(entries.map((e) => resolveEntry(e)?.toString()));
  let added = 0;
  for (const uri of uris) {
    if (known.has(uri.toString())) continue;
    known.add(uri.toString());
    entries.push(entryFor(uri));
    added++;
  }
  if (added > 0) await config.update('logFolders', entries, target());
  return added;
}

/** Removes a folder from every settings level that lists it. */
export async function removeFolder(uri: vscode.Uri): Promise<boolean> {
  const inspected = config.logFoldersByLevel();
  const key = uri.toString();
  let removed = false;
  const levels: [unknown, vscode.ConfigurationTarget][] = [
    [inspected.workspace, vscode.ConfigurationTarget.Workspace],
    [inspected.global, vscode.ConfigurationTarget.Global],
  ];
  for (const [value, level] of levels) {
    if (!Array.isArray(value)) continue;
    const kept = value.filter((e) => typeof e !== 'string' || resolveEntry(e)?.toString() !== key);
    if (kept.length === value.length) continue;
    await config.update('logFolders', kept.filter((e): e is string => typeof e === 'string'), level);
    removed = true;
  }
  return removed;
}
