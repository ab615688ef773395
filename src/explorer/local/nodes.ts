/**
 * Tree nodes of the local side of the explorer: folder → account → Region → day → files, plus "Insights events",
 * "Digest files" and "Other files" groups. Listing is done once per folder (cached until refresh).
 */
import * as vscode from 'vscode';
import type { ExplorerNode } from '../node';
import { scanFolder, type DirEntry, type ScanResult } from '../../core/local/scan';
import { shortFileLabel, type AccountGroup, type DayGroup, type LocalFile, type RegionGroup } from '../../core/local/layout';
import type { FolderConsent, LogFolder } from './folders';
import type { FileRef } from './open';
import { verdictIcon } from '../../integrity/verdict-icons';
import { digestChildren } from '../../integrity/digest-node';

export const CTX = {
  folder: 'cloudtrailLens.localFolder',
  missing: 'cloudtrailLens.localFolderMissing',
  account: 'cloudtrailLens.localAccount',
  region: 'cloudtrailLens.localRegion',
  day: 'cloudtrailLens.localDay',
  insights: 'cloudtrailLens.localInsights',
  digests: 'cloudtrailLens.localDigests',
  other: 'cloudtrailLens.localOther',
  file: 'cloudtrailLens.localFile',
  info: 'cloudtrailLens.localInfo',
} as const;

/** Nodes whose files can be opened together (their events combined). */
export interface EventsNode extends ExplorerNode {
  readonly id: string;
  readonly title: string;
  files(): Promise<FileRef[]>;
}

export function isEventsNode(n: unknown): n is EventsNode {
  return n instanceof AccountNode || n instanceof StreamRegionNode || n instanceof DayNode || n instanceof GroupNode;
}

/** Every node by id, so commands can be called with an id (tests, links) as well as with a node. */
export class NodeRegistry {
  private readonly byId = new Map<string, ExplorerNode & { id: string }>();
  add<T extends ExplorerNode & { id: string }>(n: T): T {
    this.byId.set(n.id, n);
    return n;
  }
  get(id: string): (ExplorerNode & { id: string }) | undefined {
    return this.byId.get(id);
  }
  clear(prefix?: string): void {
    if (prefix === undefined) this.byId.clear();
    else for (const k of [...this.byId.keys()]) if (k.startsWith(prefix)) this.byId.delete(k);
  }
}

const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

function listerFor(root: vscode.Uri) {
  return async (rel: string): Promise<DirEntry[]> => {
    const dir = rel ? vscode.Uri.joinPath(root, ...rel.split('/')) : root;
    const entries = await vscode.workspace.fs.readDirectory(dir);
    return entries.map(([name, type]) => ({
      name,
      type: type & vscode.FileType.Directory ? 'directory' : type & vscode.FileType.File ? 'file' : 'other',
    }));
  };
}

function fileUri(root: vscode.Uri, f: LocalFile): vscode.Uri {
  return vscode.Uri.joinPath(root, ...f.relPath.split('/'));
}

export class FolderNode implements ExplorerNode {
  readonly id: string;
  private scan?: Promise<ScanResult | { error: string }>;

  constructor(
    readonly folder: LogFolder,
    private readonly registry: NodeRegistry,
    private readonly consent?: FolderConsent,
  ) {
    this.id = `local:${folder.uri.toString()}`;
    registry.add(this);
  }

  get uri(): vscode.Uri {
    return this.folder.uri;
  }

  /** Forgets the cached listing; the next expansion lists the folder again. */
  invalidate(): void {
    this.scan = undefined;
    this.registry.clear(`${this.id}|`);
  }

