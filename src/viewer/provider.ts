/**
 * The custom editor provider: creates a ViewerDocument per resource and a ViewerSession per webview, keeps the
 * per-resource view state, and implements "Open as JSON/text".
 */
import { safeMessage as safe } from '../core/userText';
import * as vscode from 'vscode';
import { gunzipAsync } from '../core/records/gunzip';
import { config } from '../common/config';
import { logError } from '../common/log';
import { Disposable } from '../common/dispose';
import { ViewerDocument } from './document';
import { ViewerSession, type SessionHost } from './session';
import { mediaRoot, viewerHtml } from './html';
import { GeneratedFiles, SCHEME } from './memfs';
import type { ViewState } from '../protocol/protocol';
import { ParsePool } from '../core/local/pool';
import { sharedWorkerPool } from '../common/worker-pool';
import type { CombinedRecords } from './records';

export const VIEW_TYPE = 'cloudtrailLens.viewer';
const STATE_KEY = 'cloudtrailLens.viewer.state';
/** Remember the view state of this many resources (most recently used). */
const STATE_LIMIT = 100;

export class ViewerProvider extends Disposable implements vscode.CustomReadonlyEditorProvider<ViewerDocument>, SessionHost {
  private readonly sessions = new Set<ViewerSession>();
  private active: ViewerSession | undefined;
  private readonly activeChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeActive = this.activeChanged.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    readonly generated: GeneratedFiles,
  ) {
    super();
    this.register(this.activeChanged);
  }

  get activeSession(): ViewerSession | undefined {
    return this.active;
  }

  openCustomDocument(uri: vscode.Uri): ViewerDocument {
    // A combined record list (cloudtrailLens.openRecords) is a generated URI whose entry holds what to show.
    const combined = uri.scheme === SCHEME ? (this.generated.payload(uri) as CombinedRecords | undefined) : undefined;
    const workers = sharedWorkerPool(this.context.extensionPath);
    const doc = new ViewerDocument(uri, workers, combined && { ...combined, pool: () => new ParsePool(workers) });
    // Its JSON text exists only when something reads the file ("Open as JSON").
    if (combined) this.generated.setProducer(uri, () => doc.jsonText());
    doc.load();
    return doc;
  }

  resolveCustomEditor(doc: ViewerDocument, panel: vscode.WebviewPanel): void {
    panel.webview.options = { enableScripts: true, localResourceRoots: [mediaRoot(this.context.extensionUri)] };
    panel.webview.html = viewerHtml(panel.webview, this.context.extensionUri, doc.displayName);
    // A combined view's tab names what was combined (its URI's name) and carries the CloudTrail Lens icon.
    if (doc.isCombined) panel.iconPath = vscode.Uri.joinPath(this.context.extensionUri, 'media', 'icon.png');
    const session = new ViewerSession(doc, panel, this);
    this.sessions.add(session);
    const setActive = () => {
      if (panel.active) this.active = session;
      else if (this.active === session) this.active = undefined;
      this.activeChanged.fire();
    };
    setActive();
    const sub = panel.onDidChangeViewState(setActive);
    panel.onDidDispose(() => {
      sub.dispose();
      this.sessions.delete(session);
      if (this.active === session) this.active = undefined;
      this.activeChanged.fire();
      session.dispose();
      this.forgetGenerated(doc.uri);
    });
  }

  /** Generated text (in-memory records) is dropped once no editor shows it any more. */
  private forgetGenerated(uri: vscode.Uri): void {
    if (uri.scheme !== SCHEME) return;
    const stillShown =
      [...this.sessions].some((s) => s.doc.uri.toString() === uri.toString()) ||
      vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString());
    if (!stillShown) this.generated.forget(uri);
  }

  // -- SessionHost

  savedState(uri: vscode.Uri): ViewState | undefined {
    const all = this.context.workspaceState.get<Record<string, ViewState>>(STATE_KEY) ?? {};
    return Object.prototype.hasOwnProperty.call(all, uri.toString()) ? all[uri.toString()] : undefined;
  }

  saveState(uri: vscode.Uri, state: ViewState): void {
    if (uri.scheme === SCHEME) return; // generated content does not survive a reload anyway
    const all = { ...(this.context.workspaceState.get<Record<string, ViewState>>(STATE_KEY) ?? {}) };
    const key = uri.toString();
    delete all[key];
    all[key] = state; // re-insert: most recent last
    const keys = Object.keys(all);
    for (const k of keys.slice(0, Math.max(0, keys.length - STATE_LIMIT))) delete all[k];
    void this.context.workspaceState.update(STATE_KEY, all);
  }

  async openAsText(doc: ViewerDocument, line?: number): Promise<void> {
    try {
      let uri = doc.uri;
      if (doc.gzipped && !doc.isCombined) {
        // Text editors cannot show gzip: show the decompressed text as a read-only JSON document.
        const bytes = await vscode.workspace.fs.readFile(doc.uri);
        // Native zlib off this thread; a damaged, cut or oversized stream shows its readable part and says why.
        const { bytes: plain, error } = await gunzipAsync(bytes, { maxBytes: config.maxDecompressedBytes() });
        if (error) void vscode.window.showWarningMessage(safe(`CloudTrail Lens: ${error.message}. Showing the part that could be read.`));
        const name = doc.displayName.replace(/\.gz$/i, '') || 'decompressed.json';
        uri = this.generated.add('decompressed', /\.jsonl?$/i.test(name) ? name : `${name}.json`, new TextDecoder().decode(plain));
      }
      const options: vscode.TextDocumentShowOptions = { preview: false };
      if (line && line > 0) options.selection = new vscode.Range(line - 1, 0, line - 1, 0);
      // A combined list's JSON is made now, from the table (memfs.ts), once every record is in.
      let text = await vscode.workspace.openTextDocument(uri);
      if (doc.isCombined && text.languageId !== 'json') text = await vscode.languages.setTextDocumentLanguage(text, 'json');
      await vscode.window.showTextDocument(text, options);
    } catch (err) {
      void vscode.window.showErrorMessage(safe(`CloudTrail Lens: could not open the file as text: ${logError('viewer: open as text', err)}`));
    }
  }

  async openSource(doc: ViewerDocument, index: number): Promise<void> {
    const at = doc.origins.at(index);
    if (!at?.origin.file) {
      void vscode.window.showInformationMessage(safe(`CloudTrail Lens: record ${index + 1} came from ${at?.origin.label ?? 'memory'}, not from a file.`));
      return;
    }
    const file = at.origin.file;
    const uri = /^[a-z][\w+.-]*:/i.test(file) && !/^[a-z]:[\\/]/i.test(file) ? vscode.Uri.parse(file) : vscode.Uri.file(file);
    await vscode.commands.executeCommand('vscode.openWith', uri, VIEW_TYPE, { preview: false });
    // The file's viewer parses it the same way: the record is at the same position among the file's records.
    const session = [...this.sessions].find((s) => s.doc.uri.toString() === uri.toString() && s.panel.active) ?? [...this.sessions].find((s) => s.doc.uri.toString() === uri.toString());
    await session?.reveal(at.indexInSource);
  }

  async openJsonText(text: string): Promise<void> {
    const doc = await vscode.workspace.openTextDocument({ language: 'json', content: text });
    await vscode.window.showTextDocument(doc, { preview: false, viewColumn: vscode.ViewColumn.Beside });
  }
}
