// Log folders in the real VS Code: adding folders through the command (with a URI argument, as the picker would
// give), the explorer tree read back through the hidden `cloudtrailLens.local.snapshot` command, opening all events
// of a day in the record viewer (real worker threads, real webview), damaged files, the record cap, removal.
// The test tree is written here with zlib + JSON; expected values are computed here, not by the code under test.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import * as vscode from 'vscode';
import { until } from '../support/until';

interface SnapshotNode {
  id?: string;
  label: string;
  description?: string;
  contextValue?: string;
  resourceUri?: string;
  children?: SnapshotNode[];
}

interface OpenSummary {
  title: string;
  files: number;
  parsed: number;
  records: number;
  problemFiles: number;
  truncated: boolean;
  cancelled: boolean;
  opened: boolean;
}

const A = '111122223333';
const B = '222233334444';

function record(i: number, region: string, time: string, account = A): Record<string, unknown> {
  return {
    eventVersion: '1.08',
    userIdentity: { type: 'IAMUser', accountId: account, userName: `user-${i}` },
    eventTime: time,
    eventSource: 'iam.amazonaws.com',
    eventName: i % 2 ? 'ListUsers' : 'GetUser',
    awsRegion: region,
    sourceIPAddress: `192.0.2.${i % 250}`,
    userAgent: 'aws-cli/2',
    requestParameters: null,
    responseElements: null,
    eventID: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    readOnly: true,
    eventType: 'AwsApiCall',
    recipientAccountId: account,
  };
}

function snapshot(): Promise<SnapshotNode[]> {
  return vscode.commands.executeCommand<SnapshotNode[]>('cloudtrailLens.local.snapshot') as Promise<SnapshotNode[]>;
}

function child(n: SnapshotNode | undefined, label: string): SnapshotNode {
  const c = n?.children?.find((x) => x.label === label);
  assert.ok(c, `"${label}" under "${n?.label}" (have: ${n?.children?.map((x) => x.label).join(', ')})`);
  return c;
}

