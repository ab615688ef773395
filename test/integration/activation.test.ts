// The extension as VS Code sees it: installed, activated by its activation events (not by calling activate()
// ourselves first), and every command its manifest declares is registered once it is active.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'cloudtrail-lens.cloudtrail-lens';

async function until<T>(what: string, probe: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

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

  it('opening a CloudTrail JSON file activates it', async function () {
    const ws = process.env.CLOUDTRAIL_LENS_TEST_WORKSPACE;
    if (!ws) this.skip(); // only the harness sets up the workspace
    const files = await vscode.workspace.findFiles('corpus/*.json', undefined, 1);
    assert.ok(files.length > 0, `no corpus/*.json in the test workspace ${ws}`);
    assert.equal(path.dirname(path.dirname(files[0].fsPath)), ws);
    const doc = await vscode.workspace.openTextDocument(files[0]);
    await vscode.window.showTextDocument(doc);
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    await until('the extension to activate', () => ext.isActive);
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

  it('runs the Show Log command', async () => {
    await vscode.commands.executeCommand('cloudtrailLens.showLog');
  });
});
