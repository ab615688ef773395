// Identity trace, export and the AWS "no credentials" node in the real VS Code (webview in Chromium). The fixture
// is built here: alice (long-term key) assumes Admin, whose session assumes Deploy (a two-hop role chain), plus
// records of other principals. Expected values are computed from the fixture with JSON.parse / text search, not
// with the cores under test.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DomSummary, TestAction } from '../../src/protocol/protocol';
import { until } from '../support/until';
import { parseCsv } from '../support/csv';

const VIEW_TYPE = 'cloudtrailLens.viewer';
const ACCOUNT = '111122223333';

function act(action: TestAction): Promise<DomSummary> {
  return vscode.commands.executeCommand<DomSummary>('cloudtrailLens.viewer._test', action) as Promise<DomSummary>;
}

interface SnapNode {
  kind: string;
  label: string;
  description: string;
  link: string;
  accessKey: string;
  count: number;
  rows: number[];
  onPath: boolean;
  children: SnapNode[];
}
interface Snap {
  root: SnapNode;
  chain: { row: number; accessKey: string; link: string }[];
  message: string;
}

// ---- fixture -------------------------------------------------------------------------------------------------
let minute = 0;
const time = () => new Date(Date.UTC(2026, 0, 10, 9, 0, 0) + ++minute * 60_000).toISOString().replace('.000', '');
const user = (key: string) => ({ type: 'IAMUser', principalId: 'AIDAALICE', arn: `arn:aws:iam::${ACCOUNT}:user/alice`, accountId: ACCOUNT, accessKeyId: key, userName: 'alice' });
const session = (role: string, name: string, key: string) => ({
  type: 'AssumedRole',
  principalId: `AROA${role.toUpperCase()}:${name}`,
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/${name}`,
  accountId: ACCOUNT,
  accessKeyId: key,
  sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${ACCOUNT}:role/${role}`, userName: role } },
});
let n = 0;
function record(eventName: string, userIdentity: object, extra: object = {}): Record<string, unknown> {
  return {
    eventVersion: '1.10',
    userIdentity,
    eventTime: time(),
    eventSource: eventName.startsWith('Assume') ? 'sts.amazonaws.com' : 's3.amazonaws.com',
    eventName,
    awsRegion: 'eu-west-1',
    sourceIPAddress: '198.51.100.7',
    userAgent: 'aws-cli/2.15',
    eventID: `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
    eventType: 'AwsApiCall',
    recipientAccountId: ACCOUNT,
    ...extra,
  };
}
const assume = (caller: object, role: string, name: string, key: string) =>
  record('AssumeRole', caller, {
    requestParameters: { roleArn: `arn:aws:iam::${ACCOUNT}:role/${role}`, roleSessionName: name },
    responseElements: { credentials: { accessKeyId: key, expiration: 'Jan 10, 2026, 11:00:00 AM' }, assumedRoleUser: { arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/${name}` } },
  });

