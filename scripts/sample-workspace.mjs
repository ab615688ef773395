#!/usr/bin/env node
// Builds sample-workspace/: a folder laid out the way CloudTrail delivers logs to S3, made from the test corpus
// of real records (test/corpus), plus a few loose files of other shapes. Plain Node ESM (no build step); deterministic: the same
// corpus always gives byte-identical files, and re-running rewrites only what changed and prunes stale files.
//
//   node scripts/sample-workspace.mjs [--out DIR] [--corpus DIR] [--quiet]
//
// The corpus defaults to test/corpus in the repository.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function parseArgs(argv) {
  const opts = { out: join(repoRoot, 'sample-workspace'), corpus: join(repoRoot, 'test', 'corpus'), quiet: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--out') opts.out = resolve(argv[++i]);
    else if (a === '--corpus') opts.corpus = resolve(argv[++i]);
    else if (a === '--quiet') opts.quiet = true;
    else if (a === '--help' || a === '-h') {
      console.log('usage: node scripts/sample-workspace.mjs [--out DIR] [--corpus DIR] [--quiet]');
      process.exit(0);
    } else {
      console.error(`unknown argument: ${a}`);
      process.exit(2);
    }
  }
  return opts;
}

// ---------------------------------------------------------------------------------------------------------------
// Seeded randomness (mulberry32): file-name suffixes, delivery delays and placeholder signatures.

function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const randomString = (r, n, alphabet = ALNUM) => Array.from({ length: n }, () => alphabet[Math.floor(r() * alphabet.length)]).join('');

// ---------------------------------------------------------------------------------------------------------------
// Corpus → records

const DEFAULT_ACCOUNT = '111122223333';
const DEFAULT_REGION = 'us-east-1';
const ORG_ID = 'o-sample0org1';
const BUCKET = 'cloudtrail-lens-sample-bucket';
const TRAIL = 'management-events';
const HOME_REGION = 'us-east-1';
/** Accounts with fewer records than this are delivered under the default account (keeps the tree readable). */
const MIN_RECORDS_PER_ACCOUNT = 10;
const MAX_RECORDS_PER_FILE = 40;

function corpusFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(json|jsonl)$/.test(e.name) && e.name !== '_index.json') out.push(p);
    }
  };
  walk(dir);
  return out;
}

function readValues(file) {
  const text = readFileSync(file, 'utf8');
  try {
    return [JSON.parse(text)];
  } catch {
    // JSON Lines.
    const values = [];
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        values.push(JSON.parse(line));
      } catch {
        /* a damaged line: skip it */
      }
    }
    return values;
  }
}

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const isRecord = (v) => isObject(v) && (typeof v.eventName === 'string' || typeof v.eventname === 'string' || v.eventType === 'AwsCloudTrailInsight');

function recordsOf(value) {
  if (Array.isArray(value)) return value.filter(isRecord);
  if (!isObject(value)) return [];
  if (Array.isArray(value.Records)) return value.Records.filter(isRecord);
  // A lookup-events answer that carries the records inline (Insights example in the docs).
  if (Array.isArray(value.Events)) return value.Events.filter(isRecord);
  return isRecord(value) ? [value] : [];
}

function loadCorpus(corpusDir) {
  const records = [];
  for (const file of corpusFiles(corpusDir)) {
    const source = relative(corpusDir, file).split(sep)[0];
    for (const value of readValues(file)) for (const rec of recordsOf(value)) records.push({ rec, source, file: relative(corpusDir, file) });
  }
  return records;
}

function accountOf(rec) {
  const ui = isObject(rec.userIdentity) ? rec.userIdentity : isObject(rec.useridentity) ? rec.useridentity : {};
  const a = rec.recipientAccountId ?? rec.recipientaccountid ?? ui.accountId ?? ui.accountid;
  return typeof a === 'string' && /^\d{12}$/.test(a) ? a : undefined;
}

function regionOf(rec) {
  const r = rec.awsRegion ?? rec.awsregion;
  return typeof r === 'string' && /^[a-z]{2}[a-z0-9-]*-\d+[a-z]?$/.test(r) ? r : DEFAULT_REGION;
}