  result(token?: vscode.CancellationToken): Promise<ScanResult | { error: string }> {
    this.scan ??= (async () => {
      try {
        const stat = await vscode.workspace.fs.stat(this.uri);
        if (!(stat.type & vscode.FileType.Directory)) return { error: 'not a folder' };
      } catch (err) {
        return { error: err instanceof vscode.FileSystemError && err.code === 'FileNotFound' ? 'folder not found' : String(err instanceof Error ? err.message : err) };
      }
      return scanFolder(listerFor(this.uri), { rootName: basename(this.uri), isCancelled: () => token?.isCancellationRequested ?? false });
    })();
    const p = this.scan;
    // A cancelled listing is incomplete: do not keep it.
    void p.then((r) => {
      if ('cancelled' in r && r.cancelled && this.scan === p) this.scan = undefined;
    });
    return p;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(basename(this.uri) || this.uri.toString(), vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    // The setting's entry, unless it only repeats the folder's own name.
    const name = basename(this.uri);
    item.description = this.folder.entry.replace(/[\\/]+$/, '') === name ? undefined : this.folder.entry;
    item.tooltip = new vscode.MarkdownString().appendText(`Log folder: ${this.uri.scheme === 'file' ? this.uri.fsPath : this.uri.toString()}`);
    item.iconPath = new vscode.ThemeIcon('folder-library');
    item.contextValue = CTX.folder;
    return item;
  }

  /** Whether the folder may be scanned now (see LogFolder.needsConsent). */
  get allowed(): boolean {
    return !this.folder.needsConsent || (this.consent?.isAllowed(this.uri) ?? false);
  }

  async getChildren(token?: vscode.CancellationToken): Promise<ExplorerNode[]> {
    if (!this.allowed) {
      return [
        new InfoNode(this, 'Not scanned: outside this workspace — click to allow', 'warning', "This folder is listed by the workspace's settings (cloudtrailLens.logFolders) and lies outside the workspace. Click to allow scanning it, or remove it from the list.", {
          command: 'cloudtrailLens.allowLogFolder',
          title: 'Allow Scanning This Folder',
          arguments: [this.uri],
        }),
      ];
    }
    const r = await this.result(token);
    if ('error' in r) {
      return [new InfoNode(this, `Cannot read this folder: ${r.error}`, 'warning', 'Remove it from the list or check that the drive is available, then refresh.')];
    }
    const out: ExplorerNode[] = [];
    for (const a of r.index.accounts) out.push(new AccountNode(this, a, this.registry));
    if (r.index.other.length > 0) out.push(new GroupNode(this, 'other', 'Other files', r.index.other, this.registry));
    if (out.length === 0) {
      out.push(new InfoNode(this, 'No CloudTrail files here', 'info', 'Looked for .json, .json.gz, .jsonl and .gz files in this folder and its subfolders.'));
    }
    if (r.truncated) out.push(new InfoNode(this, 'Listing stopped early (too many files or folders)', 'warning', 'Add a deeper folder (one account or Region) instead.'));
    if (r.errors.length > 0) {
      out.push(new InfoNode(this, plural(r.errors.length, 'subfolder') + ' could not be read', 'warning', r.errors.slice(0, 10).map((e) => `${e.relDir}: ${e.message}`).join('\n')));
    }
    return out;
  }
}

export class AccountNode implements EventsNode {
  readonly id: string;
  readonly title: string;
  constructor(
    readonly parent: FolderNode,
    readonly group: AccountGroup,
    private readonly registry: NodeRegistry,
  ) {
    this.id = `${parent.id}|${group.account}`;
    this.title = `account ${group.account}`;
    registry.add(this);
  }
  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.group.account, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    const org = this.group.orgIds.length ? `${this.group.orgIds.join(', ')} · ` : '';
    item.description = `${org}${plural(this.group.fileCount, 'file')}`;
    item.tooltip = `AWS account ${this.group.account}${this.group.orgIds.length ? ` (organization trail ${this.group.orgIds.join(', ')})` : ''}`;
    item.iconPath = new vscode.ThemeIcon('account');
    item.contextValue = CTX.account;
    return item;
  }
  getChildren(): ExplorerNode[] {
    const out: ExplorerNode[] = this.group.logs.map((r) => new StreamRegionNode(this, 'log', r, this.registry));
    if (this.group.insights.length) out.push(new StreamNode(this, 'insight', this.group.insights, this.registry));
    if (this.group.digests.length) out.push(new StreamNode(this, 'digest', this.group.digests, this.registry));
    return out;
  }
  async files(): Promise<FileRef[]> {
    return refs(this.parent.uri, this.group.logs.flatMap((r) => r.days.flatMap((d) => d.files)));
  }
}

