// Local side of the CloudTrail Lens explorer (works without any AWS account).
//
// Export for the explorer composer: `createLocalSection(context: vscode.ExtensionContext): ExplorerSection`
// (see ../node.ts). Call it once and put its roots first in the tree; dispose it with the extension. It registers
// its own commands:
//   cloudtrailLens.addLogFolder        [uri | uri[] | path string]  add folder(s); with no argument shows a picker
//   cloudtrailLens.removeLogFolder     (folder node | uri)           remove a folder from the list
//   cloudtrailLens.refreshLogFolders   (folder node)?                list the folder(s) again
//   cloudtrailLens.openAllEvents       (node | node id)              combined events of an account/Region/day/"Other files"
//   cloudtrailLens.local.openFile      (uri)                         one file in the record viewer
//   cloudtrailLens.allowLogFolder      (uri, {confirmed}?)            allow scanning a workspace-listed folder outside the workspace
//   cloudtrailLens.local.snapshot      ()                            test hook: the expanded tree as plain data
// When no folder is added the section has no roots, so the view's welcome content (package.json viewsWelcome)
// shows as long as the other sections are empty too; pass { addItemWhenEmpty: true } to show an
// "Add Log Folder…" row instead.
import * as vscode from 'vscode';
import type { ExplorerNode, ExplorerSection } from '../node';
import { log, logError } from '../../common/log';
import { registerCommands } from '../../common/commands';
import { addFolders, FolderConsent, readFolders, removeFolder } from './folders';
import { config } from '../../common/config';
import { Disposable } from '../../common/dispose';
import { warmSharedWorkerPool } from '../../common/worker-pool';
import { openCombined, type OpenSummary } from './open';
import { AddFolderNode, FolderNode, NodeRegistry, isEventsNode, type EventsNode } from './nodes';

export { type OpenSummary } from './open';

export interface LocalSectionOptions {
  /** Show an "Add Log Folder…" row when no folder is added (default false: rely on the view's welcome). */
  addItemWhenEmpty?: boolean;
}

/** Plain-data picture of a node and (expanded) children, returned by `cloudtrailLens.local.snapshot`. */
export interface SnapshotNode {
  id?: string;
  label: string;
  description?: string;
  contextValue?: string;
  resourceUri?: string;
  children?: SnapshotNode[];
  /** The node itself (in-process callers only: tests pass it to node commands as the view would). */
  node?: unknown;
}

