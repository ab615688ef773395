import * as vscode from 'vscode';
import { SelectorLanguageFeatures } from './language';
import { registerSelectorCommands } from './commands';
import { InfraSelectorFeatures } from './infra';

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
  // Not in package.json: lets integration tests read the status-bar text.
  context.subscriptions.push(vscode.commands.registerCommand('cloudtrailLens.selectors._status', () => features.statusText()));
  context.subscriptions.push(vscode.commands.registerCommand('cloudtrailLens.selectors._complete', async (uri: vscode.Uri, pos: vscode.Position) => {
    const doc = await vscode.workspace.openTextDocument(uri);
    return { text: doc.getText(), languageId: doc.languageId, items: features.completions(doc, pos)?.map((i) => (typeof i.label === 'string' ? i.label : i.label.label)) };
  }));
}