function timeOf(rec) {
  for (const v of [rec.eventTime, rec.eventtime, rec['@timestamp'], rec.p_event_time]) {
    if (typeof v !== 'string') continue;
    const t = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(v) ? v : `${v.replace(' ', 'T')}Z`);
    if (Number.isFinite(t)) return t;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Layout

const pad = (n, w = 2) => String(n).padStart(w, '0');
const datePath = (d) => `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}`;
const stampMinutes = (d) => `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}Z`;
const stampSeconds = (d) => `${stampMinutes(d).slice(0, -1)}${pad(d.getUTCSeconds())}Z`;
const iso = (t) => new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');
const HOUR = 3_600_000;

/** Where a record is delivered: account folder, optional org folder, region, and the hour it belongs to. */
function plan(records) {
  const r = rng(0xc10d7a11);
  const perAccount = new Map();
  for (const { rec } of records) {
    const a = accountOf(rec);
    if (a) perAccount.set(a, (perAccount.get(a) ?? 0) + 1);
  }
  // Records without a usable time get one on a fixed day, spread over its hours.
  const fallbackDay = Date.UTC(2024, 0, 15);
  const placed = records.map(({ rec, source }, i) => {
    const own = accountOf(rec);
    const account = own && perAccount.get(own) >= MIN_RECORDS_PER_ACCOUNT ? own : DEFAULT_ACCOUNT;
    const time = timeOf(rec) ?? fallbackDay + Math.floor(r() * 24) * HOUR + i * 1000;
    const insight = rec.eventType === 'AwsCloudTrailInsight';
    // Stratus detonations are written as an organization trail, to show that layout too.
    const org = source === 'stratus-red-team' ? ORG_ID : undefined;
    return { rec, account, org, region: regionOf(rec), time, insight };
  });
  placed.sort((x, y) => x.time - y.time);
  return placed;
}

function buildTree(records) {
  const r = rng(0x5a3b1e);
  const files = new Map(); // relative path -> Buffer
  const groups = new Map();
  for (const p of plan(records)) {
    const key = [p.org ?? '', p.account, p.region, p.insight ? 'I' : 'L', Math.floor(p.time / HOUR)].join('|');
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { ...p, hour: Math.floor(p.time / HOUR), items: [] }));
    g.items.push(p);
  }
  const digestInput = new Map(); // org|account|region|deliveryHour -> log entries
  for (const g of [...groups.values()].sort((a, b) => a.hour - b.hour || (a.account < b.account ? -1 : a.account > b.account ? 1 : 0) || (a.region < b.region ? -1 : 1))) {
    for (let i = 0; i < g.items.length; i += MAX_RECORDS_PER_FILE) {
      const chunk = g.items.slice(i, i + MAX_RECORDS_PER_FILE);
      const newest = chunk[chunk.length - 1].time;
      const oldest = chunk[0].time;
      // Delivered 5–15 minutes after the newest record, on a whole minute.
      const delivered = new Date(Math.ceil((newest + (5 + Math.floor(r() * 10)) * 60_000) / 60_000) * 60_000);
      const stream = g.insight ? 'CloudTrail-Insight' : 'CloudTrail';
      const base = `AWSLogs/${g.org ? `${g.org}/` : ''}${g.account}/${stream}/${g.region}/${datePath(delivered)}`;
      const name = `${g.account}_${stream}_${g.region}_${stampMinutes(delivered)}_${randomString(r, 16)}.json.gz`;
      const text = Buffer.from(JSON.stringify({ Records: chunk.map((c) => c.rec) }), 'utf8');
      files.set(`${base}/${name}`, gzipSync(text, { level: 9 }));
      if (!g.insight) {
        const dk = [g.org ?? '', g.account, g.region, Math.floor(delivered.getTime() / HOUR)].join('|');
        let list = digestInput.get(dk);
        if (!list) digestInput.set(dk, (list = []));
        list.push({ s3Object: `${base}/${name}`, hash: sha256(text), newest, oldest, delivered: delivered.getTime() });
      }
    }
  }
  addDigests(files, digestInput, r);
  return files;
}