class LocalSection extends Disposable implements ExplorerSection {
  private readonly emitter = new vscode.EventEmitter<ExplorerNode | undefined>();
  readonly onDidChange = this.emitter.event;
  private readonly registry = new NodeRegistry();
  private folders: FolderNode[] = [];
  private readonly watchers = new Map<string, vscode.Disposable>();
  private pendingRefresh = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly consent: FolderConsent;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly options: LocalSectionOptions,
  ) {
    super();
    this.consent = new FolderConsent(context.workspaceState);
    this.reload();
    this.register({
      dispose: () => {
        for (const t of this.pendingRefresh.values()) clearTimeout(t);
        this.pendingRefresh.clear();
        for (const w of this.watchers.values()) w.dispose();
        this.watchers.clear();
      },
    });
    this.register(this.emitter);
    this.register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (config.affects(e, 'logFolders')) {
          this.reload();
          this.emitter.fire(undefined);
        }
      }),
    );
    this.register(
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        // Relative entries resolve against the first workspace folder.
        this.reload();
        this.emitter.fire(undefined);
      }),
    );
    this.register(
      registerCommands({
        'cloudtrailLens.addLogFolder': (arg?: unknown) => this.addCommand(arg),
        'cloudtrailLens.removeLogFolder': (arg?: unknown) => this.removeCommand(arg),
        'cloudtrailLens.refreshLogFolders': (arg?: unknown) => this.refresh(arg instanceof FolderNode ? arg : undefined),
        'cloudtrailLens.allowLogFolder': (arg?: unknown, opts?: { confirmed?: boolean }) => this.allowCommand(arg, opts),
        'cloudtrailLens.openAllEvents': (arg?: unknown) => this.openAll(arg),
        'cloudtrailLens.local.openFile': (uri?: unknown) => openFile(uri),
      }),
    );
    // Test hook (registered only under the test harness): the expanded tree as plain data.
    this.register(registerCommands({ 'cloudtrailLens.local.snapshot': () => this.snapshot() }));
  }

  roots(): ExplorerNode[] {
    if (this.folders.length === 0) return this.options.addItemWhenEmpty ? [new AddFolderNode()] : [];
    // A log folder on screen: "Open All Events" is likely next, so the workers start and warm up now, in the background.
    void warmSharedWorkerPool(this.context.extensionPath);
    return this.folders;
  }

  /** Rebuilds the folder list from the setting, keeping cached listings of folders that stay. */
  private reload(): void {
    const old = new Map(this.folders.map((f) => [f.uri.toString(), f]));
    this.folders = readFolders().map((lf) => old.get(lf.uri.toString()) ?? new FolderNode(lf, this.registry, this.consent));
    const keep = new Set(this.folders.map((f) => f.uri.toString()));
    for (const [key, f] of old) if (!keep.has(key)) this.registry.clear(f.id);
    for (const [key, w] of this.watchers) {
      if (!keep.has(key)) {
        w.dispose();
        this.watchers.delete(key);
      }
    }
    for (const f of this.folders) this.watch(f);
  }

  /** New or deleted files refresh the folder (debounced: a sync tool may drop hundreds at once). */
  private watch(folder: FolderNode): void {
    const key = folder.uri.toString();
    if (this.watchers.has(key)) return;
    try {
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder.uri, '**/*'), false, true, false);
      const changed = () => {
        clearTimeout(this.pendingRefresh.get(key));
        this.pendingRefresh.set(
          key,
          setTimeout(() => {
            this.pendingRefresh.delete(key);
            const current = this.folders.find((f) => f.uri.toString() === key);
            if (current) this.refresh(current);
          }, 1500),
        );
      };
      watcher.onDidCreate(changed);
      watcher.onDidDelete(changed);
      this.watchers.set(key, watcher);
    } catch (err) {
      // Some file systems cannot be watched; refresh still works.
      log().debug(`not watching ${key}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  refresh(folder?: FolderNode): void {
    if (folder) {
      folder.invalidate();
      this.emitter.fire(folder);
    } else {
      for (const f of this.folders) f.invalidate();
      this.emitter.fire(undefined);
    }
  }

  private async addCommand(arg: unknown): Promise<number> {
    let uris = toUris(arg);
    if (uris.length === 0) {
      const picked = await vscode.window.showOpenDialog({
        canSelectFiles: false,
        canSelectFolders: true,
        canSelectMany: true,
        openLabel: 'Add Log Folder',
        title: 'Add a folder of CloudTrail logs (the bucket download, AWSLogs, or any folder of log files)',
      });
      uris = picked ?? [];
    }
    if (uris.length === 0) return 0;
    try {
      // Folders the user adds are theirs to scan, wherever they are.
      for (const u of uris) await this.consent.allow(u);
      const added = await addFolders(uris);
      // The configuration event reloads too; doing it here makes the new folder visible at once.
      this.reload();
      this.emitter.fire(undefined);
      if (added === 0) void vscode.window.showInformationMessage('CloudTrail Lens: that folder is already in the list.');
      return added;
    } catch (err) {
      const message = logError('adding log folder', err);
      void vscode.window.showErrorMessage(`CloudTrail Lens: could not save the folder list: ${message}`);
      return 0;
    }
  }

  /** Asks (modal) before a folder listed by the workspace settings and outside the workspace is scanned. */
  private async allowCommand(arg: unknown, opts?: { confirmed?: boolean }): Promise<boolean> {
    const uri = arg instanceof FolderNode ? arg.uri : toUris(arg)[0];
    const folder = uri && this.folders.find((f) => f.uri.toString() === uri.toString());
    if (!folder) return false;
    if (folder.allowed) return true;
    const where = folder.uri.scheme === 'file' ? folder.uri.fsPath : folder.uri.toString();
    const ok =
      opts?.confirmed === true ||
      (await vscode.window.showWarningMessage(
        `This workspace's settings ask CloudTrail Lens to scan a folder outside the workspace: ${where}. Scan it?`,
        { modal: true, detail: 'Scanning lists every file below it (up to 200,000 files, 16 levels). Only allow folders you expect.' },
        'Scan Folder',
      )) === 'Scan Folder';
    if (!ok) return false;
    await this.consent.allow(folder.uri);
    this.refresh(folder);
    return true;
  }

  private async removeCommand(arg: unknown): Promise<boolean> {
    const uri = arg instanceof FolderNode ? arg.uri : toUris(arg)[0];
    if (!uri) {
      const pick = await vscode.window.showQuickPick(
        this.folders.map((f) => ({ label: f.folder.entry, uri: f.uri })),
        { title: 'Remove Log Folder', placeHolder: 'Folder to remove from the CloudTrail Lens explorer' },
      );
      if (!pick) return false;
      return this.removeCommand(pick.uri);
    }
    try {
      const removed = await removeFolder(uri);
      this.reload();
      this.emitter.fire(undefined);
      return removed;
    } catch (err) {
      const message = logError('removing log folder', err);
      void vscode.window.showErrorMessage(`CloudTrail Lens: could not save the folder list: ${message}`);
      return false;
    }
  }

  private async openAll(arg: unknown): Promise<OpenSummary | undefined> {
    const node = typeof arg === 'string' ? this.registry.get(arg) : arg;
    if (!isEventsNode(node)) {
      void vscode.window.showInformationMessage('CloudTrail Lens: choose an account, Region or day in the explorer to open its events.');
      return undefined;
    }
    const target: EventsNode = node;
    return openCombined(this.context, target.title, await target.files());
  }

  /** The whole tree, expanded, as plain data (for integration tests and bug reports). */
  private async snapshot(): Promise<SnapshotNode[]> {
    let budget = 50_000;
    const walk = async (n: ExplorerNode): Promise<SnapshotNode> => {
      budget--;
      const item = await n.getTreeItem();
      const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
      const out: SnapshotNode = { label };
      if (typeof item.id === 'string') out.id = item.id;
      if (typeof item.description === 'string') out.description = item.description;
      if (item.contextValue) out.contextValue = item.contextValue;
      if (item.resourceUri) out.resourceUri = item.resourceUri.toString();
      Object.defineProperty(out, 'node', { value: n, enumerable: false });
      if (n.getChildren && budget > 0) {
        out.children = [];
        for (const c of await n.getChildren()) out.children.push(await walk(c));
      }
      return out;
    };
    const out: SnapshotNode[] = [];
    for (const r of this.roots()) out.push(await walk(r));
    return out;
  }

}

function toUris(arg: unknown): vscode.Uri[] {
  const one = (v: unknown): vscode.Uri | undefined => {
    if (v instanceof vscode.Uri) return v;
    if (typeof v === 'string' && v.trim()) return /^[a-zA-Z][a-zA-Z0-9+.-]+:\/\//.test(v) ? vscode.Uri.parse(v) : vscode.Uri.file(v);
    return undefined;
  };
  const list = Array.isArray(arg) ? arg : [arg];
  return list.map(one).filter((u): u is vscode.Uri => u !== undefined);
}

async function openFile(arg: unknown): Promise<void> {
  const uri = toUris(arg)[0];
  if (!uri) return;
  try {
    await vscode.commands.executeCommand('vscode.openWith', uri, 'cloudtrailLens.viewer');
  } catch (err) {
    // Without the record viewer (or if it refuses the file) the file still opens as text.
    logError(`opening ${uri.toString()} in the record viewer`, err);
    await vscode.commands.executeCommand('vscode.open', uri);
  }
}

/** Creates the local section of the explorer (log folders). See the comment at the top of this file. */
export function createLocalSection(context: vscode.ExtensionContext, options: LocalSectionOptions = {}): ExplorerSection {
  return new LocalSection(context, options);
}
