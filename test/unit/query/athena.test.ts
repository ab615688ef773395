/**
 * Athena through the real AWS SDK over HTTP against a real moto server (Athena, Glue, S3): the table DDL sent,
 * start, poll, page, cancel (StopQueryExecution) and errors; results are set through moto's own API
 * (/moto-api/static/athena/query-results), moto does not run SQL. The DDL is checked field by field against AWS's
 * documented CloudTrail table (transcribed below from the Athena user guide, independently of src/).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { GetQueryExecutionCommand, ListQueryExecutionsCommand } from '@aws-sdk/client-athena';
import { CreateDatabaseCommand, CreateTableCommand } from '@aws-sdk/client-glue';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { bindTableName, discoverTrailLayout, ensureTrailTable, createAthenaClient, createGlueClient, estimateCost, findTrailTables, hasPartitionFilter, runAthena, trailTableDdl } from '../../../src/core/query/athena';
import { QueryError } from '../../../src/core/query';
import { main } from '../../../src/cli';
import { startMoto, writeAwsFiles, useAwsEnv, STATIC_PROFILE, type Moto } from '../aws/moto';

let moto: Moto;
let restore: () => void;

before(async () => {
  moto = await startMoto();
  const dir = writeAwsFiles(STATIC_PROFILE.config, STATIC_PROFILE.credentials);
  restore = useAwsEnv({ AWS_CONFIG_FILE: path.join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials') });
  const s3 = new S3Client({ region: 'us-east-1', endpoint: moto.url, forcePathStyle: true, credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 's' } });
  await s3.send(new CreateBucketCommand({ Bucket: 'athena-results' }));
});
after(async () => {
  restore?.();
  await moto?.stop();
});

async function setResults(results: { rows: string[][]; columns: string[] }[]) {
  const body = {
    results: results.map((r) => ({
      rows: r.rows.map((row) => ({ Data: row.map((v) => ({ VarCharValue: v })) })),
      column_info: r.columns.map((c) => ({ CatalogName: 'hive', SchemaName: '', TableName: '', Name: c, Label: c, Type: 'varchar', Precision: 0, Scale: 0, Nullable: 'UNKNOWN', CaseSensitive: true })),
    })),
  };
  const res = await fetch(`${moto.url}/moto-api/static/athena/query-results`, { method: 'POST', body: JSON.stringify(body) });
  assert.equal(res.status, 201);
}

/** Keeps moto's query executions RUNNING for `times` GetQueryExecution calls (moto's state manager). */
async function holdRunning(times: number) {
  const res = await fetch(`${moto.url}/moto-api/state-manager/set-transition`, { method: 'POST', body: JSON.stringify({ model_name: 'athena::execution', transition: { progression: 'manual', times } }) });
  assert.ok(res.ok);
}

// AWS's documented columns (Athena user guide, "Create the table for CloudTrail logs in Athena using partition
// projection"), written out here by hand: name -> type, nested struct fields included.
const DOCUMENTED: [string, string][] = [
  ['eventversion', 'STRING'],
  ['useridentity', 'STRUCT<type: STRING, principalid: STRING, arn: STRING, accountid: STRING, invokedby: STRING, accesskeyid: STRING, username: STRING, onbehalfof: STRUCT<userid: STRING, identitystorearn: STRING>, sessioncontext: STRUCT<attributes: STRUCT<mfaauthenticated: STRING, creationdate: STRING>, sessionissuer: STRUCT<type: STRING, principalid: STRING, arn: STRING, accountid: STRING, username: STRING>, ec2roledelivery: STRING, webidfederationdata: STRUCT<federatedprovider: STRING, attributes: MAP<STRING,STRING>>>>'],
  ['eventtime', 'STRING'], ['eventsource', 'STRING'], ['eventname', 'STRING'], ['awsregion', 'STRING'], ['sourceipaddress', 'STRING'],
  ['useragent', 'STRING'], ['errorcode', 'STRING'], ['errormessage', 'STRING'], ['requestparameters', 'STRING'], ['responseelements', 'STRING'],
  ['additionaleventdata', 'STRING'], ['requestid', 'STRING'], ['eventid', 'STRING'], ['readonly', 'STRING'],
  ['resources', 'ARRAY<STRUCT<arn: STRING, accountid: STRING, type: STRING>>'],
  ['eventtype', 'STRING'], ['apiversion', 'STRING'], ['recipientaccountid', 'STRING'], ['serviceeventdetails', 'STRING'], ['sharedeventid', 'STRING'],
  ['vpcendpointid', 'STRING'], ['vpcendpointaccountid', 'STRING'], ['eventcategory', 'STRING'],
  ['addendum', 'STRUCT<reason: STRING, updatedfields: STRING, originalrequestid: STRING, originaleventid: STRING>'],
  ['sessioncredentialfromconsole', 'STRING'], ['edgedevicedetails', 'STRING'],
  ['tlsdetails', 'STRUCT<tlsversion: STRING, ciphersuite: STRING, clientprovidedhostheader: STRING>'],
];