/** "Insights events" or "Digest files" under an account. */
export class StreamNode implements ExplorerNode {
  readonly id: string;
  constructor(
    readonly parent: AccountNode,
    readonly stream: 'insight' | 'digest',
    readonly regions: RegionGroup[],
    private readonly registry: NodeRegistry,
  ) {
    this.id = `${parent.id}|${stream}`;
    registry.add(this);
  }
  getTreeItem(): vscode.TreeItem {
    const digest = this.stream === 'digest';
    const item = new vscode.TreeItem(digest ? 'Digest files' : 'Insights events', vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.description = plural(this.regions.reduce((n, r) => n + r.fileCount, 0), 'file');
    item.tooltip = digest ? 'CloudTrail-Digest: hourly integrity digests listing the SHA-256 of each delivered log file' : 'CloudTrail-Insight: unusual API call rate or error rate events';
    item.iconPath = new vscode.ThemeIcon(digest ? 'verified' : 'lightbulb');
    item.contextValue = digest ? CTX.digests : CTX.insights;
    return item;
  }
  getChildren(): ExplorerNode[] {
    return this.regions.map((r) => new StreamRegionNode(this, this.stream, r, this.registry));
  }
}

export class StreamRegionNode implements EventsNode {
  readonly id: string;
  readonly title: string;
  constructor(
    readonly parent: AccountNode | StreamNode,
    readonly stream: 'log' | 'insight' | 'digest',
    readonly group: RegionGroup,
    private readonly registry: NodeRegistry,
  ) {
    this.id = `${parent.id}|${stream === 'log' ? '' : `${stream}|`}${group.region}`;
    const account = parent instanceof AccountNode ? parent.group.account : parent.parent.group.account;
    this.title = `${account} · ${group.region || 'unknown Region'}${stream === 'insight' ? ' · Insights' : ''}`;
    registry.add(this);
  }
  get folder(): FolderNode {
    return this.parent instanceof AccountNode ? this.parent.parent : this.parent.parent.parent;
  }
  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.group.region || '(unknown Region)', vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    const days = this.group.days.filter((d) => d.day).map((d) => d.day);
    const span = days.length > 1 ? `${days[days.length - 1]} – ${days[0]} · ` : '';
    item.description = `${span}${plural(this.group.fileCount, 'file')}`;
    item.iconPath = new vscode.ThemeIcon('globe');
    item.contextValue = this.stream === 'digest' ? CTX.digests : CTX.region;
    return item;
  }
  getChildren(): ExplorerNode[] {
    return this.group.days.map((d) => new DayNode(this, d, this.registry));
  }
  async files(): Promise<FileRef[]> {
    return refs(this.folder.uri, this.group.days.flatMap((d) => d.files));
  }
}

export class DayNode implements EventsNode {
  readonly id: string;
  readonly title: string;
  constructor(
    readonly parent: StreamRegionNode,
    readonly group: DayGroup,
    private readonly registry: NodeRegistry,
  ) {
    this.id = `${parent.id}|${group.day}`;
    this.title = `${parent.title} · ${group.day || 'undated'}`;
    registry.add(this);
  }
  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.group.day || '(no date)', vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.description = plural(this.group.files.length, 'file');
    item.iconPath = new vscode.ThemeIcon('calendar');
    item.contextValue = this.parent.stream === 'digest' ? CTX.digests : CTX.day;
    return item;
  }
  getChildren(): ExplorerNode[] {
    return this.group.files.map((f) => new FileNode(this, this.parent.folder.uri, f, this.registry));
  }
  async files(): Promise<FileRef[]> {
    return refs(this.parent.folder.uri, this.group.files);
  }
}

