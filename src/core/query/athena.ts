/**
 * Queries on Amazon Athena over a trail's S3 bucket: the partition-projection DDL for the `cloudtrail` table,
 * finding an existing CloudTrail table for a bucket in the Glue Data Catalog, and running a query (start, poll,
 * page with the SDK's paginator, cancel with StopQueryExecution) with the data scanned and its estimated cost.
 * Nothing here creates anything on its own: callers show the DDL and ask before running it.
 */
import type { AthenaClient } from '@aws-sdk/client-athena';
import type { GlueClient } from '@aws-sdk/client-glue';
import { CLOUDTRAIL_COLUMNS, athenaType } from './schema';
import type { QueryResult } from './duckdb';
import { QueryError } from './errors';

export interface TrailTableOptions {
  table: string;
  database?: string;
  bucket: string;
  /** Key prefix before `AWSLogs/` (no leading or trailing slash), if the trail has one. */
  prefix?: string;
  /** Organization ID (`o-…`) for organization trails: the location then has one folder per member account. */
  orgId?: string;
  /** Accounts to project (organization trails: the member accounts; otherwise the trail's own account). */
  accounts: string[];
  regions: string[];
  /** First day with logs, `yyyy/MM/dd`. */
  startDay: string;
}

const IDENT = /^[a-z_][a-z0-9_]*$/;

function checkValue(what: string, v: string, re: RegExp): string {
  if (!re.test(v)) throw new Error(`${what} "${v}" is not valid here`);
  return v;
}

/**
 * The CREATE EXTERNAL TABLE statement AWS documents for CloudTrail logs with partition projection, generalised to
 * several Regions and accounts: partitions `account`, `region` and `timestamp` (yyyy/MM/dd), all projected (enum,
 * enum, date) onto `s3://bucket/[prefix/]AWSLogs/[o-…/]${account}/CloudTrail/${region}/${timestamp}`.
 */
