/**
 * Record viewer benchmark: indexing a ~100 MB / ~80k-record CloudTrail file into a RecordTable through the
 * StreamingParser, filter keystrokes over all records, and memory, each printed as a ratio against
 * `readFile + JSON.parse` of the same file measured in this run. Prints figures; asserts nothing about time.
 *
 * Run: `npm run bench` (all benches), or `node --expose-gc build/test/bench/viewer.bench.js` after `npx tsc -p .`.
 * Env: VIEWER_BENCH_MB (default 100) to change the file size; VIEWER_BENCH_OWN=1 for the viewer's own generated
 * file (more varied identities/resources) instead of the records bench's corpus-based one; VIEWER_BENCH_FILE=path
 * to index any CloudTrail log file; VIEWER_BENCH_BUSY=0 skips the runs with the other core kept busy.
 *
 * "Two threads" is the product's route: indexBytes with the worker pool (src/core/pool), whose index-chunks task
 * shares the file, as a ViewerDocument runs it with the extension's shared pool (its worker stays up between files).
 * Then baseline, one thread and two threads again with the other core kept busy by a spinning process, with the CPU
 * time this process used (its worker included): two threads must not be slower than one there either.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { StreamingParser, type ParseResult } from '../../src/core/records';
import { indexBytes } from '../../src/core/table/indexer';
import { RecordTable, type Filter } from '../../src/core/table';
import { WorkerPool } from '../../src/core/pool';
import { repoRoot } from '../support/paths';

declare const gc: undefined | (() => void);

// Memory figures need a collectable heap: re-run this script with --expose-gc when started without it.
if (typeof gc !== 'function' && !process.env.VIEWER_BENCH_CHILD) {
  const r = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=4096', __filename], {
    stdio: 'inherit',
    env: { ...process.env, VIEWER_BENCH_CHILD: '1' },
  });
  process.exit(r.status ?? 1);
}

const TARGET_MB = Number(process.env.VIEWER_BENCH_MB ?? 100);
const dataDir = path.join(repoRoot, 'test', 'bench', '.data');
const ownFile = path.join(dataDir, `viewer-${TARGET_MB}mb.json`);
/** The pool's worker thread, as compiled by tsc next to this file. */
const WORKER = path.join(repoRoot, 'build', 'src', 'workers', 'pool.js');

/**
 * The records benchmark's file (test/bench/make-data.mjs, built from the corpus) so both benches measure the
 * same bytes; our own generator (more varied identities and resources) when that module is missing or fails,
 * or when VIEWER_BENCH_OWN=1.
 */
function benchFile(): string {
  if (process.env.VIEWER_BENCH_FILE) return path.resolve(process.env.VIEWER_BENCH_FILE);
  const maker = path.join(repoRoot, 'test', 'bench', 'make-data.mjs');
  if (!process.env.VIEWER_BENCH_OWN && fs.existsSync(maker)) {
    const r = spawnSync(process.execPath, [maker, String(TARGET_MB)], { cwd: repoRoot, encoding: 'utf8' });
    const out = (r.stdout ?? '').trim().split('\n').pop() ?? '';
    if (r.status === 0 && out && fs.existsSync(out)) return out;
    console.log(`make-data.mjs failed (${r.status}); using the viewer's own generator`);
  }
  if (!fs.existsSync(ownFile)) {
    const t = performance.now();
    generate();
    console.log(`generated ${ownFile} in ${ms(performance.now() - t)}`);
  }
  return ownFile;
}