/**
 * One digest per delivery hour and region, chained per account/region like CloudTrail does. Hashes are real
 * (SHA-256 of the uncompressed files); signatures are placeholders, since only AWS holds the signing keys.
 */
function addDigests(files, digestInput, r) {
  const chains = new Map();
  const keys = [...digestInput.keys()].sort((a, b) => {
    const ha = Number(a.split('|')[3]);
    const hb = Number(b.split('|')[3]);
    return ha - hb || (a < b ? -1 : a > b ? 1 : 0);
  });
  const fingerprint = randomString(r, 32, '0123456789abcdef');
  for (const key of keys) {
    const [org, account, region, hourText] = key.split('|');
    const hour = Number(hourText);
    const entries = digestInput.get(key).sort((a, b) => a.delivered - b.delivered);
    const end = new Date((hour + 1) * HOUR + 30_000 + Math.floor(r() * 30) * 1000);
    const start = new Date(hour * HOUR + 30_000);
    const folder = `AWSLogs/${org ? `${org}/` : ''}${account}/CloudTrail-Digest/${region}/${datePath(end)}`;
    const name = `${account}_CloudTrail-Digest_${region}_${TRAIL}_${HOME_REGION}_${stampSeconds(end)}.json.gz`;
    const chainKey = `${org}|${account}|${region}`;
    const prev = chains.get(chainKey);
    const digest = {
      awsAccountId: account,
      digestStartTime: iso(start.getTime()),
      digestEndTime: iso(end.getTime()),
      digestS3Bucket: BUCKET,
      digestS3Object: `${folder}/${name}`,
      digestPublicKeyFingerprint: fingerprint,
      digestSignatureAlgorithm: 'SHA256withRSA',
      newestEventTime: iso(Math.max(...entries.map((e) => e.newest))),
      oldestEventTime: iso(Math.min(...entries.map((e) => e.oldest))),
      previousDigestS3Bucket: prev ? BUCKET : null,
      previousDigestS3Object: prev ? prev.object : null,
      previousDigestHashValue: prev ? prev.hash : null,
      previousDigestHashAlgorithm: prev ? 'SHA-256' : null,
      previousDigestSignature: prev ? prev.signature : null,
      logFiles: entries.map((e) => ({
        s3Bucket: BUCKET,
        s3Object: e.s3Object,
        hashValue: e.hash,
        hashAlgorithm: 'SHA-256',
        newestEventTime: iso(e.newest),
        oldestEventTime: iso(e.oldest),
      })),
    };
    const text = Buffer.from(JSON.stringify(digest), 'utf8');
    files.set(`${folder}/${name}`, gzipSync(text, { level: 9 }));
    chains.set(chainKey, { object: `${folder}/${name}`, hash: sha256(text), signature: randomString(r, 512, '0123456789abcdef') });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Loose files of other shapes

function looseFiles(records) {
  const files = new Map();
  const plain = records.map((x) => x.rec).filter((rec) => typeof rec.eventName === 'string' && typeof rec.eventTime === 'string');
  // JSON Lines, as written by log shippers and CloudTrail Lake exports.
  const jsonl = plain.filter((_, i) => i % 37 === 0).slice(0, 25);
  files.set('other-files/events.jsonl', Buffer.from(jsonl.map((e) => JSON.stringify(e)).join('\n') + '\n', 'utf8'));
  // Saved output of `aws cloudtrail lookup-events`: the record is a JSON string in CloudTrailEvent.
  const lookup = plain.filter((e) => e.eventType === 'AwsApiCall' || e.eventType === 'AwsConsoleSignIn').filter((_, i) => i % 29 === 3).slice(0, 12);
  const lookupDoc = {
    Events: lookup.map((e) => ({
      EventId: e.eventID ?? null,
      EventName: e.eventName,
      ReadOnly: String(e.readOnly ?? 'false'),
      ...(e.userIdentity?.accessKeyId ? { AccessKeyId: e.userIdentity.accessKeyId } : {}),
      EventTime: e.eventTime.replace(/Z$/, '+00:00'),
      EventSource: e.eventSource,
      ...(e.userIdentity?.userName ? { Username: e.userIdentity.userName } : {}),
      Resources: [],
      CloudTrailEvent: JSON.stringify(e),
    })),
  };
  files.set('other-files/lookup-events.json', Buffer.from(JSON.stringify(lookupDoc, null, 4) + '\n', 'utf8'));
  // A pretty-printed array, the shape many tools and blog posts use.
  files.set('other-files/console-signins.json', Buffer.from(JSON.stringify(plain.filter((e) => e.eventName === 'ConsoleLogin').slice(0, 10), null, 2) + '\n', 'utf8'));
  // A CloudTrail-named file copied out of its folder: grouped by its name.
  const copied = plain.filter((e) => e.awsRegion === 'us-west-2').slice(0, 15);
  files.set('other-files/111122223333_CloudTrail_us-west-2_20240105T1010Z_Sample0Loose0001.json.gz', gzipSync(Buffer.from(JSON.stringify({ Records: copied })), { level: 9 }));
  // A download that was cut short: the gzip stream ends half-way, to show how damaged files are reported.
  const whole = gzipSync(Buffer.from(JSON.stringify({ Records: plain.slice(0, 30) })), { level: 9 });
  files.set('other-files/truncated-download.json.gz', whole.subarray(0, Math.floor(whole.length / 2)));
  return files;
}

/** Advanced event selectors for a trail, valid under the rules in shared/reference/selectors.md. */
function selectorsFile() {
  const selectors = [
    {
      Name: 'Management events except KMS and RDS Data API',
      FieldSelectors: [
        { Field: 'eventCategory', Equals: ['Management'] },
        { Field: 'eventSource', NotEquals: ['kms.amazonaws.com', 'rdsdata.amazonaws.com'] },
      ],
    },
    {
      Name: 'Writes to objects in the sample bucket',
      FieldSelectors: [
        { Field: 'eventCategory', Equals: ['Data'] },
        { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
        { Field: 'readOnly', Equals: ['false'] },
        { Field: 'resources.ARN', StartsWith: [`arn:aws:s3:::${BUCKET}/`] },
      ],
    },
    {
      Name: 'Lambda invocations',
      FieldSelectors: [
        { Field: 'eventCategory', Equals: ['Data'] },
        { Field: 'resources.type', Equals: ['AWS::Lambda::Function'] },
        { Field: 'eventName', Equals: ['Invoke'] },
      ],
    },
  ];
  return Buffer.from(JSON.stringify(selectors, null, 2) + '\n', 'utf8');
}

function readme(stats) {
  return `# CloudTrail Lens sample workspace

Generated by \`scripts/sample-workspace.mjs\` from the real records in the project's test corpus (see
\`test/corpus/SOURCES.md\` in the repository for where each record comes from and its licence). Re-running the script gives the same
files. Nothing here is live data: account IDs, keys and addresses were anonymised by the original authors.

## What is here

- \`AWSLogs/\` — laid out exactly as CloudTrail writes to an S3 bucket
  (\`AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<unique>.json.gz\`):
  ${stats.logFiles} gzipped log files holding ${stats.records} records in ${stats.accounts} accounts.
  - The Stratus Red Team attack simulations sit under an organization trail folder (\`AWSLogs/${ORG_ID}/<account>/…\`).
    Their Regions are deliberately fake (\`cn-northsouth-2r\` …): the original authors anonymised them.
  - Records whose account had fewer than ${MIN_RECORDS_PER_ACCOUNT} records, or no account at all, are filed under
    ${DEFAULT_ACCOUNT}; records without a Region under ${DEFAULT_REGION}; records without a time on 2024-01-15.
    The records themselves are unchanged.
  - Date folders and file names use the delivery time (5–15 minutes after the newest record in the file).
  - \`CloudTrail-Insight/\` holds the Insights events from the AWS documentation examples.
  - \`CloudTrail-Digest/\` holds ${stats.digestFiles} digest files, one per account, Region and delivery hour, chained
    through \`previousDigest…\`. The SHA-256 hashes of the log files and of the previous digests are real; the
    signatures are random placeholders (only AWS can sign digests), so a signature check will fail. Hours without
    deliveries have no digest here, unlike in a real bucket.
- \`other-files/\` — shapes other than CloudTrail's S3 delivery:
  - \`events.jsonl\` — JSON Lines, one event per line;
  - \`lookup-events.json\` — saved output of \`aws cloudtrail lookup-events\`;
  - \`console-signins.json\` — a pretty-printed array of console sign-in events;
  - \`111122223333_CloudTrail_us-west-2_…json.gz\` — a log file copied out of its folder (grouped by its name);
  - \`truncated-download.json.gz\` — a download that stops half-way, to see how damaged files are reported.
- \`trail.selectors.json\` — advanced event selectors for a trail (management events without KMS/RDS Data API,
  S3 object writes in one bucket, Lambda invocations), to try the selector editor on.
- \`.vscode/settings.json\` — adds \`AWSLogs\` and \`other-files\` to the CloudTrail Lens explorer
  (\`cloudtrailLens.logFolders\`).

## Things to try

1. Open the CloudTrail Lens view in the activity bar: expand a folder → account → Region → day.
2. Click a file to read it; use **Open All Events** on a day or Region to read them together.
3. Open \`other-files/truncated-download.json.gz\` or the \`other-files\` folder's events to see problem reporting.
`;
}

// ---------------------------------------------------------------------------------------------------------------
// Writing: only what changed; stale files in the generated folders are removed.

function writeIfChanged(path, bytes) {
  if (existsSync(path)) {
    const old = readFileSync(path);
    if (old.equals(bytes)) return false;
  }
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes);
  return true;
}

function prune(dir, keep, root) {
  if (!existsSync(dir)) return 0;
  let removed = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      removed += prune(p, keep, root);
      if (readdirSync(p).length === 0) rmdirSync(p);
    } else if (!keep.has(relative(root, p).split(sep).join('/'))) {
      rmSync(p);
      removed++;
    }
  }
  return removed;
}