export function trailTableDdl(o: TrailTableOptions): string {
  const table = checkValue('Table name', o.table, IDENT);
  const qualified = o.database ? `${checkValue('Database name', o.database, IDENT)}.${table}` : table;
  checkValue('Bucket', o.bucket, /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/);
  const accounts = o.accounts.map((a) => checkValue('Account', a, /^\d{12}$/));
  const regions = o.regions.map((r) => checkValue('Region', r, /^[a-z]{2}(-[a-z]+)+-\d+$/));
  if (!accounts.length || !regions.length) throw new Error('At least one account and one Region are needed');
  checkValue('Start day', o.startDay, /^\d{4}\/\d{2}\/\d{2}$/);
  const prefix = o.prefix ? checkValue('Prefix', o.prefix.replace(/^\/+|\/+$/g, ''), /^[A-Za-z0-9!_.*'()\/-]+$/) + '/' : '';
  const org = o.orgId ? checkValue('Organization ID', o.orgId, /^o-[a-z0-9]{10,32}$/) + '/' : '';
  const base = `s3://${o.bucket}/${prefix}AWSLogs/${org}`;
  const cols = CLOUDTRAIL_COLUMNS.map((f) => `  ${f.name} ${athenaType(f.type)}`).join(',\n');
  return `CREATE EXTERNAL TABLE ${qualified} (
${cols}
)
PARTITIONED BY (account string, region string, \`timestamp\` string)
ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'
STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
LOCATION '${base}'
TBLPROPERTIES (
  'projection.enabled'='true',
  'projection.account.type'='enum',
  'projection.account.values'='${accounts.join(',')}',
  'projection.region.type'='enum',
  'projection.region.values'='${regions.join(',')}',
  'projection.timestamp.type'='date',
  'projection.timestamp.format'='yyyy/MM/dd',
  'projection.timestamp.interval'='1',
  'projection.timestamp.interval.unit'='DAYS',
  'projection.timestamp.range'='${o.startDay},NOW',
  'storage.location.template'='${base}\${account}/CloudTrail/\${region}/\${timestamp}'
)`;
}

export interface FoundTable {
  database: string;
  table: string;
  location: string;
  projected: boolean;
}

/** Tables in the Glue Data Catalog whose location is in the bucket (and prefix) and that look like CloudTrail tables. */
export async function findTrailTables(glue: GlueClient, bucket: string, prefix = '', catalogId?: string): Promise<FoundTable[]> {
  const { paginateGetDatabases, paginateGetTables } = await import('@aws-sdk/client-glue');
  const want = `s3://${bucket}/${prefix ? prefix.replace(/^\/+|\/+$/g, '') + '/' : ''}`;
  const found: FoundTable[] = [];
  for await (const page of paginateGetDatabases({ client: glue }, { CatalogId: catalogId })) {
    for (const db of page.DatabaseList ?? []) {
      if (!db.Name) continue;
      for await (const tp of paginateGetTables({ client: glue }, { DatabaseName: db.Name, CatalogId: catalogId })) {
        for (const t of tp.TableList ?? []) {
          const location = t.StorageDescriptor?.Location ?? '';
          const cols = new Set((t.StorageDescriptor?.Columns ?? []).map((c) => (c.Name ?? '').toLowerCase()));
          if (!location.startsWith(want) || !cols.has('eventname') || !cols.has('useridentity')) continue;
          found.push({ database: db.Name, table: t.Name ?? '', location, projected: t.Parameters?.['projection.enabled'] === 'true' });
        }
      }
    }
  }
  return found;
}

export interface AthenaRun {
  sql: string;
  database?: string;
  catalog?: string;
  workgroup?: string;
  outputLocation?: string;
  /** USD per TB scanned (Athena's list price is 5). */
  pricePerTb?: number;
  maxRows?: number;
  /** Poll interval in ms (backs off up to 5 s). */
  pollMs?: number;
  signal?: AbortSignal;
  onProgress?: (state: string, bytesScanned?: number) => void;
}

/** True when the SQL filters on a partition column (account, region, timestamp) — else Athena reads the whole bucket. */
export function hasPartitionFilter(sql: string): boolean {
  const where = /\bwhere\b([\s\S]*)$/i.exec(sql.replace(/--[^\n]*/g, ' '));
  return !!where && /(^|[^.\w"])("?timestamp"?|"?region"?|"?account"?)\s*(=|>|<|between|in|like)/i.test(where[1]);
}

/**
 * Points the notebook's table name `cloudtrail` at a real Athena table: every `cloudtrail` that is a table
 * reference (not inside a string literal or quoted identifier, not followed by `.`) becomes "db"."table".
 */
export function bindTableName(sql: string, database: string, table: string): string {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < sql.length && !(sql[j] === c && sql[j + 1] !== c)) j += sql[j] === c ? 2 : 1;
      out += sql.slice(i, j + 1);
      i = j + 1;
    } else if (c === '-' && sql[i + 1] === '-') {
      const j = sql.indexOf('\n', i);
      const end = j < 0 ? sql.length : j;
      out += sql.slice(i, end);
      i = end;
    } else {
      const m = /^cloudtrail\b(?!\s*\.)/i.exec(sql.slice(i));
      if (m && !/[\w.]/.test(sql[i - 1] ?? '')) {
        out += `"${database}"."${table}"`;
        i += m[0].length;
      } else {
        out += c;
        i++;
      }
    }
  }
  return out;
}

export function estimateCost(bytes: number, pricePerTb = 5): number {
  // Athena bills at least 10 MB per query, rounded up to the next MB.
  const mb = Math.max(10, Math.ceil(bytes / (1024 * 1024)));
  return (mb / (1024 * 1024)) * pricePerTb;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    }, { once: true });
  });