/** Splits "a TYPE,\n b TYPE" column lists at top-level commas. */
function columnsOf(ddl: string): [string, string][] {
  const body = ddl.slice(ddl.indexOf('(') + 1, ddl.indexOf('\n)\nPARTITIONED'));
  const out: [string, string][] = [];
  let depth = 0;
  let cur = '';
  for (const ch of body) {
    if (ch === '<') depth++;
    if (ch === '>') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur.trim().split(/\s+(.*)/s).slice(0, 2) as [string, string]);
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur.trim().split(/\s+(.*)/s).slice(0, 2) as [string, string]);
  return out;
}

const DDL_OPTS = { table: 'cloudtrail_logs', database: 'security', bucket: 'org-trail-bucket', orgId: 'o-abcdef1234', accounts: ['111122223333', '444455556666'], regions: ['us-east-1', 'eu-west-1'], startDay: '2024/01/01' };

test('the DDL has AWS\'s documented columns and types, field by field (plus sourceidentity), and partition projection', () => {
  const ddl = trailTableDdl(DDL_OPTS);
  const ours = new Map(columnsOf(ddl));
  assert.equal(ours.size, DOCUMENTED.length);
  for (const [name, type] of DOCUMENTED) {
    assert.ok(ours.has(name), `missing column ${name}`);
    // The one addition: useridentity.sessioncontext.sourceidentity (records carry it; the documented DDL does not).
    const mine = ours.get(name)!.replace(', sourceidentity: STRING', '');
    assert.equal(mine.replace(/\s+/g, ''), type.replace(/\s+/g, ''), name);
  }
  assert.match(ddl, /PARTITIONED BY \(account string, region string, `timestamp` string\)/);
  assert.match(ddl, /ROW FORMAT SERDE 'org\.apache\.hive\.hcatalog\.data\.JsonSerDe'/);
  assert.match(ddl, /STORED AS INPUTFORMAT 'com\.amazon\.emr\.cloudtrail\.CloudTrailInputFormat'/);
  assert.match(ddl, /OUTPUTFORMAT 'org\.apache\.hadoop\.hive\.ql\.io\.HiveIgnoreKeyTextOutputFormat'/);
  assert.match(ddl, /'projection\.timestamp\.format'='yyyy\/MM\/dd'/);
  assert.match(ddl, /'projection\.timestamp\.range'='2024\/01\/01,NOW'/);
  assert.match(ddl, /'projection\.account\.values'='111122223333,444455556666'/);
  assert.match(ddl, /'storage\.location\.template'='s3:\/\/org-trail-bucket\/AWSLogs\/o-abcdef1234\/\$\{account\}\/CloudTrail\/\$\{region\}\/\$\{timestamp\}'/);
  assert.throws(() => trailTableDdl({ ...DDL_OPTS, bucket: "x'; DROP" }), /not valid/);
  assert.throws(() => trailTableDdl({ ...DDL_OPTS, table: 'bad-name' }), /not valid/);
});

test('Athena on moto: the DDL is sent as written; start, poll, page and cost', async () => {
  const client = await createAthenaClient('us-east-1', undefined, moto.url);
  try {
    const ddl = trailTableDdl(DDL_OPTS);
    const created = await runAthena(client, { sql: ddl, outputLocation: 's3://athena-results/q/', pollMs: 10 });
    const exec = await client.send(new GetQueryExecutionCommand({ QueryExecutionId: created.queryExecutionId }));
    assert.equal(exec.QueryExecution?.Query, ddl);

    await setResults([{ columns: ['eventname', 'n'], rows: [['eventname', 'n'], ['ConsoleLogin', '3'], ['AssumeRole', '2'], ['ListBuckets', '1']] }]);
    await holdRunning(2);
    const states: string[] = [];
    const r = await runAthena(client, { sql: 'SELECT eventname, count(*) n FROM x GROUP BY 1', database: 'security', outputLocation: 's3://athena-results/q/', pollMs: 10, maxRows: 2, onProgress: (s) => states.push(s) });
    assert.ok(states.filter((s) => s === 'RUNNING' || s === 'QUEUED').length >= 1, states.join(','));
    assert.equal(states[states.length - 1], 'SUCCEEDED');
    assert.deepEqual(r.columns.map((c) => c.name), ['eventname', 'n']);
    // header row dropped; maxRows 2 cuts the third row
    assert.deepEqual(r.rows, [['ConsoleLogin', '3'], ['AssumeRole', '2']]);
    assert.equal(r.truncated, true);
    assert.equal(r.costUsd, estimateCost(r.bytesScanned ?? 0, 5));
  } finally {
    client.destroy();
  }
});

