/**
 * The query feature itself, bundled separately as out/query.js and loaded by src/query/index.ts on first use (a
 * cell run, a query command, completion in a cell): running SQL cells on embedded DuckDB (in a child process) or
 * Athena, the commands, completion/hovers. Modules with state that the extension bundle owns (the log channel,
 * settings, the record viewer) come in through `host`, so this bundle never makes a second copy of them.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { config as Config } from '../common/config';
import type { log as Log, logError as LogError } from '../common/log';
import { safeMessage } from '../core/userText';
import { QueryWorkerClient } from '../core/query/client';
import type { QueryResult } from '../core/query/duckdb';
import { isQueryError, QueryError } from '../core/query/errors';
import { summaryLine } from '../core/query/format';
import { NotebookSource, serializeNotebook, starterNotebook } from '../core/query/notebook';
import { resultHtml } from '../core/query/render';
import { fieldPaths } from '../core/query/schema';
import type { hoverMarkdown as HoverMarkdown } from '../core/fields';
import type { parseBytes as ParseBytes } from '../core/records';
import { openQueryRecords, recordRefs, RecordRef } from './open';
import { NOTEBOOK_TYPE, SOURCE_KEY, Serializer } from './serializer';

/** What the extension bundle lends the query bundle (one instance of each in the extension host). */
export interface QueryHost {
  config: typeof Config;
  log: typeof Log;
  logError: typeof LogError;
  activeViewer(): Promise<{ uri: vscode.Uri; filter: unknown } | undefined>;
  /** core/fields' field documentation and core/records' parser: large, and already in the extension bundle. */
  hoverMarkdown: typeof HoverMarkdown;
  parseBytes: typeof ParseBytes;
  /** Fired when a cell's "open records" status item changes. */
  statusChanged: vscode.EventEmitter<void>;
}

/** The loaded feature: src/query/index.ts forwards the registrations it made at activation to these. */
export interface QueryFeature {
  runCell(cell: vscode.NotebookCell, controller: vscode.NotebookController): Promise<void>;
  commands: Record<string, (...args: any[]) => unknown>;
  completion: vscode.CompletionItemProvider;
  hover: vscode.HoverProvider;
  cellStatusBarItems(cell: vscode.NotebookCell): vscode.NotebookCellStatusBarItem[];
  dispose(): void;
}


function resolvePaths(source: Extract<NotebookSource, { kind: 'folder' }>, notebookUri: vscode.Uri): string[] {
  const base = notebookUri.scheme === 'file' ? path.dirname(notebookUri.fsPath) : vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd();
  return source.paths.map((p) => (path.isAbsolute(p) ? p : path.join(base, p)));
}