/** Deterministic PRNG so every run indexes the same file. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Writes a realistic CloudTrail log file (`{"Records":[…]}`, one record per line) of about TARGET_MB. */
function generate(): void {
  fs.mkdirSync(dataDir, { recursive: true });
  const r = rng(42);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)];
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(r() * 16).toString(16)).join('');
  const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
  const accounts = ['111122223333', '444455556666', '777788889999'];
  const regions = ['us-east-1', 'us-east-2', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2'];
  const roles = ['Admin', 'ReadOnly', 'Deployer', 'AWSReservedSSO_PowerUser_0123456789abcdef', 'lambda-exec', 'eks-node'];
  const users = ['alice', 'bob', 'carol', 'dave', 'ci-bot', 'terraform'];
  const apis: [string, string, boolean][] = [
    ['s3.amazonaws.com', 'GetObject', true], ['s3.amazonaws.com', 'PutObject', false], ['s3.amazonaws.com', 'ListBuckets', true],
    ['ec2.amazonaws.com', 'DescribeInstances', true], ['ec2.amazonaws.com', 'RunInstances', false], ['ec2.amazonaws.com', 'AuthorizeSecurityGroupIngress', false],
    ['iam.amazonaws.com', 'GetRole', true], ['iam.amazonaws.com', 'CreateAccessKey', false], ['iam.amazonaws.com', 'AttachRolePolicy', false],
    ['sts.amazonaws.com', 'AssumeRole', true], ['sts.amazonaws.com', 'GetCallerIdentity', true],
    ['kms.amazonaws.com', 'Decrypt', true], ['kms.amazonaws.com', 'GenerateDataKey', true],
    ['lambda.amazonaws.com', 'Invoke', false], ['logs.amazonaws.com', 'PutLogEvents', false], ['dynamodb.amazonaws.com', 'Query', true],
  ];
  const agents = ['aws-cli/2.15.30 Python/3.11.8 Linux/6.1.0 exe/x86_64.amzn.2023', 'Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#6.1 lang/python#3.12.2', 'console.amazonaws.com', 'ec2.amazonaws.com', 'Terraform/1.7.5 (+https://www.terraform.io) terraform-provider-aws/5.42.0', 'aws-sdk-java/2.25.11 Linux/5.10 OpenJDK_64-Bit_Server_VM/17.0.10'];
  const out = fs.openSync(ownFile + '.tmp', 'w');
  fs.writeSync(out, '{"Records":[\n');
  let bytes = 0;
  let t = Date.parse('2024-03-01T00:00:00Z');
  const target = TARGET_MB * 1024 * 1024;
  let n = 0;
  const buf: string[] = [];
  while (bytes < target) {
    t += Math.floor(r() * 2000);
    const [src, name, ro] = pick(apis);
    const acct = pick(accounts);
    const region = pick(regions);
    const kind = r();
    let userIdentity: object;
    if (kind < 0.6) {
      const role = pick(roles);
      const sess = pick(users) + (r() < 0.3 ? '@example.com' : '');
      userIdentity = {
        type: 'AssumedRole', principalId: `AROA${hex(16).toUpperCase()}:${sess}`, arn: `arn:aws:sts::${acct}:assumed-role/${role}/${sess}`, accountId: acct, accessKeyId: `ASIA${hex(16).toUpperCase()}`,
        sessionContext: { sessionIssuer: { type: 'Role', principalId: `AROA${hex(16).toUpperCase()}`, arn: `arn:aws:iam::${acct}:role/${role}`, accountId: acct, userName: role }, webIdFederationData: {}, attributes: { creationDate: new Date(t - 3600_000).toISOString().replace(/\.\d+Z/, 'Z'), mfaAuthenticated: 'false' } },
      };
    } else if (kind < 0.85) {
      const u = pick(users);
      userIdentity = { type: 'IAMUser', principalId: `AIDA${hex(16).toUpperCase()}`, arn: `arn:aws:iam::${acct}:user/${u}`, accountId: acct, accessKeyId: `AKIA${hex(16).toUpperCase()}`, userName: u };
    } else if (kind < 0.97) {
      userIdentity = { type: 'AWSService', invokedBy: pick(['ec2.amazonaws.com', 'lambda.amazonaws.com', 'cloudtrail.amazonaws.com']) };
    } else {
      userIdentity = { type: 'Root', principalId: acct, arn: `arn:aws:iam::${acct}:root`, accountId: acct, accessKeyId: '' };
    }
    const ip = kind >= 0.85 && kind < 0.97 ? 'AWS Internal' : `${Math.floor(r() * 223) + 1}.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}`;
    const bucket = `data-${pick(['logs', 'backups', 'assets', 'reports'])}-${acct}`;
    const key = `${pick(['2024', 'tmp', 'exports', 'users'])}/${hex(8)}/${pick(['report.csv', 'image.png', 'dump.sql.gz', 'index.html'])}`;
    const failed = r() < 0.07;
    const rec: Record<string, unknown> = {
      eventVersion: '1.09', userIdentity, eventTime: new Date(t).toISOString().replace(/\.\d+Z/, 'Z'), eventSource: src, eventName: name, awsRegion: region,
      sourceIPAddress: ip, userAgent: pick(agents),
      requestParameters: src === 's3.amazonaws.com' ? { bucketName: bucket, Host: `${bucket}.s3.${region}.amazonaws.com`, key } : { resourceId: `${pick(['i', 'sg', 'vol', 'subnet'])}-${hex(17)}`, filterSet: { items: [{ name: pick(['tag:Name', 'instance-state-name', 'vpc-id']), valueSet: { items: [{ value: hex(12) }] } }] }, maxResults: Math.floor(r() * 1000), clientToken: uuid() },
      responseElements: ro ? null : { requestId: uuid(), status: pick(['available', 'pending', 'running']), createdAt: new Date(t).toISOString(), detail: { arn: `arn:aws:${src.split('.')[0]}:${region}:${acct}:thing/${hex(10)}`, size: Math.floor(r() * 1e6) } },
      additionalEventData: src === 's3.amazonaws.com' ? { SignatureVersion: 'SigV4', CipherSuite: 'TLS_AES_128_GCM_SHA256', bytesTransferredIn: 0, AuthenticationMethod: 'AuthHeader', 'x-amz-id-2': hex(60), bytesTransferredOut: Math.floor(r() * 1e7) } : undefined,
      requestID: uuid(), eventID: uuid(), readOnly: ro,
      resources: src === 's3.amazonaws.com' ? [{ type: 'AWS::S3::Object', ARN: `arn:aws:s3:::${bucket}/${key}` }, { accountId: acct, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucket}` }] : undefined,
      eventType: 'AwsApiCall', managementEvent: src !== 's3.amazonaws.com', recipientAccountId: acct, eventCategory: src === 's3.amazonaws.com' ? 'Data' : 'Management',
      tlsDetails: { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: `${src.split('.')[0]}.${region}.amazonaws.com` },
    };
    if (failed) {
      rec.errorCode = pick(['AccessDenied', 'ThrottlingException', 'NoSuchKey', 'ValidationException']);
      rec.errorMessage = `User: arn:aws:sts::${acct}:assumed-role/x is not authorized to perform: ${src.split('.')[0]}:${name}`;
    }
    const line = (n ? ',\n' : '') + JSON.stringify(rec);
    buf.push(line);
    bytes += line.length;
    n++;
    if (buf.length >= 2000) {
      fs.writeSync(out, buf.join(''));
      buf.length = 0;
    }
  }
  fs.writeSync(out, buf.join('') + '\n]}\n');
  fs.closeSync(out);
  fs.renameSync(ownFile + '.tmp', ownFile);
}

const mb = (b: number) => (b / 1024 / 1024).toFixed(1) + ' MB';
const ms = (x: number) => x.toFixed(x < 10 ? 2 : 0) + ' ms';
function collect(): void {
  if (typeof gc === 'function') {
    gc();
    gc();
  }
}

/**
 * Memory as it settles: V8 frees the memory of dead ArrayBuffers (a file's bytes, a worker's arrays) on a
 * background sweeper after a collection, so `external` can still count ~100 MB of them right after gc().
 */
async function settledMemory(): Promise<NodeJS.MemoryUsage> {
  collect();
  await new Promise((r) => setTimeout(r, 100));
  collect();
  return process.memoryUsage();
}
function median(a: number[]): number {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)];
}

/** One pool for every two-thread run, as the extension keeps one (its worker starts on the first file). */
const chunkWorkers = fs.existsSync(WORKER) ? new WorkerPool(WORKER) : undefined;
/** The table of the last two-thread run. Tables live only in these helpers' frames and here: a table held by a
 * suspended async frame (main's) would stay alive and spoil the memory figures. */
let kept: RecordTable | undefined;

async function oneThread(file: string): Promise<number> {
  collect();
  const t0 = performance.now();
  // No search index: it would be built in the background during the next run.
  await indexBytes(fs.readFileSync(file), new RecordTable(), { searchIndex: false });
  return performance.now() - t0;
}

async function twoThreads(file: string, keep: boolean, splits: string[]) {
  kept = undefined;
  const before = await settledMemory();
  const table = new RecordTable();
  let firstRows = -1;
  const t0 = performance.now();
  const stop = table.onDidAdd(() => {
    if (firstRows >= 0) return;
    table.rows(0, 50);
    firstRows = performance.now() - t0;
  });
  const result = await indexBytes(fs.readFileSync(file), table, { chunkWorkers, log: (m) => splits.push(m) });
  const ms = performance.now() - t0;
  stop();
  await result!.searchIndex;
  const indexed = performance.now() - t0;
  if (keep) kept = table;
  return { ms, indexed, firstRows, result: result!, before };
}

/** Each setView is one keystroke: typing a word, chips, backspacing it away, then other needles. */
function keystrokes(table: RecordTable): { lines: string[]; times: number[] } {
  const keys: { label: string; f: Filter }[] = [];
  const word = 'assumed-role';
  for (let i = 1; i <= word.length; i++) keys.push({ label: JSON.stringify(word.slice(0, i)), f: { text: word.slice(0, i), chips: [] } });
  const chip = { column: 'eventSource' as const, value: 's3.amazonaws.com', exclude: false };
  keys.push({ label: '+ chip eventSource=s3', f: { text: word, chips: [chip] } });
  keys.push({ label: '+ exclude chip', f: { text: word, chips: [chip, { column: 'region', value: 'us-east-1', exclude: true }] } });
  for (let i = word.length - 1; i >= 0; i--) keys.push({ label: `⌫ ${JSON.stringify(word.slice(0, i))}`, f: { text: word.slice(0, i), chips: [] } });
  for (const s of ['1', '19', '192', '192.', '192.0', 'z', 'zq', 'accessdenied', 'eventname', 'ass']) keys.push({ label: JSON.stringify(s), f: { text: s, chips: [] } });
  const times: number[] = [];
  const lines: string[] = [];
  for (const k of keys) {
    const s = performance.now();
    const c = table.setView(k.f);
    table.rows(0, 100);
    const d = performance.now() - s;
    times.push(d);
    lines.push(`${k.label.padEnd(24)} ${ms(d).padStart(9)}  ${c.matched} of ${c.total}`);
  }
  return { lines, times };
}

async function noIndexTable(file: string): Promise<RecordTable> {
  const t = new RecordTable();
  // Its search texts are made in the background too (that promise settles then): typing right after indexing.
  await (await indexBytes(fs.readFileSync(file), t, { chunkWorkers, searchIndex: false }))?.searchIndex;
  return t;
}

async function main(): Promise<void> {
  const file = benchFile();
  const size = fs.statSync(file).size;
  console.log(`viewer bench: ${path.relative(repoRoot, file)} (${mb(size)})`);

  // Baseline (read + JSON.parse), the viewer's indexing on one thread and on two (the product: indexBytes with
  // its worker thread, as a ViewerDocument runs it), alternated RUNS times in this process; medians are reported
  // so a busy machine skews every side alike. The last two-thread run's table is used for everything after.
  const RUNS = Math.max(1, Number(process.env.VIEWER_BENCH_RUNS ?? 3));
  const baselines: number[] = [];
  const ones: number[] = [];
  const fulls: number[] = [];
  const searchReady: number[] = [];
  const firstRowsAll: number[] = [];
  const splits: string[] = [];
  let baseRecords = 0;
  let result: ParseResult | undefined;
  let before = process.memoryUsage();
  if (!chunkWorkers) console.log(`no worker script at ${path.relative(repoRoot, WORKER)}: "two threads" runs on one`);
  for (let run = 0; run < RUNS; run++) {
    collect();
    const t0 = performance.now();
    baseRecords = (JSON.parse(fs.readFileSync(file, 'utf8')) as { Records: unknown[] }).Records.length;
    baselines.push(performance.now() - t0);
    ones.push(await oneThread(file));
    const r = await twoThreads(file, run === RUNS - 1, splits);
    fulls.push(r.ms);
    searchReady.push(r.indexed);
    firstRowsAll.push(r.firstRows);
    result = r.result;
    before = r.before;
  }
  const table = kept!;
  const baseline = median(baselines);
  const full = median(fulls);
  const one = median(ones);
  const firstRows = median(firstRowsAll);
  const a = performance.now();
  table.setView({ text: '', chips: [] }, { column: 'time', descending: true });
  table.rows(0, 50);
  const firstView = performance.now() - a;
  const after = await settledMemory();

  console.log(`records: ${table.size} (JSON.parse saw ${baseRecords}; parser problems: ${result!.problems.length})`);
  console.log(`runs: ${RUNS} (medians; baseline ${baselines.map((x) => x.toFixed(0)).join('/')} ms, one thread ${ones.map((x) => x.toFixed(0)).join('/')} ms, two threads ${fulls.map((x) => x.toFixed(0)).join('/')} ms)`);
  console.log(`split: ${[...new Set(splits.map((m) => m.replace(/\d+ records from byte \d+/, '…')))].join('; ') || 'none'}`);
  console.log(`baseline read+JSON.parse:          ${ms(baseline)}`);
  console.log(`first rows (read → rows on screen): ${ms(firstRows)}   (goal ≤ 300 ms)`);
  console.log(`fully indexed, one thread:         ${ms(one)}   = ${(one / baseline).toFixed(2)} × baseline`);
  console.log(`fully indexed (viewer, 2 threads): ${ms(full)}   = ${(full / baseline).toFixed(2)} × baseline (goal ≤ 1.3)`);
  console.log(`two threads vs one: ${(one / full).toFixed(2)}x faster`);
  const ready = median(searchReady);
  console.log(`  search index complete:           ${ms(ready)}   = ${(ready / baseline).toFixed(2)} × baseline (built after indexing, in slices)`);
  {
    const st = kept!.searchIndexStats();
    console.log(`  search index: ${st.signed} signatures; token index ${st.tokenRows} rows${st.closed ? ' (closed)' : ''}, ${st.tokens} distinct values, ${st.fieldNames} field names in ${st.shapes} sets; ${mb(st.bytes)} = ${(st.bytes / size).toFixed(2)} × file`);
  }
  {
    // The parser alone (no table), once: what the table costs is the rest of the one-thread figure.
    collect();
    const s0 = performance.now();
    const p = new StreamingParser();
    const bytes = fs.readFileSync(file);
    for (let off = 0; off < bytes.length; off += 512 * 1024) p.push(bytes.subarray(off, off + 512 * 1024));
    p.end();
    const parse = performance.now() - s0;
    console.log(`  parser alone (read + parse):     ${ms(parse)}   = ${(parse / baseline).toFixed(2)} × baseline`);
  }
  console.log(`first sorted view (time desc):     ${ms(firstView)}`);
  const rss = after.rss - before.rss;
  // Node counts ArrayBuffers inside `external`, so heap + external is the whole of what V8 holds.
  const heap = after.heapUsed - before.heapUsed + (after.external - before.external);
  console.log(`memory after indexing: RSS +${mb(rss)} = ${(rss / size).toFixed(2)} × file; heap+external +${mb(heap)} = ${(heap / size).toFixed(2)} × file (goal ≤ 3)`);

  // Keystrokes, once the search index is complete, then on a table without one (what typing costs in the
  // moment between indexing and the index being ready).
  const withIndex = keystrokes(table);
  console.log('keystrokes with the search index (setView + rows(0,100)):\n  ' + withIndex.lines.join('\n  '));
  console.log(`keystroke median ${ms(median(withIndex.times))}, max ${ms(Math.max(...withIndex.times))} (goal ≤ 30 ms each)`);
  const bare = await noIndexTable(file);
  const without = keystrokes(bare);
  const worst = without.lines
    .map((l, k) => ({ l, t: without.times[k] }))
    .sort((a, b) => b.t - a.t)
    .slice(0, 4)
    .map((x) => x.l.replace(/\s+/g, ' ').replace(/ \d+ of \d+$/, ''));
  console.log(`without the index: median ${ms(median(without.times))}, max ${ms(Math.max(...without.times))}; slowest: ${worst.join(', ')}`);

  const sorts: string[] = [];
  for (const col of ['eventName', 'who', 'eventId', 'time'] as const) {
    const s = performance.now();
    table.setView({ text: '', chips: [] }, { column: col, descending: false });
    table.rows(0, 100);
    sorts.push(`${col} ${ms(performance.now() - s)}`);
  }
  console.log(`sort change: ${sorts.join(', ')}`);
  const s = performance.now();
  for (let i = 0; i < 200; i++) table.event(Math.floor((i * 7919) % table.size));
  console.log(`detail pane event(index): ${ms((performance.now() - s) / 200)} per record`);
  kept = undefined;
  if (process.env.VIEWER_BENCH_BUSY !== '0') await busyCore(file, RUNS);
  chunkWorkers?.dispose();
}

/** Keeps one core busy (a separate process, so this process's CPU figures stay its own) until stopped. */
async function spinner(): Promise<() => void> {
  const child = spawn(process.execPath, ['-e', 'process.stdout.write("go\\n"); for (;;) {}'], { stdio: ['ignore', 'pipe', 'ignore'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve());
    child.once('error', reject);
  });
  return () => child.kill('SIGKILL');
}

/** Wall and CPU time (this process, all its threads) of `fn`. */
async function timed(fn: () => Promise<unknown> | unknown): Promise<{ ms: number; cpu: number }> {
  collect();
  const c = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const d = process.cpuUsage(c);
  return { ms: performance.now() - t0, cpu: (d.user + d.system) / 1000 };
}

/** Baseline, one thread and two threads, alternated, with the other core kept busy. */
async function busyCore(file: string, runs: number): Promise<void> {
  const stop = await spinner();
  const rows: Record<'baseline' | 'one' | 'two', { ms: number; cpu: number }[]> = { baseline: [], one: [], two: [] };
  const splits: string[] = [];
  let workerRecords = 0;
  try {
    for (let run = 0; run < runs; run++) {
      rows.baseline.push(await timed(() => (JSON.parse(fs.readFileSync(file, 'utf8')) as { Records: unknown[] }).Records.length));
      rows.one.push(await timed(() => indexBytes(fs.readFileSync(file), new RecordTable(), { searchIndex: false })));
      rows.two.push(
        await timed(async () => {
          const r = await indexBytes(fs.readFileSync(file), new RecordTable(), { chunkWorkers, searchIndex: false, log: (m) => splits.push(m) });
          workerRecords = r?.workerRecords ?? 0;
        }),
      );
    }
  } finally {
    stop();
  }
  const med = (k: keyof typeof rows, f: 'ms' | 'cpu') => median(rows[k].map((x) => x[f]));
  const base = med('baseline', 'ms');
  console.log(`-- other core kept busy by a spinning process (${runs} runs, medians; wall ${(['baseline', 'one', 'two'] as const).map((k) => `${k} ${rows[k].map((x) => x.ms.toFixed(0)).join('/')}`).join(', ')} ms) --`);
  console.log(`split, busy: ${[...new Set(splits.map((m) => m.replace(/\d+ records from byte \d+/, '…')))].join('; ') || 'none'} (last run: worker ${workerRecords} records)`);
  console.log(`baseline read+JSON.parse, busy:    ${ms(base)}   CPU ${ms(med('baseline', 'cpu'))}`);
  console.log(`fully indexed, one thread, busy:   ${ms(med('one', 'ms'))}   = ${(med('one', 'ms') / base).toFixed(2)} × baseline   CPU ${ms(med('one', 'cpu'))}`);
  console.log(`fully indexed, 2 threads, busy:    ${ms(med('two', 'ms'))}   = ${(med('two', 'ms') / base).toFixed(2)} × baseline   CPU ${ms(med('two', 'cpu'))}`);
  console.log(`two threads vs one, other core busy: ${(med('one', 'ms') / med('two', 'ms')).toFixed(2)}x faster (goal ≥ 1.00); CPU two/one ${(med('two', 'cpu') / med('one', 'cpu')).toFixed(2)}`);
}

void main();
