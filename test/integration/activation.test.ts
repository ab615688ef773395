// The extension as VS Code sees it: installed, activated by its activation events (not by calling activate()
// ourselves first), and every command its manifest declares is registered once it is active.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { until } from '../support/until';

const EXTENSION_ID = 'cloudtrail-lens.cloudtrail-lens';

describe('activation', () => {
  it('the extension is present in the extension host', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not installed`);
    assert.equal(ext.packageJSON.name, 'cloudtrail-lens');
    assert.equal(ext.extensionKind, vscode.ExtensionKind.Workspace);
    // With `npm test -- --vsix` this is the unpacked VSIX, not the checkout: the run must test what it says.
    const expected = process.env.CLOUDTRAIL_LENS_EXTENSION_PATH;
    if (expected) assert.equal(ext.extensionPath, expected);
  });

  it('opening a CloudTrail JSON file activates it, and it recognises that file (and not plain JSON)', async function () {
    const ws = process.env.CLOUDTRAIL_LENS_TEST_WORKSPACE;
    if (!ws) this.skip(); // only the harness sets up the workspace
    const files = await vscode.workspace.findFiles('corpus/*.json', undefined, 1);
    assert.ok(files.length > 0, `no corpus/*.json in the test workspace ${ws}`);
    assert.equal(path.dirname(path.dirname(files[0].fsPath)), ws);
    const doc = await vscode.workspace.openTextDocument(files[0]);
    await vscode.window.showTextDocument(doc);
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    await until('the extension to activate', () => ext.isActive);
    // Activation alone proves little (any JSON file activates it): the field hover must know this is CloudTrail.
    const hoverAt = async (d: vscode.TextDocument, key: string) => {
      const at = d.getText().indexOf(`"${key}"`);
      assert.ok(at >= 0, `no "${key}" in ${d.uri.fsPath}`);
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', d.uri, d.positionAt(at + 2));
      return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    };
    const text = await until('the CloudTrail field hover on "eventName"', async () => {
      const t = await hoverAt(doc, 'eventName');
      return /Event name/.test(t) && t;
    });
    assert.match(text, /`eventName`/);
    // The same key in a JSON file that is not CloudTrail (a settings-like object with no record fields at its top
    // level) gets no CloudTrail hover.
    const plain = await vscode.workspace.openTextDocument({ language: 'json', content: '{"name": "x", "version": 2, "handlers": {"eventName": "y"}}' });
    assert.doesNotMatch(await hoverAt(plain, 'eventName'), /Event name/);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('registers every command it contributes', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    await ext.activate();
    const declared: string[] = (ext.packageJSON.contributes?.commands ?? []).map((c: { command: string }) => c.command);
    assert.ok(declared.includes('cloudtrailLens.showLog'), 'the manifest lost cloudtrailLens.showLog');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = declared.filter((c) => !registered.has(c));
    assert.deepEqual(missing, [], 'commands declared in package.json but not registered');
  });

  it('runs the Show Log command: the "CloudTrail Lens" log channel is shown', async () => {
    const isOurChannel = (d: vscode.TextDocument) => d.uri.scheme === 'output' && decodeURIComponent(d.uri.toString()).includes('CloudTrail Lens');
    await vscode.commands.executeCommand('workbench.action.closePanel');
    await vscode.commands.executeCommand('cloudtrailLens.showLog');
    const shown = await until('the CloudTrail Lens output channel to be visible', () => vscode.window.visibleTextEditors.find((e) => isOurChannel(e.document)), 10_000);
    // It is the extension's log: the activation line is in it.
    await until('the activation line in the log', () => /CloudTrail Lens .* activated/.test(shown.document.getText()), 10_000);
  });
});
