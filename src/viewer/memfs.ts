/**
 * A read-only file system for what the viewer generates: combined record lists (`cloudtrailLens.openRecords`),
 * snapshots of unsaved text and the decompressed text of `.json.gz` files ("Open as JSON"). Giving them real URIs
 * lets the custom editor, text editors and the JSON hovers treat them like files, while nobody can edit or save
 * them by mistake.
 *
 * A combined record list is a *generated* entry: it holds what to show (a payload the record viewer ingests:
 * src/viewer/records.ts) and no text. Its `{"Records":[…]}` text is produced only when something reads the file
 * (the user asked for "Open as JSON", or reopened it as text); `materialised` counts how often that happened.
 */
import * as vscode from 'vscode';

export const SCHEME = 'cloudtrail-lens';

/** Keep at most this many generated files; the oldest ones not open anywhere are dropped first. */
const MAX_FILES = 64;

interface Entry {
  /** The file's bytes; absent for a generated entry until something reads it. */
  data?: Uint8Array;
  mtime: number;
  /** What a generated entry shows (for the record viewer). */
  payload?: unknown;
  /** Makes a generated entry's text (set by whoever shows it). */
  produce?: () => string | Promise<string>;
}

export class GeneratedFiles implements vscode.FileSystemProvider {
  private readonly files = new Map<string, Entry>();
  /** How many generated texts were produced (read) so far. */
  materialised = 0;
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;
  private counter = 0;

  /** Stores `text` under a fresh URI ending in `name` and returns it. */
  add(folder: string, name: string, text: string): vscode.Uri {
    return this.put(folder, name, { data: new TextEncoder().encode(text), mtime: Date.now() });
  }

  /** A generated entry: `payload` says what to show; no text exists until setProducer's function is read. */
  addGenerated(folder: string, name: string, payload: unknown): vscode.Uri {
    return this.put(folder, name, { payload, mtime: Date.now() });
  }

  /** The payload of a generated entry. */
  payload(uri: vscode.Uri): unknown {
    return this.files.get(uri.path)?.payload;
  }

  /** How a generated entry's text is made when something reads the file. */
  setProducer(uri: vscode.Uri, produce: () => string | Promise<string>): void {
    const f = this.files.get(uri.path);
    if (f && !f.data) f.produce = produce;
  }

  private put(folder: string, name: string, entry: Entry): vscode.Uri {
    const safe = name.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '_').slice(0, 120) || 'records.json';
    const uri = vscode.Uri.from({ scheme: SCHEME, path: `/${folder}/${++this.counter}/${safe}` });
    this.files.set(uri.path, entry);
    this.evict();
    return uri;
  }

  has(uri: vscode.Uri): boolean {
    return this.files.has(uri.path);
  }

  /** Drops generated text that nothing shows any more. */
  forget(uri: vscode.Uri): void {
    this.files.delete(uri.path);
  }

  private evict(): void {
    if (this.files.size <= MAX_FILES) return;
    const open = new Set(vscode.workspace.textDocuments.filter((d) => d.uri.scheme === SCHEME).map((d) => d.uri.path));
    for (const tab of vscode.window.tabGroups.all.flatMap((g) => g.tabs)) {
      const input = tab.input as { uri?: vscode.Uri } | undefined;
      if (input?.uri?.scheme === SCHEME) open.add(input.uri.path);
    }
    for (const path of this.files.keys()) {
      if (this.files.size <= MAX_FILES) break;
      if (!open.has(path)) this.files.delete(path);
    }
  }

  // FileSystemProvider
  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }
  stat(uri: vscode.Uri): vscode.FileStat {
    const f = this.files.get(uri.path);
    if (f) return { type: vscode.FileType.File, ctime: f.mtime, mtime: f.mtime, size: f.data?.length ?? 0, permissions: vscode.FilePermission.Readonly };
    if ([...this.files.keys()].some((p) => p.startsWith(uri.path.endsWith('/') ? uri.path : uri.path + '/'))) {
      return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0 };
    }
    throw vscode.FileSystemError.FileNotFound(uri);
  }
  readDirectory(uri: vscode.Uri): [string, vscode.FileType][] {
    const prefix = uri.path.endsWith('/') ? uri.path : uri.path + '/';
    const out = new Map<string, vscode.FileType>();
    for (const p of this.files.keys()) {
      if (!p.startsWith(prefix)) continue;
      const rest = p.slice(prefix.length).split('/');
      out.set(rest[0], rest.length > 1 ? vscode.FileType.Directory : vscode.FileType.File);
    }
    return [...out];
  }
  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const f = this.files.get(uri.path);
    if (!f) throw vscode.FileSystemError.FileNotFound(uri);
    if (f.data) return f.data;
    if (!f.produce) throw vscode.FileSystemError.Unavailable(`${uri.path.split('/').pop()} is not ready yet; try again once the record viewer shows it.`);
    const text = await f.produce();
    this.materialised++;
    // Kept while the entry lives: a text editor and the JSON language features read it again.
    f.data = new TextEncoder().encode(text);
    f.mtime = Date.now();
    return f.data;
  }
  createDirectory(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }
  writeFile(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }
  rename(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }
  delete(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }
  dispose(): void {
    this.changed.dispose();
    this.files.clear();
  }
}