function settingsFile(outDir) {
  const path = join(outDir, '.vscode', 'settings.json');
  let settings = {};
  if (existsSync(path)) {
    try {
      settings = JSON.parse(readFileSync(path, 'utf8'));
    } catch {
      // JSONC or hand-edited: leave it alone rather than lose someone's settings.
      return undefined;
    }
  }
  settings['cloudtrailLens.logFolders'] = ['AWSLogs', 'other-files'];
  // A first look: the workspace's README (what is in it, what to try) opens when the window does.
  settings['workbench.startupEditor'] ??= 'readme';
  return Buffer.from(JSON.stringify(settings, null, 2) + '\n', 'utf8');
}

export function generate({ out, corpus }) {
  const corpusDir = corpus;
  if (!existsSync(corpusDir) || !statSync(corpusDir).isDirectory()) {
    throw new Error(`corpus not found at ${corpusDir} (pass --corpus)`);
  }
  const records = loadCorpus(corpusDir);
  const files = buildTree(records);
  const logFiles = [...files.keys()].filter((k) => k.includes('/CloudTrail/')).length;
  const digestFiles = [...files.keys()].filter((k) => k.includes('/CloudTrail-Digest/')).length;
  const accounts = new Set([...files.keys()].map((k) => k.split('/').find((s) => /^\d{12}$/.test(s)))).size;
  for (const [k, v] of looseFiles(records)) files.set(k, v);
  files.set('trail.selectors.json', selectorsFile());
  files.set('README.md', Buffer.from(readme({ logFiles, digestFiles, accounts, records: records.length }), 'utf8'));
  const settings = settingsFile(out);
  if (settings) files.set('.vscode/settings.json', settings);

  let written = 0;
  for (const [rel, bytes] of files) if (writeIfChanged(join(out, ...rel.split('/')), bytes)) written++;
  const keep = new Set(files.keys());
  const removed = prune(join(out, 'AWSLogs'), keep, out) + prune(join(out, 'other-files'), keep, out);
  return { out, files: files.size, written, removed, logFiles, digestFiles, records: records.length };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const opts = parseArgs(process.argv.slice(2));
  try {
    const s = generate(opts);
    if (!opts.quiet) {
      console.log(`sample workspace: ${s.out} — ${s.records} records in ${s.logFiles} log files, ${s.digestFiles} digests; ${s.written} files written, ${s.removed} stale removed`);
    }
  } catch (err) {
    console.error(`sample-workspace: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}
