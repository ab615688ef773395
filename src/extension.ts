/**
 * Entry point: wires the features together and nothing else. Each feature lives in its own folder and
 * registers its own commands, views and providers; the pure logic is under src/core.
 */
import { disposeSharedWorkerPool, sharedWarmUp } from './common/worker-pool';
import * as vscode from 'vscode';
import { log, logError } from './common/log';
import { registerCommands } from './common/commands';
import { registerHovers } from './hovers';
import { registerViewer } from './viewer';
import { registerExplorer } from './explorer';
import { registerSelectors } from './selectors';
import { registerQuery } from './query';
import { registerTrace } from './trace';
import { registerExport } from './export';
import { registerIntegrity } from './integrity';

export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    log(),
    registerCommands({ 'cloudtrailLens.showLog': () => log().show() }),
    // Test hook: the shared worker pool's warm-up report (undefined before a log folder was shown).
    registerCommands({ 'cloudtrailLens.pool._warmUp': () => sharedWarmUp() }),
  );
  const features: [string, (c: vscode.ExtensionContext) => void][] = [
    ['hovers', registerHovers],
    ['viewer', registerViewer],
    ['explorer', registerExplorer],
    ['selectors', registerSelectors],
    ['query', registerQuery],
    ['trace', registerTrace],
    ['export', registerExport],
    ['integrity', registerIntegrity],
  ];
  for (const [name, register] of features) {
    try {
      register(context);
    } catch (err) {
      // One broken feature must not take the others down.
      const message = logError(`activating ${name}`, err);
      void vscode.window.showErrorMessage(`CloudTrail Lens: the ${name} feature failed to start: ${message}`);
    }
  }
  log().info(`CloudTrail Lens ${context.extension.packageJSON.version} activated`);
}

export function deactivate(): void {
  // Everything else is owned by context.subscriptions.
  disposeSharedWorkerPool();
}
