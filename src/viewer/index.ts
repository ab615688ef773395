/**
 * The record viewer: a custom editor (`cloudtrailLens.viewer`) for CloudTrail logs, digests, JSON Lines and
 * in-memory record lists, plus the commands around it. The webview UI is in media/viewer; the message protocol
 * shared by both sides is src/protocol/protocol.ts.
 */
import * as vscode from 'vscode';
import { sniffKind } from '../core/records';
import { logError } from '../common/log';
import { registerCommands } from '../common/commands';
import { GeneratedFiles, SCHEME } from './memfs';
import { VIEW_TYPE, ViewerProvider } from './provider';
import { openRecordsInput } from './records';
import type { DomSummary, TestAction } from '../protocol/protocol';
import type { ViewerSession } from './session';

export { VIEW_TYPE } from './provider';
export { TRACE_COMMAND, ViewerSession, type TraceRequest } from './session';

let current: ViewerProvider | undefined;
/** The record viewer the user is working in (for commands of other features: trace, export). */
export function activeViewerSession(): ViewerSession | undefined {
  return current?.activeSession;
}
export { recordsText } from './records';

/** The active record viewer's file and current filter (read by "Query This Folder with These Filters…"). */
export function activeViewer(): { uri: vscode.Uri; filter: unknown } | undefined {
  const s = activeViewerSession();
  return s && { uri: s.doc.uri, filter: s.currentFilter ?? current?.savedState(s.doc.uri)?.filter };
}

/** Context key: the active text editor shows a CloudTrail file (enables "Open in Record Viewer"). */
const TEXT_IS_CLOUDTRAIL = 'cloudtrailLens.textIsCloudTrail';
/** Only the start of a text document is sniffed, so huge files cost nothing extra. */
const SNIFF_CHARS = 64 * 1024;

export function registerViewer(context: vscode.ExtensionContext): void {
  const generated = new GeneratedFiles();
  const provider = new ViewerProvider(context, generated);
  current = provider;

  context.subscriptions.push(
    generated,
    provider,
    vscode.workspace.registerFileSystemProvider(SCHEME, generated, { isReadonly: true, isCaseSensitive: true }),
    vscode.window.registerCustomEditorProvider(VIEW_TYPE, provider, {
      supportsMultipleEditorsPerDocument: true,
      // State survives hiding through the webview's setState/getState, which costs no memory while hidden.
      webviewOptions: { retainContextWhenHidden: false },
    }),
  );
  context.subscriptions.push(
    registerCommands({
    'cloudtrailLens.openFile': async () => {
      const picked = await vscode.window.showOpenDialog({
        canSelectMany: true,
        openLabel: 'Open in Record Viewer',
        filters: { 'CloudTrail files': ['gz', 'json', 'jsonl'], 'All files': ['*'] },
      });
      for (const uri of picked ?? []) await vscode.commands.executeCommand('vscode.openWith', uri, VIEW_TYPE);
    },
    'cloudtrailLens.openInViewer': async (arg?: vscode.Uri) => openInViewer(arg, generated),
    'cloudtrailLens.viewer.openAsJson': async () => {
      const s = provider.activeSession;
      if (s) await provider.openAsText(s.doc);
    },
    'cloudtrailLens.viewer.focusFilter': () => provider.activeSession?.focusFilter(),
    // `{ title, plan, … }`, `{ title, events: object[] }` or `{ title, text: '{"Records":[…]}' }` (see records.ts).
    // A plan or events open as a combined view whose tab is named by the title; no JSON text is made for it
    // unless the user asks for "Open as JSON".
    'cloudtrailLens.openRecords': async (arg?: unknown) => {
      const input = openRecordsInput(arg);
      const uri = 'text' in input ? generated.add('records', `${input.title}.json`, input.text) : generated.addGenerated('records', input.title, input);
      try {
        await vscode.commands.executeCommand('vscode.openWith', uri, VIEW_TYPE);
      } catch (err) {
        if (!('text' in input)) input.onDone?.(undefined, err);
        throw err;
      }
      return uri;
    },
    }),
    // Test hooks (registered only under the test harness, see common/commands.ts).
    registerCommands({
      // Runs an action in the active viewer's webview and returns its DOM summary.
      'cloudtrailLens.viewer._test': async (action: TestAction = { kind: 'summary' }): Promise<DomSummary> => {
        const session = await waitFor(() => (provider.activeSession?.isReady ? provider.activeSession : undefined), 30_000);
        return session.runTest(action);
      },
      'cloudtrailLens.viewer._activeUri': () => provider.activeSession?.doc.uri.toString(),
      // How many generated record texts were materialised (only "Open as JSON" or reading the file does that).
      'cloudtrailLens.viewer._materialised': () => generated.materialised,
      // The active combined view: its title, row origins and tab icon.
      'cloudtrailLens.viewer._combined': () => {
        const s = provider.activeSession;
        if (!s?.doc.isCombined) return undefined;
        const icon = s.panel.iconPath;
        return { title: s.doc.displayName, records: s.doc.table.size, loading: s.doc.loading, icon: icon instanceof vscode.Uri ? icon.path : undefined, origins: s.doc.origins.list().map((o) => o.label) };
      },
      // How the active document was indexed.
      'cloudtrailLens.viewer._indexing': () => {
        const doc = provider.activeSession?.doc;
        return doc && { records: doc.table.size, workerRecords: doc.workerRecords, indexing: doc.indexing, kind: doc.kind };
      },
      // The view state the host keeps for a file (what reopening restores).
      'cloudtrailLens.viewer._savedState': (uri: vscode.Uri) => provider.savedState(uri),
    }),
  );

  const updateContext = (editor: vscode.TextEditor | undefined) => {
    let isCloudTrail = false;
    if (editor && /^(json|jsonc|jsonl)$/.test(editor.document.languageId)) {
      try {
        const doc = editor.document;
        const head = doc.getText(new vscode.Range(0, 0, doc.positionAt(SNIFF_CHARS).line + 1, 0));
        isCloudTrail = sniffKind(head) !== 'unknown';
      } catch (err) {
        logError('viewer: sniffing the active editor', err);
      }
    }
    void vscode.commands.executeCommand('setContext', TEXT_IS_CLOUDTRAIL, isCloudTrail);
  };
  context.subscriptions.push(
    vscode.window.onDidChangeActiveTextEditor(updateContext),
    vscode.workspace.onDidCloseTextDocument((d) => {
      if (d.uri.scheme === SCHEME && !vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => (t.input as { uri?: vscode.Uri })?.uri?.toString() === d.uri.toString()))) {
        generated.forget(d.uri);
      }
    }),
  );
  updateContext(vscode.window.activeTextEditor);
}

async function openInViewer(arg: vscode.Uri | undefined, generated: GeneratedFiles): Promise<void> {
  let uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
  if (!uri) {
    await vscode.commands.executeCommand('cloudtrailLens.openFile');
    return;
  }
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri!.toString());
  // Unsaved or untitled text cannot be read through the file system: show a snapshot of it.
  if (open && (open.isUntitled || open.isDirty)) {
    const name = open.isUntitled ? 'Untitled.json' : (uri.path.split('/').pop() ?? 'records.json');
    uri = generated.add('snapshot', name, open.getText());
  }
  await vscode.commands.executeCommand('vscode.openWith', uri, VIEW_TYPE);
}

async function waitFor<T>(get: () => T | undefined, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = get();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('no active record viewer');
    await new Promise((r) => setTimeout(r, 50));
  }
}