/** Record texts: the big number and the formula-like and comma/quote/newline values are there to be kept intact. */
function fixtureRecords(): Record<string, unknown>[] {
  return [
    record('ListBuckets', user('AKIAALICE')),
    assume(user('AKIAALICE'), 'Admin', 'alice-admin', 'ASIAADMIN1'),
    record('GetCallerIdentity', session('Admin', 'alice-admin', 'ASIAADMIN1')),
    assume(session('Admin', 'alice-admin', 'ASIAADMIN1'), 'Deploy', 'deploy-run', 'ASIADEPLOY2'),
    record('ListBuckets', { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/bob`, accountId: ACCOUNT, accessKeyId: 'AKIABOB', userName: 'bob' }, { sourceIPAddress: '=1+2' }),
    record('PutObject', session('Deploy', 'deploy-run', 'ASIADEPLOY2'), { requestParameters: { bucketName: 'b, "quoted"\nline', size: 123456789012345678901234567890 } }),
    record('DeleteObject', session('Deploy', 'deploy-run', 'ASIADEPLOY2'), { errorCode: 'AccessDenied' }),
    record('PutObject', session('Deploy', 'deploy-run', 'ASIADEPLOY2')),
  ];
}

/** The file's text: JSON.stringify loses the big number's digits, so it is written back into the text. */
function fixtureText(records: Record<string, unknown>[]): string {
  return JSON.stringify({ Records: records }).replace(/"size":[0-9.e+]+/, '"size":123456789012345678901234567890');
}

// ---- helpers ---------------------------------------------------------------------------------------------------
async function openViewer(uri: vscode.Uri): Promise<DomSummary> {
  await vscode.commands.executeCommand('vscode.openWith', uri, VIEW_TYPE);
  await until(`the viewer for ${uri.path}`, async () => (await vscode.commands.executeCommand<string>('cloudtrailLens.viewer._activeUri')) === uri.toString());
  return until(`${uri.path} to finish loading`, async () => {
    const s = await act({ kind: 'summary' });
    return s.ready && !s.loading && s.rows.length > 0 ? s : undefined;
  });
}

function find(node: SnapNode, pred: (n: SnapNode) => boolean): SnapNode | undefined {
  if (pred(node)) return node;
  for (const c of node.children) {
    const f = find(c, pred);
    if (f) return f;
  }
  return undefined;
}

/** The description of the (first) session node under the second role of the chain. */
function deployDescription(root: SnapNode): string {
  return root.children[0]?.children[0]?.children[0]?.children[0]?.description ?? '';
}

/** The event ID and the big number's digits as written, of a record's JSON text. */
function idOf(text: string): string {
  return /"eventID":"([^"]+)"/.exec(text)?.[1] ?? '';
}

describe('identity trace and export', function () {
  this.timeout(90_000);
  let dir: string;
  let uri: vscode.Uri;
  let records: Record<string, unknown>[];

  before(() => {
    dir = fs.mkdtempSync(path.join(process.env.CLOUDTRAIL_LENS_TEST_WORKSPACE ?? os.tmpdir(), 'insight-'));
    records = fixtureRecords();
    const file = path.join(dir, 'role-chain.json');
    fs.writeFileSync(file, fixtureText(records));
    uri = vscode.Uri.file(file);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('exports the whole view in each format, read back equal to the records in view order, every digit kept', async () => {
    const s = await openViewer(uri);
    assert.equal(s.countText, `${records.length} records`);
    // The view: newest first (default sort); times are distinct, so this is the order.
    const expectedIds = [...records].sort((a, b) => String(b.eventTime).localeCompare(String(a.eventTime))).map((r) => String(r.eventID));
    const byId = new Map(records.map((r) => [String(r.eventID), r]));

    for (const format of ['log', 'jsonl', 'csv'] as const) {
      const out = path.join(dir, `all.${format}`);
      const result = await vscode.commands.executeCommand<{ records: number; columns: string[] }>('cloudtrailLens.viewer.export', { format, uri: vscode.Uri.file(out) });
      assert.equal(result?.records, records.length, format);
      const text = fs.readFileSync(out, 'utf8');
      let texts: string[];
      if (format === 'log') {
        assert.ok(text.startsWith('{"Records":['));
        texts = (JSON.parse(text) as { Records: unknown[] }).Records.map((r) => JSON.stringify(r));
      } else if (format === 'jsonl') {
        texts = text.split('\n').filter(Boolean);
      } else {
        const rows = parseCsv(text);
        assert.deepEqual(rows[0], [...s.headers, 'record'], 'CSV header: the columns as shown, then the record');
        const ipAt = s.headers.indexOf('Source IP');
        const bob = rows.find((r) => r[r.length - 1].includes('AKIABOB'));
        assert.equal(bob?.[ipAt], "'=1+2", 'a formula-like cell is neutralised');
        const nameAt = s.headers.indexOf('Event name');
        assert.deepEqual(rows.slice(1).map((r) => r[nameAt]), expectedIds.map((id) => String(byId.get(id)!.eventName)));
        texts = rows.slice(1).map((r) => r[r.length - 1]);
      }
      // The record texts as written (CSV: once unquoted) keep the big number's every digit.
      assert.ok(texts.some((t) => t.includes('"size":123456789012345678901234567890')) || (format === 'log' && text.includes('"size":123456789012345678901234567890')), `${format}: the big number keeps every digit`);
      assert.deepEqual(texts.map(idOf), expectedIds, `${format}: the records, in view order`);
      for (const t of texts) {
        const want = byId.get(idOf(t))!;
        const got = JSON.parse(t) as Record<string, unknown>;
        // Compare everything except the big number (JSON.parse rounds it on both sides alike anyway).
        assert.deepEqual(got, JSON.parse(JSON.stringify(want)), `${format}: ${idOf(t)} read back equal`);
      }
      const put = texts.find((t) => t.includes('"bucketName"'))!;
      assert.equal((JSON.parse(put) as { requestParameters: { bucketName: string } }).requestParameters.bucketName, 'b, "quoted"\nline');
    }
  });

  it('traces a record of the second hop back through both AssumeRole calls to alice, from the cell menu', async () => {
    await openViewer(uri);
    // Row 0 (newest) is the last PutObject of the Deploy session.
    await act({ kind: 'cellMenu', rowPos: 0, column: 'eventName', item: 'Trace this identity' });
    const snap = await until('the trace tree', async () => vscode.commands.executeCommand<Snap | undefined>('cloudtrailLens.trace._snapshot'));
    assert.deepEqual(snap.chain.map((c) => [c.row, c.accessKey, c.link]), [[7, 'ASIADEPLOY2', 'exact'], [3, 'ASIAADMIN1', 'exact'], [1, 'AKIAALICE', 'exact']]);
    assert.match(snap.message, /2 links back \(2 exact, 0 heuristic/);
    const root = snap.root;
    assert.equal(root.kind, 'principal');
    assert.equal(root.label, 'alice');
    assert.equal(root.accessKey, 'AKIAALICE');
    assert.deepEqual(root.rows, [0, 1, 2, 3, 5, 6, 7], 'every record made with alice’s keys, and no one else’s');
    // Failed calls under the node are counted (from the fixture: the Deploy session's AccessDenied).
    const failed = root.rows.filter((i) => records[i].errorCode).length;
    assert.equal(failed, 1);
    assert.match(root.description, new RegExp(`^7 records · ${failed} error · 2026-01-10`));
    assert.match(deployDescription(root), / · AssumeRole · /, 'a session names the call that issued it after its counts');
    const admin = root.children[0];
    assert.deepEqual([admin.kind, admin.label, admin.link], ['role', 'Admin', 'exact']);
    const adminSession = admin.children[0];
    assert.deepEqual([adminSession.kind, adminSession.label, adminSession.accessKey], ['session', 'alice-admin (AssumeRole)', 'ASIAADMIN1']);
    const deploy = adminSession.children[0];
    assert.deepEqual([deploy.kind, deploy.label], ['role', 'Deploy']);
    const deploySession = deploy.children[0];
    assert.deepEqual([deploySession.label, deploySession.accessKey, deploySession.count, deploySession.link], ['deploy-run (AssumeRole)', 'ASIADEPLOY2', 3, 'exact']);
    assert.ok(deploySession.onPath && adminSession.onPath);
    assert.deepEqual(deploySession.children.map((c) => [c.kind, c.label, c.count]), [['action', 'PutObject', 2], ['action', 'DeleteObject', 1]]);
    assert.equal(find(root, (x) => x.label === 'GetCallerIdentity')?.onPath, false);

    // A node filters the table to its records, shown as a chip.
    await vscode.commands.executeCommand('cloudtrailLens.trace._show', [0, 0, 0, 0]);
    const shown = await until('the trace row set in the viewer', async () => {
      const s = await act({ kind: 'summary' });
      return s.chips.some((c) => c.includes('deploy-run')) && s.rows.length === 3 ? s : undefined;
    });
    assert.match(shown.countText, /^3 of 8/);
    const nameAt = shown.headers.indexOf('Event name');
    assert.deepEqual(shown.rows.map((r) => r[nameAt]).sort(), ['DeleteObject', 'PutObject', 'PutObject']);

    // Export follows the view: only the trace node's records.
    const out = path.join(dir, 'trace.jsonl');
    const result = await vscode.commands.executeCommand<{ records: number }>('cloudtrailLens.viewer.export', { format: 'jsonl', uri: vscode.Uri.file(out) });
    assert.equal(result?.records, 3);
    const lines = fs.readFileSync(out, 'utf8').split('\n').filter(Boolean);
    assert.deepEqual(lines.map((l) => (JSON.parse(l) as { userIdentity: { accessKeyId: string } }).userIdentity.accessKeyId), ['ASIADEPLOY2', 'ASIADEPLOY2', 'ASIADEPLOY2']);
  });
});

describe('AWS without credentials', function () {
  this.timeout(60_000);
  const settings = ['profile', 'configFile', 'credentialsFile'] as const;
  let savedFolders: unknown;
  let saved: Record<string, unknown> = {};
  let dir: string;

  before(async function () {
    if ((process.env.AWS_ACCESS_KEY_ID && process.env.AWS_SECRET_ACCESS_KEY) || process.env.AWS_WEB_IDENTITY_TOKEN_FILE || process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI) {
      this.skip(); // the environment has credentials: there is no "no credentials" state to see
    }
    await vscode.extensions.getExtension('cloudtrail-lens.cloudtrail-lens')?.activate();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctl-nocreds-'));
    const cfg = vscode.workspace.getConfiguration('cloudtrailLens.aws');
    saved = Object.fromEntries(settings.map((k) => [k, cfg.inspect(k)?.globalValue]));
    await cfg.update('configFile', path.join(dir, 'config'), vscode.ConfigurationTarget.Global);
    await cfg.update('credentialsFile', path.join(dir, 'credentials'), vscode.ConfigurationTarget.Global);
    await cfg.update('profile', undefined, vscode.ConfigurationTarget.Global);
    // The AWS node shows beside other explorer content (a log folder here); an otherwise empty explorer shows the
    // view's welcome content with the same buttons instead.
    const root = vscode.workspace.getConfiguration('cloudtrailLens');
    savedFolders = root.inspect('logFolders')?.globalValue;
    fs.mkdirSync(path.join(dir, 'logs'));
    await root.update('logFolders', [path.join(dir, 'logs')], vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    const cfg = vscode.workspace.getConfiguration('cloudtrailLens.aws');
    for (const k of settings) await cfg.update(k, saved[k], vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('cloudtrailLens').update('logFolders', savedFolders, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('cloudtrailLens.aws.refresh');
  });

  it('shows an AWS node saying so, with a way to open the config file and to run aws configure sso', async () => {
    const summary = await vscode.commands.executeCommand<string>('cloudtrailLens.aws.refresh');
    assert.match(summary ?? '', /no credentials found/);
    assert.ok(summary?.includes(path.join(dir, 'config')), 'Refresh AWS names the file it read');
    const roots = await until('the AWS node', async () => {
      const all = (await vscode.commands.executeCommand<{ label: string; description?: string; contextValue?: string; children?: { label: string; command?: string }[] }[]>('cloudtrailLens.explorer.snapshot', { path: [], depth: 2 })) ?? [];
      return all.some((r) => r.label === 'AWS') ? all : undefined;
    });
    const aws = roots.find((r) => r.label === 'AWS');
    assert.ok(aws, `an AWS node among ${JSON.stringify(roots.map((r) => r.label))}`);
    assert.equal(aws.description, 'no credentials found');
    assert.equal(aws.contextValue, 'awsNoCredentials');
    assert.deepEqual(aws.children?.map((c) => c.command), ['cloudtrailLens.aws.openConfigFile', 'cloudtrailLens.aws.configureSso', 'cloudtrailLens.aws.refresh']);

    // "Open AWS Config File" opens the configured file; it does not exist yet, so as a new file with an example.
    const opened = await vscode.commands.executeCommand<string>('cloudtrailLens.aws.openConfigFile');
    assert.equal(opened, path.join(dir, 'config'));
    const editor = await until('the config file editor', () => {
      const e = vscode.window.activeTextEditor;
      return e && e.document.uri.fsPath === path.join(dir, 'config') && e.document.getText().includes('[profile ') ? e : undefined;
    });
    assert.equal(editor.document.uri.scheme, 'untitled');
  });
});
