// Validate Log Integrity in the real VS Code, the ways a user starts it: from the Command Palette (no node: a quick
// pick of the log folders or "Choose a folder…"), on an account node and on a Region node of the log-folder tree,
// and cancelled from its progress. The folder holds three chains written by the test fixtures (real RSA, gzip,
// SHA-256): account 111122223333 in us-east-1 and in eu-west-1 (one digest deleted: a gap), account 444455556666 in
// us-east-1; one log file of each chain is edited. The pickers, dialogs and the Cancel click are answered through the
// test hook `cloudtrailLens.integrity._prompts` (VS Code has no API to click them); the rest is real.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import * as vscode from 'vscode';
import { until } from '../support/until';
import { writeChain, type ChainFixture } from '../support/integrity-fixtures';

interface SnapshotNode {
  label: string;
  description?: string;
  resourceUri?: string;
  children?: SnapshotNode[];
  node?: unknown;
}

interface Summary {
  report: { summary: { ok: boolean; files: number; byVerdict: Record<string, number> }; files: { path: string; verdict: string }[] };
  reportFile: string;
}

const A = '111122223333';
const C = '444455556666';
const prompts = (args: Record<string, unknown>) => vscode.commands.executeCommand<{ seen: { kind: string; title: string; items?: string[] }[]; pending: number; armed: number }>('cloudtrailLens.integrity._prompts', args);

function find(nodes: SnapshotNode[] | undefined, test: (n: SnapshotNode) => boolean): SnapshotNode | undefined {
  for (const n of nodes ?? []) {
    if (test(n)) return n;
    const c = find(n.children, test);
    if (c) return c;
  }
  return undefined;
}

function editLog(file: string): void {
  const text = zlib.gunzipSync(fs.readFileSync(file)).toString().replace('PutObject', 'DeleteObject');
  fs.writeFileSync(file, zlib.gzipSync(text));
}

/** Three chains in one folder; returns them and the edited file of each. */
function writeFolder(root: string) {
  const a = writeChain(root, { hours: 3, account: A, region: 'us-east-1' });
  const b = writeChain(root, { hours: 4, account: A, region: 'eu-west-1' });
  const c = writeChain(root, { hours: 3, account: C, region: 'us-east-1' });
  fs.rmSync(path.join(root, b.digests[1])); // a one-hour gap in eu-west-1
  const edited = { a: path.join(root, a.logs[1][0]), b: path.join(root, b.logs[3][0]), c: path.join(root, c.logs[2][0]) };
  for (const f of Object.values(edited)) editLog(f);
  return { a, b, c, edited };
}

const diagsUnder = (root: string) => vscode.languages.getDiagnostics().filter(([u, d]) => u.fsPath.startsWith(root + path.sep) && d.length > 0);
const snapshot = async () => (await vscode.commands.executeCommand<SnapshotNode[]>('cloudtrailLens.local.snapshot')) ?? [];
const VERDICT = /^(verified|modified|log file missing|not listed|signature)/;