/** Starts a query, polls it to the end (stopping it on abort), pages the results. */
export async function runAthena(client: AthenaClient, run: AthenaRun): Promise<QueryResult & { queryExecutionId: string }> {
  const sdk = await import('@aws-sdk/client-athena');
  const started = Date.now();
  let id: string | undefined;
  try {
    const out = await client.send(
      new sdk.StartQueryExecutionCommand({
        QueryString: run.sql,
        WorkGroup: run.workgroup || undefined,
        QueryExecutionContext: run.database || run.catalog ? { Database: run.database || undefined, Catalog: run.catalog || undefined } : undefined,
        ResultConfiguration: run.outputLocation ? { OutputLocation: run.outputLocation } : undefined,
      }),
    );
    id = out.QueryExecutionId;
  } catch (err) {
    throw new QueryError(`Athena did not start the query: ${err instanceof Error ? err.message : String(err)}`, undefined, undefined, 'engine');
  }
  if (!id) throw new QueryError('Athena returned no query execution ID.', undefined, undefined, 'engine');
  let wait = run.pollMs ?? 500;
  let bytesScanned = 0;
  for (;;) {
    if (run.signal?.aborted) {
      await client.send(new sdk.StopQueryExecutionCommand({ QueryExecutionId: id })).catch(() => undefined);
      throw new QueryError(`The query was cancelled (StopQueryExecution sent for ${id}).`, undefined, undefined, 'cancelled');
    }
    const st = await client.send(new sdk.GetQueryExecutionCommand({ QueryExecutionId: id }));
    const state = st.QueryExecution?.Status?.State ?? 'UNKNOWN';
    bytesScanned = Number(st.QueryExecution?.Statistics?.DataScannedInBytes ?? 0);
    run.onProgress?.(state, bytesScanned);
    if (state === 'SUCCEEDED') break;
    if (state === 'FAILED' || state === 'CANCELLED') {
      const reason = st.QueryExecution?.Status?.StateChangeReason ?? state;
      const pos = /line (\d+):(\d+)/i.exec(reason);
      throw new QueryError(`Athena query ${state.toLowerCase()}: ${reason}`, pos ? Number(pos[1]) : undefined, pos ? Number(pos[2]) + 1 : undefined, state === 'CANCELLED' ? 'cancelled' : 'sql');
    }
    await sleep(wait, run.signal);
    wait = Math.min(5000, Math.round(wait * 1.5));
  }
  const maxRows = run.maxRows ?? 10_000;
  const rows: unknown[][] = [];
  let columns: { name: string; type: string }[] = [];
  let first = true;
  let truncated = false;
  for await (const page of sdk.paginateGetQueryResults({ client, pageSize: 1000 }, { QueryExecutionId: id })) {
    if (!columns.length) columns = (page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((c) => ({ name: c.Name ?? '', type: c.Type ?? '' }));
    for (const r of page.ResultSet?.Rows ?? []) {
      const values = (r.Data ?? []).map((d) => d.VarCharValue ?? null);
      // The first row of a SELECT's first page repeats the column names.
      if (first) {
        first = false;
        if (columns.length && values.every((v, i) => v === columns[i]?.name)) continue;
      }
      if (rows.length >= maxRows) {
        truncated = true;
        break;
      }
      rows.push(values);
    }
    if (truncated) break;
  }
  return {
    engine: 'athena',
    queryExecutionId: id,
    columns,
    rows,
    truncated,
    elapsedMs: Date.now() - started,
    bytesScanned,
    costUsd: estimateCost(bytesScanned, run.pricePerTb),
    warnings: [],
  };
}

export async function createAthenaClient(region: string, profile?: string, endpoint?: string): Promise<AthenaClient> {
  const [{ AthenaClient }, { credentialsFor }] = await Promise.all([import('@aws-sdk/client-athena'), import('../aws/sdk')]);
  return new AthenaClient({ region, credentials: await credentialsFor(profile), ...(endpoint ? { endpoint } : {}), maxAttempts: 3 });
}

export async function createGlueClient(region: string, profile?: string, endpoint?: string): Promise<GlueClient> {
  const [{ GlueClient }, { credentialsFor }] = await Promise.all([import('@aws-sdk/client-glue'), import('../aws/sdk')]);
  return new GlueClient({ region, credentials: await credentialsFor(profile), ...(endpoint ? { endpoint } : {}), maxAttempts: 3 });
}

export interface TrailLayout {
  orgId?: string;
  accounts: string[];
  regions: string[];
  /** First delivery day found, `yyyy/MM/dd`. */
  startDay?: string;
}

/**
 * What the trail's bucket holds under `[prefix/]AWSLogs/`: the organization folder (`o-…`) if any, the account
 * folders, the Region folders under `CloudTrail/`, and the first day with logs — by listing folder names only
 * (ListObjectsV2 with a delimiter), never reading a log file.
 */
export async function discoverTrailLayout(s3: import('@aws-sdk/client-s3').S3Client, bucket: string, prefix = ''): Promise<TrailLayout> {
  const { paginateListObjectsV2 } = await import('@aws-sdk/client-s3');
  const folders = async (p: string): Promise<string[]> => {
    const out: string[] = [];
    for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket, Prefix: p, Delimiter: '/' })) {
      for (const c of page.CommonPrefixes ?? []) if (c.Prefix) out.push(c.Prefix.slice(p.length).replace(/\/$/, ''));
    }
    return out;
  };
  const root = `${prefix ? prefix.replace(/^\/+|\/+$/g, '') + '/' : ''}AWSLogs/`;
  const top = await folders(root);
  const orgId = top.find((f) => /^o-[a-z0-9]{10,32}$/.test(f));
  const base = orgId ? `${root}${orgId}/` : root;
  const accounts = (orgId ? await folders(base) : top).filter((f) => /^\d{12}$/.test(f)).sort();
  const regions = new Set<string>();
  let startDay: string | undefined;
  for (const a of accounts) {
    for (const r of await folders(`${base}${a}/CloudTrail/`)) {
      if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(r)) continue;
      regions.add(r);
      // The first year / month / day folder of this Region (names sort in time order).
      let day = '';
      let p = `${base}${a}/CloudTrail/${r}/`;
      for (const re of [/^\d{4}$/, /^\d{2}$/, /^\d{2}$/]) {
        const first = (await folders(p)).filter((f) => re.test(f)).sort()[0];
        if (!first) break;
        day += (day ? '/' : '') + first;
        p += first + '/';
      }
      if (/^\d{4}\/\d{2}\/\d{2}$/.test(day) && (!startDay || day < startDay)) startDay = day;
    }
  }
  return { ...(orgId ? { orgId } : {}), accounts, regions: [...regions].sort(), ...(startDay ? { startDay } : {}) };
}