test('Athena on moto: cancelling sends StopQueryExecution and fails the run as cancelled', async () => {
  const client = await createAthenaClient('us-east-1', undefined, moto.url);
  try {
    await holdRunning(1000);
    const ac = new AbortController();
    let id = '';
    const run = runAthena(client, {
      sql: 'SELECT 1', outputLocation: 's3://athena-results/q/', pollMs: 10, signal: ac.signal,
      onProgress: (s) => {
        if (s === 'RUNNING' || s === 'QUEUED') ac.abort();
      },
    });
    await assert.rejects(run, (e: QueryError) => {
      assert.equal(e.code, 'cancelled');
      id = /for (\S+)\)/.exec(e.message)?.[1] ?? '';
      return true;
    });
    const exec = await client.send(new GetQueryExecutionCommand({ QueryExecutionId: id }));
    assert.equal(exec.QueryExecution?.Status?.State, 'CANCELLED');
  } finally {
    await holdRunning(0).catch(() => undefined);
    client.destroy();
  }
});

test('Athena on moto: errors become QueryErrors with a message', async () => {
  const bad = await createAthenaClient('us-east-1', undefined, 'http://127.0.0.1:9');
  try {
    await assert.rejects(runAthena(bad, { sql: 'SELECT 1', pollMs: 10 }), (e: QueryError) => e instanceof QueryError && /did not start/.test(e.message));
  } finally {
    bad.destroy();
  }
});

test('Glue on moto: finds the CloudTrail table for a bucket, not other tables', async () => {
  const glue = await createGlueClient('us-east-1', undefined, moto.url);
  try {
    await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: 'security' } }));
    const cols = [{ Name: 'eventversion', Type: 'string' }, { Name: 'useridentity', Type: 'struct<type:string>' }, { Name: 'eventname', Type: 'string' }];
    await glue.send(new CreateTableCommand({ DatabaseName: 'security', TableInput: { Name: 'ct', Parameters: { 'projection.enabled': 'true' }, StorageDescriptor: { Columns: cols, Location: 's3://org-trail-bucket/AWSLogs/o-abcdef1234/' } } }));
    await glue.send(new CreateTableCommand({ DatabaseName: 'security', TableInput: { Name: 'other_bucket', StorageDescriptor: { Columns: cols, Location: 's3://elsewhere/AWSLogs/' } } }));
    await glue.send(new CreateTableCommand({ DatabaseName: 'security', TableInput: { Name: 'not_cloudtrail', StorageDescriptor: { Columns: [{ Name: 'x', Type: 'string' }], Location: 's3://org-trail-bucket/other/' } } }));
    const found = await findTrailTables(glue, 'org-trail-bucket');
    assert.deepEqual(found, [{ database: 'security', table: 'ct', location: 's3://org-trail-bucket/AWSLogs/o-abcdef1234/', projected: true }]);
  } finally {
    glue.destroy();
  }
});

test('partition-filter warning and table binding', () => {
  assert.equal(hasPartitionFilter('SELECT * FROM cloudtrail'), false);
  assert.equal(hasPartitionFilter("SELECT * FROM cloudtrail WHERE eventname = 'x'"), false);
  assert.equal(hasPartitionFilter("SELECT * FROM cloudtrail WHERE \"timestamp\" >= '2024/01/01'"), true);
  assert.equal(hasPartitionFilter("SELECT * FROM cloudtrail WHERE region = 'us-east-1'"), true);
  assert.equal(bindTableName("SELECT 'cloudtrail' FROM cloudtrail WHERE eventsource = 'cloudtrail.amazonaws.com' -- cloudtrail", 'db', 't'), `SELECT 'cloudtrail' FROM "db"."t" WHERE eventsource = 'cloudtrail.amazonaws.com' -- cloudtrail`);
});