describe('Log folders (local explorer)', function () {
  this.timeout(60_000);
  let root: string;
  let broken: string;
  const dayFiles: Record<string, unknown>[][] = [];
  const write = (rel: string, data: Buffer | string) => {
    const p = path.join(root, ...rel.split('/'));
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, data);
  };
  const gz = (records: unknown[]) => zlib.gzipSync(Buffer.from(JSON.stringify({ Records: records })));
  /** A record text JSON.stringify cannot produce: a number beyond 2^53 and a `__proto__` key (spliced in). */
  const BIG = '12345678901234567890';
  let bigRecord = '';
  /** The day's record texts exactly as written to its files. */
  const dayTexts: string[] = [];
  const folderNode = async (dir: string) => {
    const roots = await snapshot();
    return roots.find((r) => r.resourceUri === undefined && r.id === `local:${vscode.Uri.file(dir).toString()}`);
  };

  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ctl-local-it-'));
    // Account A, us-east-1, 2024-03-05: three files (9 records); 2024-03-04: one file.
    const day = 'AWSLogs/111122223333/CloudTrail/us-east-1/2024/03/05';
    for (let f = 0; f < 3; f++) {
      const recs = Array.from({ length: 3 }, (_, i) => record(f * 3 + i, 'us-east-1', `2024-03-05T0${f}:1${i}:00Z`));
      dayFiles.push(recs);
      const texts = recs.map((r) => JSON.stringify(r));
      if (f === 1) {
        texts[1] = texts[1].replace('"requestParameters":null', `"requestParameters":{"bytes":${BIG},"__proto__":{"polluted":"yes"}}`);
        bigRecord = texts[1];
      }
      dayTexts.push(...texts);
      write(`${day}/${A}_CloudTrail_us-east-1_20240305T0${f}20Z_Abcdefghijklmno${f}.json.gz`, zlib.gzipSync(`{"Records":[${texts.join(',')}]}`));
    }
    write(`AWSLogs/${A}/CloudTrail/us-east-1/2024/03/04/${A}_CloudTrail_us-east-1_20240304T2355Z_Zzzzzzzzzzzzzzz0.json.gz`, gz([record(50, 'us-east-1', '2024-03-04T23:50:00Z')]));
    write(`AWSLogs/${A}/CloudTrail/eu-west-1/2024/03/05/${A}_CloudTrail_eu-west-1_20240305T0100Z_Eeeeeeeeeeeeeee0.json.gz`, gz([record(60, 'eu-west-1', '2024-03-05T00:55:00Z')]));
    write(`AWSLogs/${A}/CloudTrail-Digest/us-east-1/2024/03/05/${A}_CloudTrail-Digest_us-east-1_trail_us-east-1_20240305T010000Z.json.gz`, zlib.gzipSync('{"awsAccountId":"111122223333","logFiles":[]}'));
    // Organization trail layout, account B, with one damaged file beside a good one.
    const orgDay = `AWSLogs/o-aaaabbbbcc/${B}/CloudTrail/ap-south-1/2024/01/31`;
    write(`${orgDay}/${B}_CloudTrail_ap-south-1_20240131T1200Z_Bbbbbbbbbbbbbbb0.json.gz`, gz([record(70, 'ap-south-1', '2024-01-31T11:55:00Z', B), record(71, 'ap-south-1', '2024-01-31T11:56:00Z', B)]));
    const whole = gz(Array.from({ length: 40 }, (_, i) => record(100 + i, 'ap-south-1', '2024-01-31T12:00:00Z', B)));
    broken = `${orgDay}/${B}_CloudTrail_ap-south-1_20240131T1205Z_Bbbbbbbbbbbbbbb1.json.gz`;
    write(broken, whole.subarray(0, 40));
    // Loose files.
    write('loose/events.jsonl', [record(80, 'us-west-2', '2024-02-02T00:00:00Z'), record(81, 'us-west-2', '2024-02-02T00:01:00Z')].map((r) => JSON.stringify(r)).join('\n') + '\n');
    write('notes.txt', 'ignored');
  });

  after(async () => {
    await vscode.commands.executeCommand('cloudtrailLens.removeLogFolder', vscode.Uri.file(root));
    await vscode.workspace.getConfiguration('cloudtrailLens').update('maxCombinedRecords', undefined, vscode.ConfigurationTarget.Workspace);
    fs.rmSync(root, { recursive: true, force: true });
  });

  /** The folder's node; adds the folder first when a test runs on its own (e.g. with --grep). */
  async function folderInTree() {
    await vscode.commands.executeCommand<number>('cloudtrailLens.addLogFolder', vscode.Uri.file(root));
    return until('the folder in the tree', () => folderNode(root));
  }

  it('adds a folder given as a URI and remembers it in cloudtrailLens.logFolders', async () => {
    const added = await vscode.commands.executeCommand<number>('cloudtrailLens.addLogFolder', vscode.Uri.file(root));
    assert.equal(added, 1);
    const list = vscode.workspace.getConfiguration('cloudtrailLens').get<string[]>('logFolders') ?? [];
    assert.ok(list.some((e) => path.resolve(e) === path.resolve(root)), `setting has the folder: ${JSON.stringify(list)}`);
    // Adding it again changes nothing.
    assert.equal(await vscode.commands.executeCommand<number>('cloudtrailLens.addLogFolder', vscode.Uri.file(root)), 0);
  });

  it('shows folder → account → Region → day → files, with org, digest and other-files groups', async () => {
    const folder = await folderInTree();
    assert.equal(folder.contextValue, 'cloudtrailLens.localFolder');
    assert.deepEqual(folder.children?.map((c) => c.label), [A, B, 'Other files']);

    const a = child(folder, A);
    assert.equal(a.contextValue, 'cloudtrailLens.localAccount');
    assert.deepEqual(a.children?.map((c) => c.label), ['eu-west-1', 'us-east-1', 'Digest files']);
    const east = child(a, 'us-east-1');
    assert.deepEqual(east.children?.map((c) => c.label), ['2024-03-05', '2024-03-04'], 'newest day first');
    const day = child(east, '2024-03-05');
    assert.equal(day.contextValue, 'cloudtrailLens.localDay');
    // Sibling files are told apart by delivery time and unique part; the full name is the description.
    assert.deepEqual(day.children?.map((c) => c.label), [0, 1, 2].map((f) => `0${f}:20 · Abcdefghijklmno${f}`));
    assert.deepEqual(
      day.children?.map((c) => c.description),
      [0, 1, 2].map((f) => `${A}_CloudTrail_us-east-1_20240305T0${f}20Z_Abcdefghijklmno${f}.json.gz`),
    );
    for (const f of day.children ?? []) {
      assert.equal(f.contextValue, 'cloudtrailLens.localFile');
      assert.ok(f.resourceUri && fs.existsSync(vscode.Uri.parse(f.resourceUri).fsPath), 'file node points at the file');
    }
    const digests = child(a, 'Digest files');
    assert.equal(digests.contextValue, 'cloudtrailLens.localDigests');

    const b = child(folder, B);
    assert.match(b.description ?? '', /o-aaaabbbbcc/, 'organization shown on the account');
    assert.equal(child(child(b, 'ap-south-1'), '2024-01-31').children?.length, 2);

    const other = child(folder, 'Other files');
    assert.deepEqual(other.children?.map((c) => c.label), ['events.jsonl'], 'notes.txt is not listed');
  });

  it('a log folder on screen starts the shared worker pool and warms it up before any file is opened', async () => {
    await folderInTree();
    // The warm-up starts when the explorer lists a log folder; its report comes when every worker has parsed the sample.
    const report = await until('the worker pool warm-up', async () => await vscode.commands.executeCommand<{ workers: number; records: number; ms: number } | undefined>('cloudtrailLens.pool._warmUp'));
    assert.ok(report.workers >= 1, `workers warmed: ${report.workers}`);
    assert.equal(report.records % report.workers, 0, 'each worker parsed the same sample');
    assert.ok(report.records >= report.workers * 250, `records parsed: ${report.records}`);
  });

  it('opens all events of a day in the record viewer', async () => {
    const folder = await folderInTree();
    const day = child(child(child(folder, A), 'us-east-1'), '2024-03-05');
    const summary = await vscode.commands.executeCommand<OpenSummary>('cloudtrailLens.openAllEvents', day.id);
    const expected = dayFiles.flat().length;
    assert.equal(summary.files, 3);
    assert.equal(summary.records, expected);
    assert.equal(summary.problemFiles, 0);
    assert.equal(summary.truncated, false);
    assert.equal(summary.opened, true);
    assert.match(summary.title, /111122223333 · us-east-1 · 2024-03-05/);
    // The viewer shows exactly those records.
    const s = await until('the viewer to load the combined records', async () => {
      const r = await vscode.commands.executeCommand<{ ready: boolean; loading: boolean; countText: string }>('cloudtrailLens.viewer._test', { kind: 'summary' });
      return r && r.ready && !r.loading && r.countText === `${expected} records` ? r : undefined;
    });
    assert.equal(s.countText, `${expected} records`);
    // The viewer was handed each record's own text from the files (not objects written out again): the spliced
    // record is there byte for byte, big number and `__proto__` key included.
    const uri = vscode.Uri.parse((await vscode.commands.executeCommand<string>('cloudtrailLens.viewer._activeUri'))!);
    const doc = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    assert.equal(dayTexts.length, expected);
    for (const t of dayTexts) assert.ok(doc.includes(t), `record kept as the file has it: ${t.slice(0, 80)}…`);
    assert.ok(bigRecord.includes(BIG) && doc.includes(bigRecord));
    assert.deepEqual(JSON.parse(doc).Records.map((r: { eventID: string }) => r.eventID), dayFiles.flat().map((r) => r.eventID), 'file order');
    // In the viewer, the number keeps every digit and `__proto__` is just a key.
    const one = await vscode.commands.executeCommand<{ countText: string }>('cloudtrailLens.viewer._test', { kind: 'setFilterText', text: BIG });
    assert.equal(one.countText, `1 of ${expected}`);
    await vscode.commands.executeCommand('cloudtrailLens.viewer._test', { kind: 'select', rowPos: 0 });
    const d = await vscode.commands.executeCommand<{ detail?: { lines: string[] } }>('cloudtrailLens.viewer._test', { kind: 'expandAll' });
    assert.ok(d.detail?.lines.includes(`bytes: ${BIG}`), `detail shows the exact number: ${JSON.stringify(d.detail?.lines)}`);
    assert.ok(d.detail?.lines.some((l) => l.startsWith('__proto__:')), 'the __proto__ key is shown as a key');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('a combined view names each record\'s source file and what was combined, makes JSON only when asked, and opens the source file at a record', async () => {
    const exec = <T>(cmd: string, ...args: unknown[]) => vscode.commands.executeCommand<T>(cmd, ...args) as Promise<T>;
    type Summary = { ready: boolean; loading: boolean; countText: string; headers: string[]; rows: string[][]; detailSource?: string; selectedIndex?: number; detail?: unknown };
    const act = (action: object) => exec<Summary>('cloudtrailLens.viewer._test', action);
    const before = await exec<number>('cloudtrailLens.viewer._materialised');
    const folder = await folderInTree();
    const day = child(child(child(folder, A), 'us-east-1'), '2024-03-05');
    const summary = await exec<OpenSummary>('cloudtrailLens.openAllEvents', day.id);
    const expected = dayFiles.flat().length;
    const s = await until('the combined view loaded', async () => {
      const r = await act({ kind: 'summary' });
      return r && r.ready && !r.loading && r.countText === `${expected} records` ? r : undefined;
    });
    // The tab says what was combined, and carries the extension's icon.
    assert.equal(vscode.window.tabGroups.activeTabGroup.activeTab?.label, `${summary.title} · 3 files`);
    const combined = await exec<{ title: string; icon?: string; origins: string[] }>('cloudtrailLens.viewer._combined');
    assert.equal(combined.title, `${summary.title} · 3 files`);
    assert.ok(combined.icon?.endsWith('/media/icon.png'), `tab icon: ${combined.icon}`);
    // The Source column names each record's file (file names written above, record by record).
    const names = [0, 1, 2].map((f) => `${A}_CloudTrail_us-east-1_20240305T0${f}20Z_Abcdefghijklmno${f}.json.gz`);
    assert.deepEqual(combined.origins, names);
    const col = s.headers.indexOf('Source');
    assert.ok(col >= 0, `a Source column: ${s.headers.join(', ')}`);
    const idCol = s.headers.indexOf('Event name');
    assert.equal(s.rows.length, expected);
    for (const row of s.rows) assert.ok(names.includes(row[col]), `source cell ${row[col]} (${row[idCol]})`);
    // Record 2 of the second file: its detail header names that file.
    const target = dayFiles[1][2];
    assert.equal((await act({ kind: 'setFilterText', text: String(target.eventID) })).countText, `1 of ${expected}`);
    const withDetail = await act({ kind: 'select', rowPos: 0 });
    assert.ok(withDetail.detailSource?.includes(names[1]), `detail header: ${withDetail.detailSource}`);
    assert.deepEqual(withDetail.rows.map((r) => r[col]), [names[1]]);
    // Nothing so far made the combined list's JSON text.
    assert.equal(await exec<number>('cloudtrailLens.viewer._materialised'), before, 'no JSON text made before "Open as JSON"');
    const combinedUri = await exec<string>('cloudtrailLens.viewer._activeUri');
    // "Open source file at this record": the file opens in the viewer with that record selected.
    await act({ kind: 'openSource' });
    const fileUri = vscode.Uri.file(path.join(root, 'AWSLogs', A, 'CloudTrail', 'us-east-1', '2024', '03', '05', names[1])).toString();
    await until('the source file in the viewer', async () => ((await exec<string>('cloudtrailLens.viewer._activeUri')) === fileUri ? true : undefined));
    const inFile = await until('the record selected in its file', async () => {
      const r = await act({ kind: 'summary' });
      return r.ready && r.selectedIndex === 2 && r.detail ? r : undefined;
    });
    assert.equal(inFile.countText, '3 records');
    assert.equal(inFile.detailSource, undefined, 'a single file has no source line');
    assert.equal(await exec<number>('cloudtrailLens.viewer._materialised'), before);
    // Back in the combined view, "Open as JSON" makes the text once: the records as the files hold them.
    const tab = vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputCustom && t.input.uri.toString() === combinedUri)!;
    await vscode.commands.executeCommand('vscode.openWith', (tab.input as vscode.TabInputCustom).uri, 'cloudtrailLens.viewer');
    await until('the combined view active again', async () => ((await exec<string>('cloudtrailLens.viewer._activeUri')) === combinedUri ? true : undefined));
    await vscode.commands.executeCommand('cloudtrailLens.viewer.openAsJson');
    const editor = await until('the JSON text', () => (vscode.window.activeTextEditor?.document.uri.toString() === combinedUri ? vscode.window.activeTextEditor : undefined));
    assert.equal(editor.document.languageId, 'json');
    assert.deepEqual(JSON.parse(editor.document.getText()).Records.map((r: { eventID: string }) => r.eventID), dayFiles.flat().map((r) => r.eventID));
    assert.equal(await exec<number>('cloudtrailLens.viewer._materialised'), before + 1, 'made once, on request');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('reports a damaged file and still opens the good ones', async () => {
    const folder = await folderInTree();
    const region = child(child(folder, B), 'ap-south-1');
    const summary = await vscode.commands.executeCommand<OpenSummary>('cloudtrailLens.openAllEvents', region.id);
    assert.equal(summary.files, 2);
    assert.equal(summary.problemFiles, 1);
    assert.ok(summary.records >= 2, `the good file's 2 records (got ${summary.records})`);
    assert.ok(summary.records < 42);
    assert.equal(summary.opened, true);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('caps the number of records and says so', async () => {
    await vscode.workspace.getConfiguration('cloudtrailLens').update('maxCombinedRecords', 4, vscode.ConfigurationTarget.Workspace);
    try {
      const folder = await folderInTree();
      const account = child(folder, A);
      const summary = await vscode.commands.executeCommand<OpenSummary>('cloudtrailLens.openAllEvents', account.id);
      assert.equal(summary.files, 5, 'all log files of the account (not the digest)');
      assert.equal(summary.records, 4);
      assert.equal(summary.truncated, true);
    } finally {
      await vscode.workspace.getConfiguration('cloudtrailLens').update('maxCombinedRecords', undefined, vscode.ConfigurationTarget.Workspace);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });

  it('refresh picks up new files', async () => {
    write(`AWSLogs/${A}/CloudTrail/us-east-1/2024/03/06/${A}_CloudTrail_us-east-1_20240306T0000Z_Nnnnnnnnnnnnnnn0.json.gz`, gz([record(90, 'us-east-1', '2024-03-06T00:00:00Z')]));
    await vscode.commands.executeCommand('cloudtrailLens.refreshLogFolders');
    const folder = await folderInTree();
    assert.deepEqual(child(child(folder, A), 'us-east-1').children?.map((c) => c.label), ['2024-03-06', '2024-03-05', '2024-03-04']);
  });

  it('a folder that does not exist shows a message instead of failing', async () => {
    const missing = path.join(root, 'no-such-folder');
    await vscode.commands.executeCommand('cloudtrailLens.addLogFolder', vscode.Uri.file(missing));
    try {
      const node = await until('the missing folder in the tree', () => folderNode(missing));
      assert.equal(node.children?.length, 1);
      assert.match(node.children?.[0].label ?? '', /Cannot read this folder/);
    } finally {
      assert.equal(await vscode.commands.executeCommand<boolean>('cloudtrailLens.removeLogFolder', vscode.Uri.file(missing)), true);
    }
    assert.equal(await folderNode(missing), undefined);
  });

  it('removes a folder from the tree and the setting', async () => {
    assert.equal(await vscode.commands.executeCommand<boolean>('cloudtrailLens.removeLogFolder', vscode.Uri.file(root)), true);
    assert.equal(await folderNode(root), undefined);
    const list = vscode.workspace.getConfiguration('cloudtrailLens').get<string[]>('logFolders') ?? [];
    assert.ok(!list.some((e) => path.resolve(e) === path.resolve(root)));
  });
});

describe('Log folders listed by the workspace settings (D15)', function () {
  this.timeout(60_000);
  let outside: string;
  const id = (dir: string) => `local:${vscode.Uri.file(dir).toString()}`;
  const node = async (dir: string) => (await snapshot()).find((r) => r.id === id(dir));
  const cfg = () => vscode.workspace.getConfiguration('cloudtrailLens');

  before(() => {
    // Outside the workspace (the harness's workspace is another temp folder).
    outside = fs.mkdtempSync(path.join(os.tmpdir(), 'ctl-outside-'));
    const dir = path.join(outside, 'AWSLogs', A, 'CloudTrail', 'us-east-1', '2024', '03', '05');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `${A}_CloudTrail_us-east-1_20240305T0000Z_Outside.json.gz`), zlib.gzipSync(JSON.stringify({ Records: [record(1, 'us-east-1', '2024-03-05T00:00:00Z')] })));
  });
  after(async () => {
    await cfg().update('logFolders', undefined, vscode.ConfigurationTarget.Workspace);
    fs.rmSync(outside, { recursive: true, force: true });
  });

  it('does not scan a folder outside the workspace that only the workspace settings list, until the user allows it', async () => {
    assert.ok(!vscode.workspace.workspaceFolders?.some((w) => !path.relative(w.uri.fsPath, outside).startsWith('..')), 'the folder must lie outside the workspace');
    await cfg().update('logFolders', [outside], vscode.ConfigurationTarget.Workspace);
    const before = await until('the workspace-listed folder in the tree', () => node(outside));
    assert.deepEqual(before.children?.map((c) => c.label), ['Not scanned: outside this workspace — click to allow'], 'listed, but not scanned');
    assert.equal(await vscode.commands.executeCommand<boolean>('cloudtrailLens.allowLogFolder', vscode.Uri.file(outside), { confirmed: true }), true);
    const after = await until('the folder scanned once allowed', async () => {
      const n = await node(outside);
      return n?.children?.some((c) => c.label === A) && n;
    });
    assert.deepEqual(after.children?.map((c) => c.label), [A]);
  });

  it('the setting is restricted in untrusted workspaces (VS Code then ignores its workspace value)', () => {
    const restricted: string[] = vscode.extensions.getExtension('cloudtrail-lens.cloudtrail-lens')!.packageJSON.capabilities.untrustedWorkspaces.restrictedConfigurations;
    assert.ok(restricted.includes('cloudtrailLens.logFolders'));
    assert.ok(restricted.includes('cloudtrailLens.aws.profile'));
  });
});
