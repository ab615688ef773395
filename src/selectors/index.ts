import * as vscode from 'vscode';
import { SelectorLanguageFeatures } from './language';
import { registerSelectorCommands } from './commands';
import { InfraSelectorFeatures } from './infra';
import { registerCommands } from '../common/commands';

/**
 * Registers the selectors feature: diagnostics, completion, hover, quick fixes and status bar for selector
 * documents, and the fetch / apply / dry-run commands.
 */
export function registerSelectors(context: vscode.ExtensionContext): void {
  const features = new SelectorLanguageFeatures();
  context.subscriptions.push(features);
  // Selectors in CloudFormation templates and Terraform files (the HCL grammar's .wasm is shipped in out/).
  const infra = new InfraSelectorFeatures(vscode.Uri.joinPath(context.extensionUri, 'out').fsPath);
  context.subscriptions.push(infra);
  registerSelectorCommands(context, features, infra);
  // Test hooks (registered only under the test harness): the status-bar text, and completions at a position.
  context.subscriptions.push(
    registerCommands({
      'cloudtrailLens.selectors._status': () => features.statusText(),
      'cloudtrailLens.selectors._complete': async (uri: vscode.Uri, pos: vscode.Position) => {
        const doc = await vscode.workspace.openTextDocument(uri);
        return { text: doc.getText(), languageId: doc.languageId, items: features.completions(doc, pos)?.map((i) => (typeof i.label === 'string' ? i.label : i.label.label)) };
      },
    }),
  );
}