export type TrailTableChoice = { kind: 'existing'; table: FoundTable } | { kind: 'created'; database: string; table: string; ddl: string; queryExecutionId: string } | { kind: 'declined'; ddl: string };

/**
 * Finds a CloudTrail table for the trail's bucket in the Glue Data Catalog, or creates one with the
 * partition-projection DDL — only when `confirm(ddl)` (the caller's explicit confirmation showing the DDL) says
 * yes. `choose` picks among several existing tables (or returns undefined to create a new one).
 */
export async function ensureTrailTable(deps: {
  glue: GlueClient;
  s3: import('@aws-sdk/client-s3').S3Client;
  athena: AthenaClient;
  bucket: string;
  prefix?: string;
  /** The trail's own account, used when the bucket has no account folders yet. */
  accountId?: string;
  defaultRegion: string;
  database: string;
  table: string;
  workgroup?: string;
  outputLocation?: string;
  choose: (found: FoundTable[]) => Promise<FoundTable | undefined>;
  confirm: (ddl: string) => Promise<boolean>;
}): Promise<TrailTableChoice> {
  const found = await findTrailTables(deps.glue, deps.bucket, deps.prefix);
  if (found.length) {
    const picked = await deps.choose(found);
    if (picked) return { kind: 'existing', table: picked };
  }
  const layout = await discoverTrailLayout(deps.s3, deps.bucket, deps.prefix);
  const accounts = layout.accounts.length ? layout.accounts : deps.accountId ? [deps.accountId] : [];
  const regions = layout.regions.length ? layout.regions : [deps.defaultRegion];
  const ddl = trailTableDdl({
    table: deps.table,
    database: deps.database,
    bucket: deps.bucket,
    prefix: deps.prefix,
    orgId: layout.orgId,
    accounts,
    regions,
    startDay: layout.startDay ?? new Date(Date.now() - 90 * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '/'),
  });
  if (!(await deps.confirm(ddl))) return { kind: 'declined', ddl };
  const r = await runAthena(deps.athena, { sql: ddl, database: deps.database, workgroup: deps.workgroup, outputLocation: deps.outputLocation, pollMs: 200 });
  return { kind: 'created', database: deps.database, table: deps.table, ddl, queryExecutionId: r.queryExecutionId };
}
