/**
 * Investigation notebooks (`*.ctnb`), activation side. Activation registers only what VS Code must know up front —
 * the serializer, the notebook controller, the commands, completion/hover/status-bar providers — each forwarding to
 * the query feature (src/query/feature.ts), a separate bundle (out/query.js) that is required on first use: a cell
 * run, a query command, completion or a hover in a SQL cell. So neither the query code nor DuckDB (which the
 * feature's worker process loads, on the first local query) is loaded or parsed at activation.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { config } from '../common/config';
import { CommandId, registerCommands, TestCommandId } from '../common/commands';
import { log, logError } from '../common/log';
import { hoverMarkdown } from '../core/fields';
import { parseBytes } from '../core/records';
import { NOTEBOOK_TYPE, Serializer } from './serializer';
import type { QueryFeature, createQueryFeature } from './feature';

export { NOTEBOOK_TYPE } from './serializer';

/** The query bundle next to the extension bundle (scripts/build.mjs: entry `query`). */
export const queryBundlePath = (context: vscode.ExtensionContext) => path.join(context.extensionUri.fsPath, 'out', 'query.js');

const COMMAND_IDS = [
  'cloudtrailLens.query.newNotebook',
  'cloudtrailLens.query.queryFolder',
  'cloudtrailLens.query.setSource',
  'cloudtrailLens.query.openRecords',
  'cloudtrailLens.query.queryViewerFilters',
  'cloudtrailLens.query.athenaForTrail',
  'cloudtrailLens.query.clearCache',
] as const satisfies readonly CommandId[];

export function registerQuery(context: vscode.ExtensionContext): void {
  const statusChanged = new vscode.EventEmitter<void>();
  let feature: QueryFeature | undefined;
  const load = (): QueryFeature => {
    if (feature) return feature;
    const started = Date.now();
    // A runtime require of a file esbuild does not bundle: the query code stays out of out/extension.js.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(queryBundlePath(context)) as { createQueryFeature: typeof createQueryFeature };
    feature = mod.createQueryFeature(context, {
      config,
      log,
      logError,
      statusChanged,
      hoverMarkdown,
      parseBytes,
      activeViewer: async () => (await import('../viewer')).activeViewer(),
    });
    log().debug(`query feature loaded in ${Date.now() - started} ms`);
    return feature;
  };

  const controller = vscode.notebooks.createNotebookController('cloudtrailLens.query.controller', NOTEBOOK_TYPE, 'CloudTrail Lens');
  controller.supportedLanguages = ['sql'];
  controller.supportsExecutionOrder = true;
  controller.description = 'DuckDB (log folders) / Athena';
  controller.executeHandler = async (cells) => {
    const f = load();
    for (const cell of cells) await f.runCell(cell, controller);
  };

  const cellSelector: vscode.DocumentSelector = { notebookType: NOTEBOOK_TYPE, language: 'sql' };
  const handlers: Partial<Record<CommandId | TestCommandId, (...args: any[]) => unknown>> = {};
  for (const id of COMMAND_IDS) handlers[id] = (...args: unknown[]) => load().commands[id](...args);
  // Test-only: whether the query bundle and the engine process were started (activation must start neither).
  handlers['cloudtrailLens.query._state'] = () => ({
    featureLoaded: feature !== undefined,
    workerStarted: feature ? (feature.commands['cloudtrailLens.query._state']() as { workerStarted: boolean }).workerStarted : false,
  });

  context.subscriptions.push(
    controller,
    statusChanged,
    { dispose: () => feature?.dispose() },
    vscode.workspace.registerNotebookSerializer(NOTEBOOK_TYPE, new Serializer(), { transientOutputs: true }),
    registerCommands(handlers),
    vscode.notebooks.registerNotebookCellStatusBarItemProvider(NOTEBOOK_TYPE, {
      onDidChangeCellStatusBarItems: statusChanged.event,
      // Nothing to show before a query ran (and so before the feature was loaded).
      provideCellStatusBarItems: (cell) => feature?.cellStatusBarItems(cell) ?? [],
    }),
    vscode.languages.registerCompletionItemProvider(cellSelector, { provideCompletionItems: (...a) => load().completion.provideCompletionItems(...a) }, '.'),
    vscode.languages.registerHoverProvider(cellSelector, { provideHover: (...a) => load().hover.provideHover(...a) }),
  );
  log().debug('query notebooks registered');
}