test('CLI: query --athena runs on moto and warns about a missing partition filter', async () => {
  await setResults([{ columns: ['n'], rows: [['n'], ['42']] }]);
  let out = '';
  let err = '';
  const code = await main(['query', '--athena', '--database', 'security', '--table', 'ct', '--region', 'us-east-1', '--endpoint-url', moto.url, '--output', 's3://athena-results/cli/', '--sql', 'SELECT count(*) AS n FROM cloudtrail', '--format', 'csv'], { stdout: (t) => (out += t), stderr: (t) => (err += t), cwd: process.cwd() });
  assert.equal(code, 0, err);
  assert.equal(out, 'n\r\n42\r\n');
  assert.match(err, /no filter on a partition column/);
  assert.match(err, /scanned/);
  const usage = await main(['query', '--athena', '--sql', 'select 1'], { stdout: () => undefined, stderr: () => undefined, cwd: process.cwd() });
  assert.equal(usage, 2);
});

test('trail table on moto: the layout is read from the bucket; nothing is created unless confirmed; an existing table is offered', async () => {
  const s3 = new S3Client({ region: 'us-east-1', endpoint: moto.url, forcePathStyle: true, credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 's' } });
  const athena = await createAthenaClient('us-east-1', undefined, moto.url);
  const glue = await createGlueClient('us-east-1', undefined, moto.url);
  try {
    await s3.send(new CreateBucketCommand({ Bucket: 'trail-layout-bucket' }));
    const keys = [
      'logs/AWSLogs/o-zyxwvu9876/111122223333/CloudTrail/us-east-1/2024/02/03/a.json.gz',
      'logs/AWSLogs/o-zyxwvu9876/111122223333/CloudTrail/eu-west-1/2024/01/15/b.json.gz',
      'logs/AWSLogs/o-zyxwvu9876/444455556666/CloudTrail/us-east-1/2024/03/01/c.json.gz',
      'logs/AWSLogs/o-zyxwvu9876/444455556666/CloudTrail-Digest/us-east-1/2023/01/01/d.json.gz',
    ];
    for (const Key of keys) await s3.send(new PutObjectCommand({ Bucket: 'trail-layout-bucket', Key, Body: 'x' }));
    const layout = await discoverTrailLayout(s3, 'trail-layout-bucket', 'logs');
    assert.deepEqual(layout, { orgId: 'o-zyxwvu9876', accounts: ['111122223333', '444455556666'], regions: ['eu-west-1', 'us-east-1'], startDay: '2024/01/15' });

    const executions = async () => (await athena.send(new ListQueryExecutionsCommand({}))).QueryExecutionIds?.length ?? 0;
    const base = { glue, s3, athena, bucket: 'trail-layout-bucket', prefix: 'logs', defaultRegion: 'us-east-1', database: 'security', table: 'trail_logs', outputLocation: 's3://athena-results/ddl/' };
    const before = await executions();
    let shown = '';
    const declined = await ensureTrailTable({ ...base, choose: async () => assert.fail('no table exists yet'), confirm: async (ddl) => ((shown = ddl), false) });
    assert.equal(declined.kind, 'declined');
    assert.equal(shown, trailTableDdl({ table: 'trail_logs', database: 'security', bucket: 'trail-layout-bucket', prefix: 'logs', orgId: 'o-zyxwvu9876', accounts: layout.accounts, regions: layout.regions, startDay: '2024/01/15' }));
    assert.equal(await executions(), before, 'nothing was sent to Athena without confirmation');

    const created = await ensureTrailTable({ ...base, choose: async () => undefined, confirm: async () => true });
    assert.equal(created.kind, 'created');
    assert.equal(await executions(), before + 1);
    const exec = await athena.send(new GetQueryExecutionCommand({ QueryExecutionId: created.kind === 'created' ? created.queryExecutionId : '' }));
    assert.equal(exec.QueryExecution?.Query, shown);

    // Once the catalog has a CloudTrail table on this bucket, it is offered and nothing is created.
    const cols = [{ Name: 'eventname', Type: 'string' }, { Name: 'useridentity', Type: 'struct<type:string>' }];
    await glue.send(new CreateTableCommand({ DatabaseName: 'security', TableInput: { Name: 'trail_logs', Parameters: { 'projection.enabled': 'true' }, StorageDescriptor: { Columns: cols, Location: 's3://trail-layout-bucket/logs/AWSLogs/o-zyxwvu9876/' } } }));
    let offered: string[] = [];
    const existing = await ensureTrailTable({ ...base, choose: async (f) => ((offered = f.map((t) => `${t.database}.${t.table}`)), f[0]), confirm: async () => assert.fail('must not ask to create') });
    assert.deepEqual(offered, ['security.trail_logs']);
    assert.equal(existing.kind, 'existing');
    assert.equal(await executions(), before + 1);
  } finally {
    s3.destroy();
    athena.destroy();
    glue.destroy();
  }
});
