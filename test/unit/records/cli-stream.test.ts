// `records --json` streams (issue 13): records are written while the input is still arriving, and numbers keep
// the text they had in the file. `match` refuses look-alikes. The bundled CLI (out/cli.js) runs as a real subprocess.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { corpusDir, repoRoot } from '../../support/paths';

const cli = path.join(repoRoot, 'out', 'cli.js');
const rec = (i: number) =>
  `{"eventVersion":"1.11","eventTime":"2026-01-01T00:00:00Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","eventID":"id-${i}","n":0.0,"f":1.50,"e":2E3,"big":123456789012345678901234}`;

describe('cloudtrail-lens records --json (streaming)', () => {
  test('numbers are printed with the text they had in the file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctl-stream-'));
    try {
      const file = path.join(dir, 'n.json.gz');
      // Pretty-printed and gzipped: the output is still one line per file, number texts unchanged.
      fs.writeFileSync(file, gzipSync(`{\n  "Records": [\n    ${rec(1)},\n    ${rec(2).replace(/,/g, ',\n      ')}\n  ]\n}\n`));
      const r = spawnSync(process.execPath, [cli, 'records', '--json', file], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      const lines = r.stdout.split('\n').filter(Boolean);
      assert.equal(lines.length, 1);
      assert.equal((lines[0].match(/"n":0\.0,"f":1\.50,"e":2E3,"big":123456789012345678901234/g) ?? []).length, 2);
      const o = JSON.parse(lines[0]) as { kind: string; records: { eventID: string }[]; problems: unknown[] };
      assert.equal(o.kind, 'log');
      assert.deepEqual(o.records.map((x) => x.eventID), ['id-1', 'id-2']);
      assert.deepEqual(o.problems, []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('records are written while the input is still arriving', async () => {
    const child = spawn(process.execPath, [cli, 'records', '--json', '-'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    // First half of a log, without its end: a CLI that collects records before printing shows nothing yet.
    const first = Array.from({ length: 200 }, (_, i) => rec(i)).join(',');
    child.stdin.write(`{"Records":[${first},`);
    // A failed wait must not leave the child behind.
    const stop = () => { if (child.exitCode === null) child.kill(); };
    process.once('exit', stop);
    const deadline = Date.now() + Number(process.env.CTL_STREAM_WAIT_MS ?? 60_000);
    while (!out.includes('"eventID":"id-199"')) {
      if (child.exitCode !== null) assert.fail(`the CLI ended early: ${err}`);
      if (Date.now() > deadline) stop(), assert.fail(`no record was written before the input ended (stdout so far: ${JSON.stringify(out.slice(0, 200))})`);
      // Wake on new output, or at the deadline (a failure), whichever comes first.
      let timer: NodeJS.Timeout | undefined;
      await new Promise((resolve) => {
        timer = setTimeout(resolve, Math.max(0, deadline - Date.now()) + 10);
        child.stdout.once('data', resolve).once('end', resolve);
      });
      clearTimeout(timer);
    }
    assert.ok(!out.includes('"kind"'), 'the kind comes after the records');
    child.stdin.end(`${rec(200)}]}`);
    assert.equal(await exited, 0, err);
    const o = JSON.parse(out) as { file: string; kind: string; records: { eventID: string }[] };
    assert.equal(o.file, '-');
    assert.equal(o.kind, 'log');
    assert.equal(o.records.length, 201);
    assert.equal(o.records[200].eventID, 'id-200');
    process.removeListener('exit', stop);
  });
});

describe('cloudtrail-lens match on look-alikes', () => {
  test('an S3 event notification is not a CloudTrail file: no records matched, exit 1', () => {
    const sel = path.join(os.tmpdir(), `ctl-sel-${process.pid}.json`);
    fs.writeFileSync(sel, JSON.stringify([{ Name: 'all S3', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::S3::Object'] }] }]));
    try {
      const file = path.join(repoRoot, 'test', 'fixtures', 'shapes', 'lambda-s3-notification.json');
      const r = spawnSync(process.execPath, [cli, 'match', sel, file], { encoding: 'utf8' });
      assert.equal(r.status, 1);
      assert.match(r.stderr, /not a CloudTrail file: this is an S3 event notification/);
      assert.match(r.stdout, /^0 record\(s\) in 1 file\(s\)/);
      // EventBridge events are matched like the records they carry.
      const eb = path.join(corpusDir, 'own', 'eventbridge-api-calls.jsonl');
      const m = spawnSync(process.execPath, [cli, 'match', sel, eb], { encoding: 'utf8' });
      assert.match(m.stdout, /^3 record\(s\) in 1 file\(s\)/, m.stderr);
    } finally {
      fs.rmSync(sel, { force: true });
    }
  });
});
