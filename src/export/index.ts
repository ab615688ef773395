/**
 * "Export View…": writes what the active record viewer shows — its filter (a trace row set included), its sort
 * and its visible columns — as a CloudTrail log (`{"Records":[…]}`), JSON Lines or CSV (src/core/insight/export.ts).
 * Records are written from their JSON text as read, so numbers keep every digit. The file is built chunk by chunk
 * with progress and cancel, then written through `vscode.workspace.fs` (remote and virtual file systems work);
 * cancelling writes nothing.
 */
import * as vscode from 'vscode';
import { ByteSink, EXPORT_FORMATS, exportChunks, type ExportFormat, type ExportSource } from '../core/insight';
import { MAX_CELL_LENGTH, isColumnId } from '../core/table';
import { registerCommands } from '../common/commands';
import { log } from '../common/log';
import { activeViewerSession } from '../viewer';
import { RecordSource } from '../viewer/source';

/** Characters per chunk: progress and cancel are checked between chunks. */
const CHUNK_CHARS = 1 << 20;

export interface ExportArgs {
  format?: ExportFormat;
  /** Where to write (skips the save dialog). */
  uri?: vscode.Uri | string;
}

export interface ExportResult {
  uri: string;
  format: ExportFormat;
  records: number;
  bytes: number;
  columns: string[];
}

export function registerExport(context: vscode.ExtensionContext): void {
  context.subscriptions.push(registerCommands({ 'cloudtrailLens.viewer.export': (arg?: ExportArgs) => exportView(arg) }));
}

async function exportView(arg: ExportArgs = {}): Promise<ExportResult | undefined> {
  const session = activeViewerSession();
  if (!session) {
    void vscode.window.showInformationMessage('CloudTrail Lens: open a CloudTrail log in the record viewer to export its view.');
    return undefined;
  }
  const source = session.rowSource;
  if (!(source instanceof RecordSource)) {
    void vscode.window.showInformationMessage('CloudTrail Lens: a digest file lists log files, not records: there is nothing to export.');
    return undefined;
  }
  let format = EXPORT_FORMATS.find((f) => f.id === arg.format)?.id;
  if (!format) {
    const pick = await vscode.window.showQuickPick(
      EXPORT_FORMATS.map((f) => ({ label: f.label, description: `.${f.extension}`, detail: f.description, id: f.id })),
      { title: 'CloudTrail Lens: export the view as…' },
    );
    if (!pick) return undefined;
    format = pick.id;
  }
  const info = EXPORT_FORMATS.find((f) => f.id === format)!;
  let uri = typeof arg.uri === 'string' ? vscode.Uri.parse(arg.uri) : arg.uri;
  if (!uri) {
    const base = session.doc.displayName.replace(/(\.json)?(\.gz)?$/i, '').replace(/\.jsonl$/i, '') || 'records';
    const name = `${base}-view.${info.extension}`;
    const dir = session.doc.uri.scheme === 'file' ? vscode.Uri.joinPath(session.doc.uri, '..') : vscode.workspace.workspaceFolders?.[0]?.uri;
    uri = await vscode.window.showSaveDialog({
      title: `Export the view as ${info.label}`,
      saveLabel: 'Export',
      defaultUri: dir ? vscode.Uri.joinPath(dir, name) : undefined,
      filters: { [info.label]: [info.extension], 'All files': ['*'] },
    });
    if (!uri) return undefined;
  }

  // The view as the user sees it now: rows in view order, the visible columns in their order.
  const indexes = source.viewIndexes();
  const hidden = new Set(session.latestState?.hiddenColumns ?? source.columns.filter((c) => !c.defaultVisible).map((c) => c.id));
  const columns = source.columns.filter((c) => !hidden.has(c.id) && isColumnId(c.id));
  const table = source.table;
  const exportSource: ExportSource = {
    count: indexes.length,
    text: (k) => table.recordText(indexes[k]),
    headers: columns.map((c) => c.title),
    cells: (k) =>
      columns.map((c) => {
        const v = table.cell(indexes[k], c.id as Parameters<typeof table.cell>[1]);
        // A cell cut for display is written whole.
        return v.length >= MAX_CELL_LENGTH ? source.cellValue(indexes[k], c.id) : v;
      }),
  };

  const target = uri;
  const started = Date.now();
  const written = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Exporting ${indexes.length} records as ${info.label}`, cancellable: true },
    async (progress, token) => {
      const sink = new ByteSink(Math.min(1 << 28, indexes.length * 1024 + 1024));
      let last = 0;
      for (const chunk of exportChunks(format!, exportSource, CHUNK_CHARS)) {
        sink.push(chunk.text);
        if (indexes.length) {
          const pct = (chunk.done / indexes.length) * 100;
          progress.report({ increment: pct - last, message: `${chunk.done} of ${indexes.length}` });
          last = pct;
        }
        // Let the progress notification draw and a cancel arrive.
        await new Promise<void>((r) => setImmediate(r));
        if (token.isCancellationRequested) return undefined;
      }
      progress.report({ message: 'writing the file' });
      await vscode.workspace.fs.writeFile(target, sink.bytes());
      return sink.size;
    },
  );
  if (written === undefined) {
    log().info(`export: cancelled; nothing written to ${target.toString()}`);
    return undefined;
  }
  log().info(`export: ${indexes.length} records as ${format} (${written} bytes) to ${target.toString()} in ${Date.now() - started} ms`);
  if (arg.uri === undefined) {
    void vscode.window.showInformationMessage(`CloudTrail Lens: exported ${indexes.length} records to ${target.path.split('/').pop()}.`, 'Open').then((c) => {
      if (c === 'Open') void vscode.commands.executeCommand('vscode.open', target);
    });
  }
  return { uri: target.toString(), format: format!, records: indexes.length, bytes: written, columns: columns.map((c) => c.id) };
}