/** "Other files": everything that is not in CloudTrail's layout and not named like a CloudTrail file. */
export class GroupNode implements EventsNode {
  readonly id: string;
  readonly title: string;
  constructor(
    readonly parent: FolderNode,
    readonly kind: 'other',
    readonly label: string,
    readonly list: LocalFile[],
    private readonly registry: NodeRegistry,
  ) {
    this.id = `${parent.id}|${kind}`;
    this.title = `${label} in ${basename(parent.uri)}`;
    registry.add(this);
  }
  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.description = plural(this.list.length, 'file');
    item.tooltip = 'Files outside the AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD layout whose names do not follow the CloudTrail pattern';
    item.iconPath = new vscode.ThemeIcon('files');
    item.contextValue = CTX.other;
    return item;
  }
  getChildren(): ExplorerNode[] {
    return this.list.map((f) => new FileNode(this, this.parent.uri, f, this.registry));
  }
  async files(): Promise<FileRef[]> {
    return refs(this.parent.uri, this.list);
  }
}

export class FileNode implements ExplorerNode {
  readonly id: string;
  readonly uri: vscode.Uri;
  constructor(
    readonly parent: DayNode | GroupNode,
    root: vscode.Uri,
    readonly file: LocalFile,
    registry: NodeRegistry,
  ) {
    this.id = `${parent.id}|${file.relPath}`;
    this.uri = fileUri(root, file);
    registry.add(this);
    if (file.category === 'digest') this.getChildren = () => digestChildren(this, this.uri);
  }
  getTreeItem(): vscode.TreeItem {
    const inDay = !(this.parent instanceof GroupNode);
    // Files of one day share a long prefix (account, Region, date): label them by what tells them apart.
    const digest = this.file.category === 'digest';
    const item = new vscode.TreeItem(inDay ? shortFileLabel(this.file.name) : this.file.name, digest ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.resourceUri = this.uri;
    const dir = this.file.relPath.includes('/') ? this.file.relPath.slice(0, this.file.relPath.lastIndexOf('/')) : '';
    item.description = inDay ? this.file.name : dir;
    item.tooltip = this.file.relPath;
    // Integrity verdict (src/integrity), once the folder was validated.
    const v = verdictIcon(this.uri);
    if (v) {
      item.iconPath = v.icon;
      item.description = `${v.label} · ${item.description}`;
      item.tooltip = `${this.file.relPath}\n${v.tooltip}`;
    }
    item.contextValue = CTX.file;
    item.command = { command: 'cloudtrailLens.local.openFile', title: 'Open', arguments: [this.uri] };
    return item;
  }
  /** Digest files list the log files they cover (src/integrity/digest-node.ts); other files are leaves. */
  readonly getChildren?: () => Promise<ExplorerNode[]>;
}

/** A message row (empty folder, unreadable folder, listing cut short). */
export class InfoNode implements ExplorerNode {
  constructor(
    readonly parent: ExplorerNode,
    readonly label: string,
    readonly icon: 'info' | 'warning',
    readonly detail: string,
    readonly command?: vscode.Command,
  ) {}
  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.None);
    item.tooltip = this.detail;
    item.command = this.command;
    item.iconPath = new vscode.ThemeIcon(this.icon, new vscode.ThemeColor(this.icon === 'warning' ? 'problemsWarningIcon.foreground' : 'problemsInfoIcon.foreground'));
    item.contextValue = CTX.info;
    return item;
  }
}

/** Shown when no folder was added and the section is asked to show a starting point (see createLocalSection). */
export class AddFolderNode implements ExplorerNode {
  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('Add Log Folder…', vscode.TreeItemCollapsibleState.None);
    item.tooltip = 'Add a folder of downloaded CloudTrail logs (AWSLogs/…) to browse it by account, Region and day';
    item.iconPath = new vscode.ThemeIcon('new-folder');
    item.command = { command: 'cloudtrailLens.addLogFolder', title: 'Add Log Folder…' };
    return item;
  }
}

function refs(root: vscode.Uri, files: readonly LocalFile[]): FileRef[] {
  return files.map((f) => ({ uri: fileUri(root, f), name: f.relPath }));
}

function basename(uri: vscode.Uri): string {
  const p = uri.path.replace(/\/+$/, '');
  return p.slice(p.lastIndexOf('/') + 1);
}
