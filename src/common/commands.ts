/**
 * The one way commands are registered. Every command id of the extension is listed once in COMMANDS with its
 * category (package.json `contributes.commands` must agree: test/unit/architecture/commands.test.ts), and every
 * handler goes through `registerCommands`, which logs each failure to the LogOutputChannel and shows it the same
 * way: "CloudTrail Lens: <message>". Cancellation (an AbortError, or a handler's own CommandCancelled) is silent.
 *
 * Test-only commands (TEST_COMMANDS) are registered only when the test harness asks for them by setting
 * CLOUDTRAIL_LENS_TEST_COMMANDS=1 in the extension host's environment; they are not in the manifest.
 */
import * as vscode from 'vscode';
import { log, logError } from './log';
import { safeMessage } from '../core/userText';

/** The one command category (the palette shows "CloudTrail Lens: <title>"). */
export const CATEGORY = 'CloudTrail Lens';

/** Every shipped command, with its category. */
export const COMMANDS = {
  'cloudtrailLens.showLog': CATEGORY,
  'cloudtrailLens.selectors.fetch': CATEGORY,
  'cloudtrailLens.selectors.apply': CATEGORY,
  'cloudtrailLens.selectors.dryRun': CATEGORY,
  'cloudtrailLens.selectors.toggleTarget': CATEGORY,
  'cloudtrailLens.openFile': CATEGORY,
  'cloudtrailLens.openInViewer': CATEGORY,
  'cloudtrailLens.openRecords': CATEGORY,
  'cloudtrailLens.viewer.openAsJson': CATEGORY,
  'cloudtrailLens.viewer.focusFilter': CATEGORY,
  'cloudtrailLens.addLogFolder': CATEGORY,
  'cloudtrailLens.removeLogFolder': CATEGORY,
  'cloudtrailLens.refreshLogFolders': CATEGORY,
  'cloudtrailLens.allowLogFolder': CATEGORY,
  'cloudtrailLens.openAllEvents': CATEGORY,
  'cloudtrailLens.local.openFile': CATEGORY,
  'cloudtrailLens.aws.refresh': CATEGORY,
  'cloudtrailLens.aws.switchProfile': CATEGORY,
  'cloudtrailLens.aws.selectRegions': CATEGORY,
  'cloudtrailLens.aws.filterEvents': CATEGORY,
  'cloudtrailLens.aws.clearFilter': CATEGORY,
  'cloudtrailLens.aws.groupEvents': CATEGORY,
  'cloudtrailLens.aws.loadMore': CATEGORY,
  'cloudtrailLens.aws.openEvent': CATEGORY,
  'cloudtrailLens.aws.openEventJson': CATEGORY,
  'cloudtrailLens.aws.openAllEvents': CATEGORY,
  'cloudtrailLens.aws.openSelectors': CATEGORY,
  'cloudtrailLens.aws.openLogFile': CATEGORY,
  'cloudtrailLens.aws.retry': CATEGORY,
  'cloudtrailLens.aws.refreshNode': CATEGORY,
  'cloudtrailLens.aws.ssoLogin': CATEGORY,
  'cloudtrailLens.query.newNotebook': CATEGORY,
  'cloudtrailLens.query.queryFolder': CATEGORY,
  'cloudtrailLens.query.setSource': CATEGORY,
  'cloudtrailLens.query.openRecords': CATEGORY,
  'cloudtrailLens.traceIdentity': CATEGORY,
  'cloudtrailLens.trace.showRecords': CATEGORY,
  'cloudtrailLens.viewer.export': CATEGORY,
  'cloudtrailLens.aws.openConfigFile': CATEGORY,
  'cloudtrailLens.aws.configureSso': CATEGORY,
  'cloudtrailLens.query.clearCache': CATEGORY,
  'cloudtrailLens.query.queryViewerFilters': CATEGORY,
  'cloudtrailLens.query.athenaForTrail': CATEGORY,
  'cloudtrailLens.validateIntegrity': CATEGORY,
  'cloudtrailLens.downloadTrailLogs': CATEGORY,
  'cloudtrailLens.saveIntegrityReport': CATEGORY,
} as const;
export type CommandId = keyof typeof COMMANDS;

/** Test hooks: registered only when the harness sets CLOUDTRAIL_LENS_TEST_COMMANDS=1. Never in the manifest. */
export const TEST_COMMANDS = [
  'cloudtrailLens.viewer._test',
  'cloudtrailLens.viewer._activeUri',
  'cloudtrailLens.viewer._indexing',
  'cloudtrailLens.viewer._savedState',
  'cloudtrailLens.viewer._materialised',
  'cloudtrailLens.viewer._combined',
  'cloudtrailLens.selectors._status',
  'cloudtrailLens.selectors._complete',
  'cloudtrailLens.explorer.snapshot',
  'cloudtrailLens.local.snapshot',
  'cloudtrailLens.query._state',
  'cloudtrailLens.trace._snapshot',
  'cloudtrailLens.trace._show',
  'cloudtrailLens.integrity._prompts',
  'cloudtrailLens.pool._warmUp',
] as const;
export type TestCommandId = (typeof TEST_COMMANDS)[number];

export function testCommandsEnabled(): boolean {
  return process.env.CLOUDTRAIL_LENS_TEST_COMMANDS === '1';
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- command arguments come untyped from VS Code
export type Handler = (...args: any[]) => unknown;

export interface RegisterOptions {
  /** Turns an error into the text shown to the user; undefined = stay silent (e.g. a cancelled AWS call). */
  describe?: (err: unknown, id: string) => string | undefined;
}

function isCancel(err: unknown): boolean {
  return err instanceof vscode.CancellationError || (err instanceof Error && err.name === 'AbortError');
}

/**
 * Registers handlers; returns one Disposable for all of them. A throwing handler resolves to undefined after the
 * error is logged (with its stack at debug level) and shown.
 */
export function registerCommands(
  table: Partial<Record<CommandId, Handler>> | Partial<Record<TestCommandId, Handler>>,
  options: RegisterOptions = {},
): vscode.Disposable {
  const subs: vscode.Disposable[] = [];
  for (const [id, fn] of Object.entries(table) as [string, Handler][]) {
    if (!fn) continue;
    const isTest = (TEST_COMMANDS as readonly string[]).includes(id);
    if (isTest && !testCommandsEnabled()) continue;
    if (!isTest && !(id in COMMANDS)) throw new Error(`command ${id} is not listed in COMMANDS (src/common/commands.ts)`);
    subs.push(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          return await fn(...args);
        } catch (err) {
          if (isCancel(err)) return undefined;
          const shown = options.describe ? options.describe(err, id) : err instanceof Error ? err.message : String(err);
          logError(id, err);
          if (shown !== undefined) void vscode.window.showErrorMessage(safeMessage(`CloudTrail Lens: ${shown}`));
          else log().debug(`${id}: not shown to the user`);
          return undefined;
        }
      }),
    );
  }
  return vscode.Disposable.from(...subs);
}
