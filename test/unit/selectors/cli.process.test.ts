/** `cloudtrail-lens lint` and `match` through their run() entry points, and the built CLI as a process. */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { corpusDir, repoRoot } from '../../support/paths';
import { run as lint } from '../../../src/cli/lint';
import { run as match } from '../../../src/cli/match';

function io(cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t), cwd }, out, err };
}

let dir: string;
before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctl-sel-'));
  fs.writeFileSync(path.join(dir, 'good.json'), JSON.stringify([{ Name: 'mgmt', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }], null, 2));
  fs.writeFileSync(path.join(dir, 'bad.json'), '[\n  {"FieldSelectors": [\n    {"Field": "eventCategory", "Equals": ["Data"]}\n  ]}\n]\n');
  fs.writeFileSync(path.join(dir, 'warn.json'), JSON.stringify([{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::Brandnew::Thing'] }] }]));
  fs.writeFileSync(path.join(dir, 'other.json'), '{"hello": 1}');
  fs.writeFileSync(path.join(dir, 'eds.json'), JSON.stringify([{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Insight'] }] }]));
});

describe('lint', () => {
  it('prints file:line:col: severity: message and exits 1 on errors', async () => {
    const { io: x, out } = io(dir);
    assert.equal(await lint(['bad.json'], x), 1);
    assert.equal(out.length, 1);
    assert.match(out[0], /^bad\.json:3:43: error: Data selectors need a resources\.type .* \[resources-type-missing\]\n$/);
  });
  it('exits 0 for valid files and for warnings only', async () => {
    const a = io(dir);
    assert.equal(await lint(['good.json'], a.io), 0);
    assert.deepEqual(a.out, []);
    const b = io(dir);
    assert.equal(await lint(['warn.json'], b.io), 0);
    assert.match(b.out[0], /: warning: .*\[value-unknown\]/);
  });
  it('--json prints one object per file', async () => {
    const { io: x, out } = io(dir);
    assert.equal(await lint(['--json', 'good.json', 'bad.json'], x), 1);
    const lines = out.join('').trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines[0], { file: 'good.json', problems: [] });
    assert.equal(lines[1].file, 'bad.json');
    assert.deepEqual(Object.keys(lines[1].problems[0]).sort(), ['code', 'column', 'line', 'message', 'severity']);
    assert.equal(lines[1].problems[0].line, 3);
  });
  it('--target switches the rules', async () => {
    assert.equal(await lint(['eds.json'], io(dir).io), 1);
    assert.equal(await lint(['--target', 'event-data-store', 'eds.json'], io(dir).io), 0);
    assert.equal(await lint(['--target=event-data-store', 'eds.json'], io(dir).io), 0);
  });
  it('usage errors exit 2; unreadable files are errors (1); other JSON gets a warning', async () => {
    assert.equal(await lint([], io(dir).io), 2);
    assert.equal(await lint(['--target', 'lake', 'good.json'], io(dir).io), 2);
    assert.equal(await lint(['--bogus', 'good.json'], io(dir).io), 2);
    const m = io(dir);
    assert.equal(await lint(['missing.json'], m.io), 1);
    assert.match(m.out[0], /missing\.json:1:1: error: Cannot read the file: no such file/);
    const o = io(dir);
    assert.equal(await lint(['other.json'], o.io), 0);
    assert.match(o.out[0], /warning: Not a selector document/);
  });
});

describe('match', () => {
  const log = path.join(corpusDir, 'otrf-security-datasets');
  it('counts per selector and lists what no selector logs', async () => {
    const file = fs.readdirSync(log).find((f) => f.endsWith('.json'))!;
    const sels = path.join(dir, 'm.json');
    fs.writeFileSync(sels, JSON.stringify([
      { Name: 'mgmt', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] },
      { Name: 's3 gets', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::S3::Object'] }, { Field: 'eventName', Equals: ['GetObject'] }] },
    ]));
    // Expected counts computed here from the raw JSON Lines, independently of the evaluator.
    const raw = fs.readFileSync(path.join(log, file), 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
    const isData = (e: { eventCategory?: string; managementEvent?: boolean }) => e.eventCategory === 'Data' || e.managementEvent === false;
    const mgmt = raw.filter((e) => !isData(e)).length;
    const gets = raw.filter((e) => isData(e) && e.eventName === 'GetObject' && (e.resources ?? []).some((r: { type: string }) => r.type === 'AWS::S3::Object')).length;
    const { io: x, out } = io(dir);
    assert.equal(await match(['--json', 'm.json', path.join(log, file)], x), 0);
    const r = JSON.parse(out.join(''));
    assert.equal(r.total, raw.length);
    assert.deepEqual(r.selectors.map((s: { count: number }) => s.count), [mgmt, gets]);
    assert.equal(r.notLogged.length, raw.length - mgmt - gets);
    const t = io(dir);
    await match(['m.json', path.join(log, file)], t.io);
    assert.match(t.out.join(''), new RegExp(`selector 1 \\(mgmt\\): ${mgmt} record`));
  });
  it('usage errors and broken inputs', async () => {
    assert.equal(await match(['m.json'], io(dir).io), 2);
    const b = io(dir);
    assert.equal(await match(['nope.json', 'x.json'], b.io), 1);
    fs.writeFileSync(path.join(dir, 'broken.json.gz'), Buffer.from([0x1f, 0x8b, 8, 0, 1, 2, 3]));
    const c = io(dir);
    assert.equal(await match(['good.json', 'broken.json.gz'], c.io), 1);
    assert.match(c.err.join(''), /broken\.json\.gz/);
  });
});

describe('built CLI', () => {
  it('out/cli.js lint runs as a process with the documented exit codes', (t) => {
    const cli = path.join(repoRoot, 'out', 'cli.js');
    if (!fs.existsSync(cli)) return t.skip('out/cli.js not built (run node scripts/build.mjs)');
    const bad = spawnSync(process.execPath, [cli, 'lint', 'bad.json'], { cwd: dir, encoding: 'utf8' });
    assert.equal(bad.status, 1, bad.stderr);
    assert.match(bad.stdout, /^bad\.json:3:43: error: /);
    assert.equal(spawnSync(process.execPath, [cli, 'lint', 'good.json'], { cwd: dir }).status, 0);
    assert.equal(spawnSync(process.execPath, [cli, 'lint'], { cwd: dir }).status, 2);
  });
});

describe('lint: CloudFormation templates and Terraform files', () => {
  const infra = path.join(repoRoot, 'test', 'fixtures', 'infra');
  it('reports file:line:col in the template, one problem per mistake', async () => {
    const { io: x, out } = io(infra);
    assert.equal(await lint(['mistakes.yaml'], x), 1);
    const text = fs.readFileSync(path.join(infra, 'mistakes.yaml'), 'utf8');
    const wildLine = text.split('\n').findIndex((l) => l.includes('arn:aws:s3:::*')) + 1;
    assert.ok(out.some((l) => l.startsWith(`mistakes.yaml:${wildLine}:19: warning: `) && l.includes('[wildcard]')), out.join(''));
    assert.equal(out.length, 5, out.join(''));
  });
  it('reads .tf files with the HCL grammar', async () => {
    const { io: x, out } = io(infra);
    assert.equal(await lint(['mistakes.tf'], x), 1);
    const text = fs.readFileSync(path.join(infra, 'mistakes.tf'), 'utf8');
    const line = text.split('\n').findIndex((l) => l.includes('"eventcategory"')) + 1;
    assert.ok(out.some((l) => l.startsWith(`mistakes.tf:${line}:16: error: `) && l.includes('[field-misspelt]')), out.join(''));
    assert.equal(out.length, 4, out.join(''));
  });
  it('valid templates and files without CloudTrail resources print nothing', async () => {
    const { io: x, out } = io(infra);
    assert.equal(await lint(['trail-valid.yaml', 'trail-valid.json', 'valid.tf', 'intrinsics.yaml', 'interpolations.tf'], x), 0);
    assert.deepEqual(out, []);
    fs.writeFileSync(path.join(dir, 'bucket.yaml'), 'Resources:\n  B:\n    Type: AWS::S3::Bucket\n');
    fs.writeFileSync(path.join(dir, 'bucket.tf'), 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n');
    const b = io(dir);
    assert.equal(await lint(['bucket.yaml', 'bucket.tf'], b.io), 0);
    assert.deepEqual(b.out, []);
  });
});
