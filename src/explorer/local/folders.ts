/**
 * The list of added log folders, kept in the `cloudtrailLens.logFolders` setting so a team can commit it in
 * .vscode/settings.json. Entries are paths relative to the first workspace folder, absolute paths, `~/…`, or URIs
 * (for remote and virtual file systems).
 */
import * as vscode from 'vscode';
import * as os from 'node:os';
import * as path from 'node:path';

export const FOLDERS_SETTING = 'logFolders';
const SECTION = 'cloudtrailLens';

export interface LogFolder {
  /** The entry exactly as written in the setting (used to remove it again). */
  entry: string;
  uri: vscode.Uri;
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
  const list = vscode.workspace.getConfiguration(SECTION).get<unknown>(FOLDERS_SETTING);
  const out: LogFolder[] = [];
  const seen = new Set<string>();
  for (const entry of Array.isArray(list) ? list : []) {
    if (typeof entry !== 'string') continue;
    const uri = resolveEntry(entry);
    if (!uri || seen.has(uri.toString())) continue;
    seen.add(uri.toString());
    out.push({ entry, uri });
  }
  return out;
}

function target(): vscode.ConfigurationTarget {
  // With a workspace open the list belongs to it (and can be shared); otherwise it is the user's own.
  return vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
}

/** Adds folders (skipping ones already present); returns how many were new. */
export async function addFolders(uris: readonly vscode.Uri[]): Promise<number> {
  const config = vscode.workspace.getConfiguration(SECTION);
  const current = config.get<unknown>(FOLDERS_SETTING);
  // Start from the effective list so adding to the workspace never hides folders the user had globally.
  const entries = (Array.isArray(current) ? current : []).filter((e): e is string => typeof e === 'string');
  const known = new Set(entries.map((e) => resolveEntry(e)?.toString()));
  let added = 0;
  for (const uri of uris) {
    if (known.has(uri.toString())) continue;
    known.add(uri.toString());
    entries.push(entryFor(uri));
    added++;
  }
  if (added > 0) await config.update(FOLDERS_SETTING, entries, target());
  return added;
}

/** Removes a folder from every settings level that lists it. */
export async function removeFolder(uri: vscode.Uri): Promise<boolean> {
  const config = vscode.workspace.getConfiguration(SECTION);
  const inspected = config.inspect<unknown>(FOLDERS_SETTING);
  const key = uri.toString();
  let removed = false;
  const levels: [unknown, vscode.ConfigurationTarget][] = [
    [inspected?.workspaceValue, vscode.ConfigurationTarget.Workspace],
    [inspected?.globalValue, vscode.ConfigurationTarget.Global],
  ];
  for (const [value, level] of levels) {
    if (!Array.isArray(value)) continue;
    const kept = value.filter((e) => typeof e !== 'string' || resolveEntry(e)?.toString() !== key);
    if (kept.length === value.length) continue;
    await config.update(FOLDERS_SETTING, kept, level);
    removed = true;
  }
  return removed;
}
