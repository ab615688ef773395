// Investigation notebooks in the real VS Code: the query worker is not started by activation; a .ctnb file opens
// with its cells, a SQL cell runs on DuckDB (in the worker process) over a log folder written here, its output has
// the summary, chart and table; a bad column gives an error pointing at the SQL position; the result's records
// open in the record viewer. Expected counts are computed here from the records written.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import * as vscode from 'vscode';

async function until<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await Promise.resolve(probe()).catch(() => undefined);
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const A = '111122223333';
const NAMES = ['ConsoleLogin', 'AssumeRole', 'AssumeRole', 'ListBuckets', 'AssumeRole', 'ConsoleLogin', 'GetObject'];

describe('Investigation notebooks (query)', function () {
  this.timeout(120_000);
  let root: string;

  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ctl-query-it-'));
    const dir = path.join(root, 'logs', 'AWSLogs', A, 'CloudTrail', 'us-east-1', '2024', '03', '05');
    fs.mkdirSync(dir, { recursive: true });
    const recs = NAMES.map((n, i) => ({ eventVersion: '1.08', eventTime: `2024-03-05T01:0${i}:00Z`, eventSource: 'x.amazonaws.com', eventName: n, awsRegion: 'us-east-1', eventID: `e-${i}`, userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${A}:user/u${i % 2}` } }));
    fs.writeFileSync(path.join(dir, `${A}_CloudTrail_us-east-1_20240305T0110Z_Abcdefghijklmnop.json.gz`), zlib.gzipSync(JSON.stringify({ Records: recs })));
    fs.writeFileSync(
      path.join(root, 'case.ctnb'),
      JSON.stringify({
        cloudtrailLensNotebook: 1,
        source: { kind: 'folder', paths: ['logs'] },
        cells: [
          { kind: 'markdown', value: '# Case' },
          { kind: 'sql', value: 'SELECT eventname, count(*) AS n FROM cloudtrail GROUP BY eventname ORDER BY n DESC, eventname' },
          { kind: 'sql', value: 'SELECT eventnam\nFROM cloudtrail' },
          { kind: 'sql', value: `SELECT eventtime, eventname, eventid, "$path" FROM cloudtrail WHERE eventname = 'AssumeRole' ORDER BY eventtime` },
        ],
      }),
    );
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('does not start the query engine at activation', async () => {
    const ext = vscode.extensions.all.find((e) => e.packageJSON?.name === 'cloudtrail-lens')!;
    await ext.activate();
    const state = await vscode.commands.executeCommand<{ workerStarted: boolean; featureLoaded: boolean }>('cloudtrailLens.query._state');
    assert.equal(state.workerStarted, false);
    // Nor loads the query bundle (out/query.js, required on first use) or DuckDB into the extension host: the host's
    // module registry, which this test bundle shares, has neither.
    assert.equal(state.featureLoaded, false);
    const loaded = Object.keys(require.cache);
    const queryBundle = path.join(ext.extensionPath, 'out', 'query.js');
    assert.ok(loaded.some((f) => f.startsWith(path.join(ext.extensionPath, 'out') + path.sep)), 'the registry lists the extension bundle');
    assert.ok(!loaded.includes(queryBundle), `${queryBundle} loaded at activation`);
    assert.deepEqual(loaded.filter((f) => f.includes(`${path.sep}@duckdb${path.sep}`)), []);
  });

  it('loads the query bundle on first use', async () => {
    const ext = vscode.extensions.all.find((e) => e.packageJSON?.name === 'cloudtrail-lens')!;
    await vscode.commands.executeCommand('cloudtrailLens.query.openRecords');
    const state = await vscode.commands.executeCommand<{ featureLoaded: boolean }>('cloudtrailLens.query._state');
    assert.equal(state.featureLoaded, true);
    assert.ok(Object.keys(require.cache).includes(path.join(ext.extensionPath, 'out', 'query.js')));
  });

  it('runs SQL cells on DuckDB: results with chart, an error at the SQL position, records opened in the viewer', async () => {
    const doc = await vscode.workspace.openNotebookDocument(vscode.Uri.file(path.join(root, 'case.ctnb')));
    assert.equal(doc.notebookType, 'cloudtrailLens.investigation');
    assert.equal(doc.cellCount, 4);
    await vscode.window.showNotebookDocument(doc);
    await vscode.commands.executeCommand('notebook.selectKernel', { id: 'cloudtrailLens.query.controller', extension: 'cloudtrail-lens.cloudtrail-lens' });
    await vscode.commands.executeCommand('notebook.execute');
    const htmlOf = (i: number) => {
      const item = doc.cellAt(i).outputs[0]?.items.find((x) => x.mime === 'text/html');
      return item ? new TextDecoder().decode(item.data) : undefined;
    };
    const html = await until('the first SQL cell\'s result', () => htmlOf(1));
    const counts = new Map<string, number>();
    for (const n of NAMES) counts.set(n, (counts.get(n) ?? 0) + 1);
    for (const [n, c] of counts) assert.match(html, new RegExp(`<td title="${n}">${n}</td><td title="${c}">${c}</td>`));
    assert.match(html, /<svg class="chart"/);
    assert.match(html, new RegExp(`${counts.size} rows`));
    assert.match(html, /1 file read/);

    const err = await until('the error cell', () => doc.cellAt(2).outputs[0]?.items.find((x) => x.mime === 'application/vnd.code.notebook.error'));
    const e = JSON.parse(new TextDecoder().decode(err.data)) as { message: string };
    assert.match(e.message, /line 1, column 8/);

    await until('the records cell', () => htmlOf(3));
    await vscode.commands.executeCommand('cloudtrailLens.query.openRecords', doc.cellAt(3).document.uri.toString());
    const active = await until('the record viewer', async () => (await vscode.commands.executeCommand<string>('cloudtrailLens.viewer._activeUri')) || undefined);
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.parse(active)));
    const ids = (JSON.parse(text) as { Records: { eventID: string }[] }).Records.map((r) => r.eventID);
    assert.deepEqual(ids, NAMES.map((n, i) => [n, `e-${i}`]).filter(([n]) => n === 'AssumeRole').map(([, id]) => id));
  });
});
