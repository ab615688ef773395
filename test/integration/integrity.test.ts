// Integrity in the real VS Code: a signed chain written by the test fixtures (real RSA, gzip, SHA-256), one log file
// then edited; "Validate Log Integrity" on the folder must put a diagnostic on that file only, mark verdicts in the
// log-folder tree (read back through the hidden snapshot command), list each digest's log files, and write the
// report with the chain of the Region.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import * as vscode from 'vscode';
import { until } from '../support/until';
import { writeChain, type ChainFixture } from '../support/integrity-fixtures';

interface SnapshotNode {
  id?: string;
  label: string;
  description?: string;
  resourceUri?: string;
  children?: SnapshotNode[];
}

function findByUri(nodes: SnapshotNode[] | undefined, uri: string): SnapshotNode | undefined {
  for (const n of nodes ?? []) {
    if (n.resourceUri === uri) return n;
    const c = findByUri(n.children, uri);
    if (c) return c;
  }
  return undefined;
}

describe('Log integrity (Validate Log Integrity command)', function () {
  this.timeout(120_000);
  let root: string;
  let fx: ChainFixture;
  let edited: string;

  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ctl-integrity-it-'));
    fx = writeChain(root, { hours: 3 });
    edited = path.join(root, fx.logs[1][0]);
    const text = zlib.gunzipSync(fs.readFileSync(edited)).toString().replace('PutObject', 'DeleteObject');
    fs.writeFileSync(edited, zlib.gzipSync(text));
  });

  after(async () => {
    await vscode.commands.executeCommand('cloudtrailLens.removeLogFolder', vscode.Uri.file(root));
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('puts a diagnostic on the edited file only, marks verdicts in the tree, lists digest contents and writes the report', async () => {
    await vscode.commands.executeCommand('cloudtrailLens.addLogFolder', vscode.Uri.file(root));
    const result = await vscode.commands.executeCommand<{ report: { summary: { ok: boolean; byVerdict: Record<string, number> } }; reportFile: string }>(
      'cloudtrailLens.validateIntegrity',
      vscode.Uri.file(root),
      { offline: true, quiet: true },
    );
    assert.ok(result, 'the command returned its summary');
    assert.equal(result.report.summary.ok, false);
    assert.equal(result.report.summary.byVerdict.modified, 1);

    // Problems: the edited file has one error; an untouched one has none.
    const diags = vscode.languages.getDiagnostics(vscode.Uri.file(edited));
    assert.equal(diags.length, 1);
    assert.equal(diags[0].severity, vscode.DiagnosticSeverity.Error);
    assert.match(diags[0].message, /^modified: SHA-256 /);
    assert.equal(vscode.languages.getDiagnostics(vscode.Uri.file(path.join(root, fx.logs[0][0]))).length, 0);

    // Tree: verdicts on the files; digest files list their log files.
    const editedUri = vscode.Uri.file(edited).toString();
    const goodUri = vscode.Uri.file(path.join(root, fx.logs[2][1])).toString();
    const snap = await until('verdicts in the tree', async () => {
      const s = await vscode.commands.executeCommand<SnapshotNode[]>('cloudtrailLens.local.snapshot');
      const n = findByUri(s, editedUri);
      return n?.description?.startsWith('modified') ? s : undefined;
    });
    assert.match(findByUri(snap, goodUri)?.description ?? '', /^verified · /);
    const digestNode = findByUri(snap, vscode.Uri.file(path.join(root, fx.digests[1])).toString());
    assert.ok(digestNode?.children, 'the digest node has children');
    assert.equal(digestNode.children[0].label, `${fx.logs[1].length} log files · 2026-01-31T22:00:00Z – 2026-01-31T23:00:00Z`);
    assert.deepEqual(digestNode.children.slice(1).map((c) => c.label), fx.logs[1].map((l) => path.basename(l)));
    assert.equal(digestNode.children[1].description, 'modified');

    // The report, with the Region's chain.
    assert.equal(result.reportFile, path.join(root, 'cloudtrail-integrity-report.md'));
    const md = fs.readFileSync(result.reportFile, 'utf8');
    assert.match(md, new RegExp(`### ${fx.account} / ${fx.region} / trail org_trail`));
    assert.match(md, /2026-01-31T21:00:00Z → 2026-02-01T00:00:00Z: 3 h covered, 0 gaps/);
    assert.ok(md.includes(fx.logs[1][0]), 'the modified file is listed');
  });

  it("the record viewer's integrity line says what is known about the open file", async () => {
    const open = async (file: string, expect: RegExp) => {
      const uri = vscode.Uri.file(file);
      await vscode.commands.executeCommand('vscode.openWith', uri, 'cloudtrailLens.viewer');
      await until(`the viewer for ${file}`, async () => (await vscode.commands.executeCommand<string>('cloudtrailLens.viewer._activeUri')) === uri.toString());
      return until(`the integrity line of ${path.basename(file)}`, async () => {
        const s = await vscode.commands.executeCommand<{ ready: boolean; integrity?: string }>('cloudtrailLens.viewer._test', { kind: 'summary' });
        return s.ready && expect.test(s.integrity ?? '') ? s.integrity : undefined;
      });
    };
    assert.match(await open(edited, /^Modified after delivery: SHA-256 /), /differs from/);
    assert.equal(await open(path.join(root, fx.logs[0][0]), /^Verified/), `Verified: listed in digest ${path.basename(fx.digests[0])} (signature checked)`);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
