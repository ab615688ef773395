/**
 * Children of a digest file in the log-folder tree: "N log files" and each listed object's file name, which opens
 * the local copy (when it is there) and shows its integrity verdict once the folder was validated.
 */
import * as vscode from 'vscode';
import type { ExplorerNode } from '../explorer/node';
import { readDigestListing } from '../core/integrity/digest-listing';
import { verdictIcon } from './verdict-icons';

class ListedLogNode implements ExplorerNode {
  constructor(
    readonly parent: ExplorerNode,
    readonly name: string,
    readonly s3: string,
    readonly uri: vscode.Uri | undefined,
    readonly present: boolean,
  ) {}
  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.name, vscode.TreeItemCollapsibleState.None);
    item.tooltip = `s3://${this.s3}`;
    const v = this.uri && verdictIcon(this.uri);
    if (v) {
      item.iconPath = v.icon;
      item.description = v.label;
      item.tooltip = `s3://${this.s3}\n${v.tooltip}`;
    } else if (!this.present) {
      item.iconPath = new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('problemsWarningIcon.foreground'));
      item.description = 'not in this folder';
    } else item.iconPath = new vscode.ThemeIcon('file');
    item.contextValue = 'cloudtrailLens.digestListedFile';
    if (this.present && this.uri) item.command = { command: 'cloudtrailLens.local.openFile', title: 'Open', arguments: [this.uri] };
    return item;
  }
}

class MessageNode implements ExplorerNode {
  constructor(
    readonly parent: ExplorerNode,
    readonly label: string,
    readonly icon: string,
  ) {}
  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.None);
    item.iconPath = new vscode.ThemeIcon(this.icon);
    item.contextValue = 'cloudtrailLens.localInfo';
    return item;
  }
}

/** Reads the digest and lists what it covers. Never throws: problems become a message row. */
export async function digestChildren(parent: ExplorerNode, digest: vscode.Uri): Promise<ExplorerNode[]> {
  let bytes: Uint8Array;
  try {
    bytes = await vscode.workspace.fs.readFile(digest);
  } catch (e) {
    return [new MessageNode(parent, `Cannot read this digest: ${(e as Error).message}`, 'warning')];
  }
  // The listing is resolved against the digest's own account folder (…/CloudTrail-Digest/… → …/CloudTrail/…).
  const l = readDigestListing(bytes, digest.path);
  if ('error' in l) return [new MessageNode(parent, `Not a readable digest: ${l.error}`, 'warning')];
  const out: ExplorerNode[] = [new MessageNode(parent, `${l.logFiles.length} log file${l.logFiles.length === 1 ? '' : 's'}${l.startTime ? ` · ${l.startTime} – ${l.endTime}` : ''}`, 'list-unordered')];
  for (const f of l.logFiles) {
    const uri = f.localRel ? digest.with({ path: f.localRel }) : undefined;
    let present = false;
    if (uri) {
      try {
        await vscode.workspace.fs.stat(uri);
        present = true;
      } catch {
        present = false;
      }
    }
    out.push(new ListedLogNode(parent, f.name, `${f.s3Bucket}/${f.s3Object}`, uri, present));
  }
  return out;
}