describe('Validate Log Integrity: Command Palette, account and Region nodes, cancel, report', function () {
  this.timeout(120_000);
  const roots: string[] = [];

  function tempRoot(tag: string): string {
    const r = fs.mkdtempSync(path.join(os.tmpdir(), `ctl-integrity-${tag}-`));
    roots.push(r);
    return r;
  }

  after(async () => {
    await prompts({ reset: true });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const r of roots) {
      await vscode.commands.executeCommand('cloudtrailLens.removeLogFolder', vscode.Uri.file(r));
      fs.rmSync(r, { recursive: true, force: true });
    }
  });

  it('from the Command Palette: asks for the folder, validates every chain, opens the report in the Markdown preview and saves it', async () => {
    const root = tempRoot('palette');
    const { a, b, c } = writeFolder(root);
    // No log folder yet: straight to the folder dialog.
    await prompts({ reset: true, answers: [{ title: 'Folder of downloaded', path: root }] });
    let res = await vscode.commands.executeCommand<Summary>('cloudtrailLens.validateIntegrity', undefined, { offline: true, quiet: true, preview: false });
    assert.ok(res, 'the command returned its summary');
    assert.deepEqual((await prompts({})).seen.map((p) => p.kind), ['openDialog']);
    // With log folders: a quick pick of them, then "Choose a folder…" for one not added.
    await vscode.commands.executeCommand('cloudtrailLens.addLogFolder', vscode.Uri.file(root));
    await prompts({ reset: true, answers: [{ title: 'Validate Log Integrity', pick: [root] }] });
    res = await vscode.commands.executeCommand<Summary>('cloudtrailLens.validateIntegrity', undefined, { offline: true, quiet: true });
    assert.ok(res, 'the command returned its summary');
    const seen = (await prompts({})).seen;
    assert.deepEqual(seen.map((p) => p.kind), ['quickPick']);
    assert.ok(seen[0].items?.includes(root), `${root} offered`);
    assert.equal(seen[0].items?.at(-1), '$(folder-opened) Choose a folder…', 'the log folders, then "Choose a folder…"');
    const all = [a, b, c].reduce((n, f) => n + f.logs.flat().length + f.digests.length, 0);
    assert.equal(res.report.summary.files, all, 'every chain of the folder (the deleted digest reported as missing)');
    assert.equal(res.report.summary.byVerdict['digest-missing'], 1);
    assert.equal(res.report.summary.byVerdict.modified, 3);

    // The summary on screen: the report in the Markdown preview.
    const reportUri = vscode.Uri.file(res.reportFile);
    await until('the report in the Markdown preview', () =>
      vscode.window.tabGroups.all
        .flatMap((g) => g.tabs)
        .find((t) => t.input instanceof vscode.TabInputWebview && /markdown\.preview/.test(t.input.viewType) && t.label.includes('cloudtrail-integrity-report.md')),
    );
    const doc = await until('the report document', () => vscode.workspace.textDocuments.find((d) => d.uri.fsPath === reportUri.fsPath));
    const md = doc.getText();
    // Each Region's chain, with its hours and gaps.
    for (const [f, hours, gaps] of [
      [a, 3, 0],
      [b, 3, 1],
      [c, 3, 0],
    ] as [ChainFixture, number, number][]) {
      const at = md.indexOf(`### ${f.account} / ${f.region} / trail org_trail`);
      assert.ok(at >= 0, `a chain section for ${f.account} ${f.region}`);
      const section = md.slice(at, md.indexOf('###', at + 4) === -1 ? undefined : md.indexOf('###', at + 4));
      assert.match(section, new RegExp(`: ${hours} h covered, ${gaps} gaps?`), `${f.account} ${f.region}: ${section.slice(0, 400)}`);
      if (gaps) assert.match(section, /\*\*GAP\*\* 2026-01-31T22:00:00Z → 2026-01-31T23:00:00Z: 1 digest missing \(1 h\)/);
    }

    // Save Report…: a copy where the user picks.
    const out = path.join(tempRoot('saved'), 'evidence.md');
    await prompts({ reset: true, answers: [{ title: 'Save CloudTrail Integrity Report', path: out }] });
    assert.equal(await vscode.commands.executeCommand<string>('cloudtrailLens.saveIntegrityReport'), out);
    assert.equal(fs.readFileSync(out, 'utf8'), fs.readFileSync(res.reportFile, 'utf8'));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('on an account node, then on a Region node: verdicts and diagnostics stay within that account / Region', async () => {
    const root = tempRoot('nodes');
    const { a, b, c, edited } = writeFolder(root);
    await vscode.commands.executeCommand('cloudtrailLens.addLogFolder', vscode.Uri.file(root));
    const rootUri = vscode.Uri.file(root).toString();
    // The account node of this folder: labelled with the account, holding files under the folder.
    const accountNode = (s: SnapshotNode[], acct: string) => find(s, (n) => n.label === acct && !!find(n.children, (m) => !!m.resourceUri?.startsWith(rootUri + '/')));
    const account = await until('the account node', async () => accountNode(await snapshot(), C));
    assert.ok(account.node, 'the snapshot carries the node');

    const res = await vscode.commands.executeCommand<Summary>('cloudtrailLens.validateIntegrity', account.node, { offline: true, quiet: true, preview: false });
    assert.ok(res);
    assert.equal(res.report.summary.files, c.logs.flat().length + c.digests.length);
    assert.ok(res.report.files.every((f) => f.path.includes(`/${C}/`)), 'only that account was checked');
    assert.equal(vscode.languages.getDiagnostics(vscode.Uri.file(edited.c)).length, 1);
    assert.deepEqual(diagsUnder(root).map(([u]) => u.fsPath), [edited.c]);
    const verdictOf = (s: SnapshotNode[], rel: string) => find(s, (n) => n.resourceUri === vscode.Uri.file(path.join(root, rel)).toString())?.description ?? '';
    let s = await until('verdicts of account C in the tree', async () => {
      const t = await snapshot();
      return verdictOf(t, c.logs[2][0]).startsWith('modified') ? t : undefined;
    });
    assert.match(verdictOf(s, c.logs[0][0]), /^verified/);
    for (const rel of [a.logs[0][0], b.logs[0][0], a.digests[0]]) assert.doesNotMatch(verdictOf(s, rel), VERDICT, `${rel} has no verdict`);

    // The Region node eu-west-1 of account A.
    const accountA = accountNode(s, A);
    const region = find(accountA?.children, (n) => n.label === 'eu-west-1');
    assert.ok(region?.node, 'the Region node');
    const res2 = await vscode.commands.executeCommand<Summary>('cloudtrailLens.validateIntegrity', region.node, { offline: true, quiet: true, preview: false });
    assert.ok(res2);
    assert.ok(res2.report.files.every((f) => f.path.includes(`/${A}/`) && f.path.includes('/eu-west-1/')), 'only that Region was checked');
    assert.equal(res2.report.summary.byVerdict.modified, 1);
    assert.equal(vscode.languages.getDiagnostics(vscode.Uri.file(edited.b)).length, 1);
    assert.equal(vscode.languages.getDiagnostics(vscode.Uri.file(edited.c)).length, 1, "account C's diagnostic stays");
    assert.equal(vscode.languages.getDiagnostics(vscode.Uri.file(edited.a)).length, 0, 'us-east-1 of account A was not checked');
    assert.ok(diagsUnder(root).every(([u]) => u.fsPath.includes(`${path.sep}${C}${path.sep}`) || u.fsPath.includes(`${path.sep}eu-west-1${path.sep}`)));
    s = await until('verdicts of eu-west-1 in the tree', async () => {
      const t = await snapshot();
      return verdictOf(t, b.logs[3][0]).startsWith('modified') ? t : undefined;
    });
    assert.match(verdictOf(s, c.logs[0][0]), /^verified/, "account C's verdicts stay");
    for (const rel of [a.logs[0][0], a.logs[1][0], a.digests[2]]) assert.doesNotMatch(verdictOf(s, rel), VERDICT, `${rel} has no verdict`);
  });

  it('cancelled from its progress: no report, no diagnostics and no verdicts for files it did not finish', async () => {
    const root = tempRoot('cancel');
    const fx = writeChain(root, { hours: 4, logsPerHour: 30, recordsPerLog: 40 });
    await vscode.commands.executeCommand('cloudtrailLens.addLogFolder', vscode.Uri.file(root));
    // Cancel as the notification's Cancel button would, once the first log files are hashed.
    await prompts({ reset: true, cancelOnProgress: 'Validating log integrity' });
    const res = await vscode.commands.executeCommand<Summary | undefined>('cloudtrailLens.validateIntegrity', vscode.Uri.file(root), { offline: true, quiet: true });
    assert.equal((await prompts({})).armed, 0, 'the cancel was delivered during the run');
    assert.equal(res, undefined, 'a cancelled run returns nothing');
    assert.ok(!fs.existsSync(path.join(root, 'cloudtrail-integrity-report.md')), 'no report of a half run');
    assert.deepEqual(diagsUnder(root), []);
    // The tree lists the files, none with a verdict.
    const s = await until('the folder in the tree', async () => {
      const t = await snapshot();
      return find(t, (n) => n.resourceUri === vscode.Uri.file(path.join(root, fx.logs[3][29])).toString()) ? t : undefined;
    });
    const withVerdict = [] as string[];
    for (const rel of [...fx.logs.flat(), ...fx.digests]) {
      const d = find(s, (n) => n.resourceUri === vscode.Uri.file(path.join(root, rel)).toString())?.description ?? '';
      if (VERDICT.test(d)) withVerdict.push(`${rel}: ${d}`);
    }
    assert.deepEqual(withVerdict, []);
  });
});