export function createQueryFeature(context: vscode.ExtensionContext, host: QueryHost): QueryFeature {
  const { config, logError, statusChanged, hoverMarkdown } = host;
  const worker = new QueryWorkerClient(path.join(context.extensionUri.fsPath, 'out', 'worker-query.js'));
  const lastRecords = new Map<string, RecordRef[]>();
  let order = 0;

  const tempDirectory = () => {
    const set = config.query('query.tempDirectory');
    return set || path.join(context.globalStorageUri.fsPath, 'query');
  };

  const cacheDirectory = () => path.join(context.globalStorageUri.fsPath, 'query', 'cache');

  async function runCell(cell: vscode.NotebookCell, controller: vscode.NotebookController): Promise<void> {
    const execution = controller.createNotebookCellExecution(cell);
    execution.executionOrder = ++order;
    execution.start(Date.now());
    lastRecords.delete(cell.document.uri.toString());
    await execution.clearOutput();
    const source = (cell.metadata?.[SOURCE_KEY] ?? cell.notebook.metadata?.[SOURCE_KEY]) as NotebookSource | undefined;
    const sql = cell.document.getText();
    const progressOut = new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.text('Starting…', 'text/plain')]);
    await execution.replaceOutput(progressOut);
    const progress = (message: string) => void execution.replaceOutputItems([vscode.NotebookCellOutputItem.text(message, 'text/plain')], progressOut);
    try {
      if (!source) throw new QueryError('This notebook names no source. Run "CloudTrail Lens: Set Notebook Source…" to pick a log folder or an Athena table.', undefined, undefined, 'input');
      let result: QueryResult;
      if (source.kind === 'folder') {
        const cancel: (() => void)[] = [];
        execution.token.onCancellationRequested(() => cancel.forEach((f) => f()));
        result = await worker.run(
          { paths: resolvePaths(source, cell.notebook.uri), sql, maxRows: config.query('query.maxRows'), cache: config.query('query.cache') },
          { memoryLimit: config.query('query.memoryLimit') || undefined, threads: config.query('query.threads') || undefined, tempDirectory: tempDirectory(), cacheDirectory: cacheDirectory() },
          progress,
          { onCancel: (cb) => cancel.push(cb) },
        );
      } else {
        result = await runOnAthena(source, sql, execution.token, progress);
      }
      const refs = recordRefs(result);
      if (refs.length) lastRecords.set(cell.document.uri.toString(), refs);
      statusChanged.fire();
      await execution.replaceOutput(
        new vscode.NotebookCellOutput([
          vscode.NotebookCellOutputItem.text(resultHtml(result), 'text/html'),
          vscode.NotebookCellOutputItem.json({ columns: result.columns, rows: result.rows, truncated: result.truncated }, 'application/json'),
          vscode.NotebookCellOutputItem.text(summaryLine(result), 'text/plain'),
        ]),
      );
      execution.end(true, Date.now());
    } catch (err) {
      const e = isQueryError(err) ? err : new QueryError(err instanceof Error ? err.message : String(err), undefined, undefined, 'engine');
      let message = e.message;
      if (e.line && e.column) {
        const line = sql.split('\n')[e.line - 1] ?? '';
        message = `${e.message}\n\nat line ${e.line}, column ${e.column}:\n${line}\n${' '.repeat(e.column - 1)}^`;
      }
      if (e.code !== 'cancelled' && e.code !== 'sql') logError('query', err);
      await execution.replaceOutput(new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.error({ name: e.code === 'cancelled' ? 'Cancelled' : e.code === 'binding' ? 'DuckDB not available' : 'Query error', message })]));
      execution.end(false, Date.now());
    }
  }

  async function runOnAthena(source: Extract<NotebookSource, { kind: 'athena' }>, sql: string, token: vscode.CancellationToken, progress: (m: string) => void): Promise<QueryResult> {
    const athena = await import('../core/query/athena');
    const text = athena.bindTableName(sql, source.database, source.table);
    if (config.query('athena.warnWithoutPartitionFilter') && !athena.hasPartitionFilter(text)) {
      const go = await vscode.window.showWarningMessage(
        'This query has no filter on "timestamp", "region" or "account": Athena will scan every log file under the table (and bill for it).',
        { modal: true },
        'Run Anyway',
      );
      if (go !== 'Run Anyway') throw new QueryError('Not run: add a partition filter, e.g. WHERE "timestamp" >= \'2024/01/01\'.', undefined, undefined, 'cancelled');
    }
    const region = source.region || config.query('athena.region') || process.env.AWS_REGION || 'us-east-1';
    const client = await athena.createAthenaClient(region, config.query('athena.profile') || undefined);
    const ac = new AbortController();
    token.onCancellationRequested(() => ac.abort());
    try {
      return await athena.runAthena(client, {
        sql: text,
        database: source.database,
        workgroup: source.workgroup || config.query('athena.workgroup') || undefined,
        outputLocation: source.outputLocation || config.query('athena.outputLocation') || undefined,
        pricePerTb: config.query('athena.pricePerTerabyte'),
        maxRows: config.query('query.maxRows'),
        signal: ac.signal,
        onProgress: (state, bytes) => progress(`Athena: ${state}${bytes ? ` · ${bytes} bytes scanned` : ''}`),
      });
    } finally {
      client.destroy();
    }
  }

  async function openNotebook(source: NotebookSource | undefined, firstSql?: string): Promise<vscode.NotebookEditor> {
    const nb = starterNotebook(source, firstSql);
    const data = new Serializer().deserializeNotebook(new TextEncoder().encode(serializeNotebook(nb)));
    const doc = await vscode.workspace.openNotebookDocument(NOTEBOOK_TYPE, data);
    return vscode.window.showNotebookDocument(doc);
  }

  async function pickSource(): Promise<NotebookSource | undefined> {
    const kind = await vscode.window.showQuickPick(
      [
        { label: '$(folder) Log folder…', description: 'embedded DuckDB, no account needed', id: 'folder' },
        { label: '$(cloud) Athena table…', description: 'a CloudTrail table in the Glue Data Catalog', id: 'athena' },
      ],
      { title: 'Where does this notebook read CloudTrail logs from?' },
    );
    if (!kind) return undefined;
    if (kind.id === 'folder') {
      const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: true, canSelectMany: true, title: 'Log folders or files to query' });
      return picked?.length ? { kind: 'folder', paths: picked.map((u) => u.fsPath) } : undefined;
    }
    const database = await vscode.window.showInputBox({ title: 'Athena database', value: 'default', validateInput: (v) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(v) ? undefined : 'A database name') });
    if (!database) return undefined;
    const table = await vscode.window.showInputBox({ title: 'Athena table with CloudTrail logs', value: 'cloudtrail_logs', validateInput: (v) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(v) ? undefined : 'A table name') });
    return table ? { kind: 'athena', database, table } : undefined;
  }

  const uriOf = (arg: unknown): vscode.Uri | undefined => {
    if (arg instanceof vscode.Uri) return arg;
    const u = (arg as { uri?: unknown } | undefined)?.uri;
    return u instanceof vscode.Uri ? u : undefined;
  };

  const docs = new Map(fieldPaths().map((f) => [f.path.replace(/\[\]/g, ''), f]));

  return {
    runCell,
    dispose: () => worker.dispose(),
    commands: {
    'cloudtrailLens.query.newNotebook': async (arg?: unknown) => {
      const uri = uriOf(arg);
      const source = uri ? ({ kind: 'folder', paths: [uri.fsPath] } as NotebookSource) : await pickSource();
      if (!source && !uri) return undefined;
      return openNotebook(source);
    },
    'cloudtrailLens.query.queryFolder': async (arg?: unknown, sql?: unknown) => {
      let uri = uriOf(arg);
      if (!uri) {
        const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, title: 'Log folder to query' });
        uri = picked?.[0];
      }
      if (!uri) return undefined;
      const first = typeof sql === 'string' && sql.trim() ? sql : 'SELECT eventtime, eventsource, eventname, useridentity.arn AS principal, sourceipaddress, errorcode, eventid, "$path"\nFROM cloudtrail\nORDER BY eventtime DESC\nLIMIT 1000';
      return openNotebook({ kind: 'folder', paths: [uri.fsPath] }, first);
    },
    'cloudtrailLens.query.setSource': async () => {
      const editor = vscode.window.activeNotebookEditor;
      if (!editor || editor.notebook.notebookType !== NOTEBOOK_TYPE) return;
      const source = await pickSource();
      if (!source) return;
      const edit = new vscode.WorkspaceEdit();
      edit.set(editor.notebook.uri, [vscode.NotebookEdit.updateNotebookMetadata({ ...editor.notebook.metadata, [SOURCE_KEY]: source })]);
      await vscode.workspace.applyEdit(edit);
    },
    'cloudtrailLens.query.openRecords': async (cellUri?: unknown) => {
      const key = typeof cellUri === 'string' ? cellUri : cellUri instanceof vscode.Uri ? cellUri.toString() : undefined;
      const refs = key ? lastRecords.get(key) : undefined;
      if (!refs?.length) return void vscode.window.showInformationMessage('Run a cell whose result has eventid and "$path" columns to open its records.');
      try {
        return await openQueryRecords(refs, host.parseBytes);
      } catch (err) {
        void vscode.window.showErrorMessage(safeMessage(`Could not open the records: ${logError('query open records', err)}`));
      }
    },
    // From the record viewer's title bar: the viewer's filters as SQL over the folder its file is in (the log
    // folder the explorer knows that holds it, else the file's own folder; a picked folder for generated records).
    'cloudtrailLens.query.queryViewerFilters': async () => {
      const v = await host.activeViewer();
      if (!v) return void vscode.window.showInformationMessage('Open a log file in the record viewer first.');
      const { filterToSql } = await import('../core/query/view-filter');
      const { sql } = filterToSql(v.filter as never, 'duckdb', config.query('query.maxRows'));
      let folder: vscode.Uri | undefined;
      if (v.uri.scheme === 'file') {
        const file = v.uri.fsPath;
        const known = config.logFolders().map((f) => path.resolve(f)).filter((f) => file.startsWith(f + path.sep));
        const awsLogs = file.lastIndexOf(`${path.sep}AWSLogs${path.sep}`);
        folder = vscode.Uri.file(known.sort((a, b) => a.length - b.length)[0] ?? (awsLogs > 0 ? file.slice(0, awsLogs) : path.dirname(file)));
      } else {
        folder = (await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, title: 'Log folder to query with the viewer\'s filters' }))?.[0];
      }
      if (!folder) return undefined;
      return openNotebook({ kind: 'folder', paths: [folder.fsPath] }, sql);
    },
    // From a trail in the explorer: an existing CloudTrail table for its bucket (Glue), or a new one created with
    // the partition-projection DDL after an explicit modal confirmation showing that DDL; then a notebook on it.
    'cloudtrailLens.query.athenaForTrail': async (node?: unknown) => {
      const n = node as { trail?: { name: string; bucket?: string; keyPrefix?: string; accountId?: string; homeRegion?: string }; target?: { profile?: string; region: string; files?: { config?: string; credentials?: string } } } | undefined;
      const trail = n?.trail;
      if (!trail || !n?.target) return void vscode.window.showInformationMessage('Run this from a trail in the CloudTrail Lens explorer.');
      if (!trail.bucket) return void vscode.window.showWarningMessage(`Trail ${trail.name} delivers to no S3 bucket: there is nothing for Athena to read.`);
      const region = config.query('athena.region') || trail.homeRegion || n.target.region;
      const profile = config.query('athena.profile') || n.target.profile;
      const [athenaCore, sdk] = await Promise.all([import('../core/query/athena'), import('../core/aws/sdk')]);
      const target = { profile, region, files: n.target.files };
      const [athena, glue, s3] = await Promise.all([athenaCore.createAthenaClient(region, profile), athenaCore.createGlueClient(region, profile), sdk.createS3Client(target)]);
      try {
        const table = `cloudtrail_${trail.name.toLowerCase().replace(/[^a-z0-9_]+/g, '_')}`.slice(0, 120);
        const choice = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Looking for a CloudTrail table for s3://${trail.bucket}…` }, () =>
          athenaCore.ensureTrailTable({
            glue, s3, athena, bucket: trail.bucket!, prefix: trail.keyPrefix, accountId: trail.accountId, defaultRegion: region,
            database: 'default', table,
            workgroup: config.query('athena.workgroup') || undefined,
            outputLocation: config.query('athena.outputLocation') || undefined,
            choose: async (found) => {
              const pick = await vscode.window.showQuickPick(
                [...found.map((t) => ({ label: `${t.database}.${t.table}`, description: t.location, detail: t.projected ? 'partition projection' : 'partitions must be added to the catalog', t })), { label: '$(add) Create a new table…', description: 'partition projection', t: undefined }],
                { title: `CloudTrail tables for s3://${trail.bucket}` },
              );
              if (!pick) throw new vscode.CancellationError();
              return pick.t;
            },
            confirm: async (ddl) => {
              const go = await vscode.window.showWarningMessage(
                `Create the Athena table default.${table} for s3://${trail.bucket} in ${region}?`,
                { modal: true, detail: `This runs the following DDL on Athena (it creates a table in the Glue Data Catalog; it reads nothing and costs nothing by itself):\n\n${ddl}` },
                'Create Table',
              );
              return go === 'Create Table';
            },
          }),
        );
        if (choice.kind === 'declined') return undefined;
        const source: NotebookSource = choice.kind === 'existing'
          ? { kind: 'athena', database: choice.table.database, table: choice.table.table, region }
          : { kind: 'athena', database: choice.database, table: choice.table, region };
        return openNotebook(source);
      } finally {
        athena.destroy();
        glue.destroy();
        s3.destroy();
      }
    },
    'cloudtrailLens.query.clearCache': async () => {
      const { cacheSize } = await import('../core/query/cache-size');
      const { formatBytes } = await import('../core/query/format');
      const size = await cacheSize(cacheDirectory());
      if (!size.folders) return void vscode.window.showInformationMessage('The query cache is empty.');
      // The engine process may hold cache files open: stop it first (the next query starts a new one).
      worker.dispose();
      await vscode.workspace.fs.delete(vscode.Uri.file(cacheDirectory()), { recursive: true, useTrash: false });
      void vscode.window.showInformationMessage(`Query cache cleared: ${size.folders} folder${size.folders === 1 ? '' : 's'}, ${formatBytes(size.bytes)}.`);
      return size;
    },
    'cloudtrailLens.query._state': () => ({ workerStarted: worker.started }),
    },
    cellStatusBarItems(cell) {
        const refs = lastRecords.get(cell.document.uri.toString());
        if (!refs?.length) return [];
        const item = new vscode.NotebookCellStatusBarItem(`$(go-to-file) Open ${refs.length} record${refs.length === 1 ? '' : 's'} in Record Viewer`, vscode.NotebookCellStatusBarAlignment.Left);
        item.command = { title: 'Open in Record Viewer', command: 'cloudtrailLens.query.openRecords', arguments: [cell.document.uri.toString()] };
        return [item];
    },
    completion: {
        provideCompletionItems(doc, pos) {
          const before = doc.lineAt(pos.line).text.slice(0, pos.character);
          const m = /([A-Za-z_][\w.]*)\.(\w*)$/.exec(before);
          const prefix = m ? m[1].toLowerCase() + '.' : '';
          const items: vscode.CompletionItem[] = [];
          for (const [p, f] of docs) {
            if (!p.startsWith(prefix)) continue;
            const rest = p.slice(prefix.length);
            if (!rest || rest.includes('.')) continue;
            const item = new vscode.CompletionItem(rest.startsWith('$') ? `"${rest}"` : rest, f.type.startsWith('STRUCT') || f.type.startsWith('ARRAY') ? vscode.CompletionItemKind.Struct : vscode.CompletionItemKind.Field);
            item.detail = f.type.length > 60 ? f.type.slice(0, 59) + '…' : f.type;
            const md = f.jsonPath ? hoverMarkdown(f.jsonPath.replace(/\[\]/g, '').split('.')) : undefined;
            if (md) item.documentation = new vscode.MarkdownString(md);
            items.push(item);
          }
          if (!prefix) items.push(Object.assign(new vscode.CompletionItem('cloudtrail', vscode.CompletionItemKind.Class), { detail: 'CloudTrail events table' }));
          return items;
        },
    },
    hover: {
      provideHover(doc, pos) {
        const range = doc.getWordRangeAtPosition(pos, /[A-Za-z_][\w.]*/);
        if (!range) return undefined;
        const word = doc.getText(range).toLowerCase();
        // The hovered segment and the segments before it: hovering "attributes" in
        // useridentity.sessioncontext.attributes.mfaauthenticated documents useridentity.sessioncontext.attributes.
        const end = word.indexOf('.', pos.character - range.start.character);
        const upTo = end < 0 ? word : word.slice(0, end);
        const f = docs.get(upTo);
        if (!f) return undefined;
        const md = f.jsonPath ? hoverMarkdown(f.jsonPath.replace(/\[\]/g, '').split('.')) : undefined;
        return new vscode.Hover(new vscode.MarkdownString(`\`${f.path}\` — ${f.type}${f.extra ? ' (not in AWS\'s documented Athena table)' : ''}\n\n${md ?? ''}`), range);
      },
    },
  };
}
