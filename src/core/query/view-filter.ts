/**
 * The record viewer's filter (chips, time range, quick text) as SQL over the `cloudtrail` table, for "Query This
 * Folder with These Filters…": the same records the viewer shows, over the whole folder or bucket.
 *
 * - Chips compare the viewer's cell text, so each column maps to the expression that gives that text (Who and
 *   Resources are derived cells: their SQL follows the same rules for the common identity types, and the notes say
 *   so). "Only" chips on one column are ORed, "exclude" chips remove values, columns are ANDed, as in the viewer.
 * - The time range becomes `eventtime` bounds as ISO strings (CloudTrail's `eventtime` is a `…Z` string that
 *   sorts as text), which DuckDB also uses to read only the files delivered in the range; on Athena a
 *   `"timestamp"` (delivery day) partition filter is added so the query does not scan the whole table.
 * - The quick text is a case-insensitive substring test over the record's text columns and the JSON text of its
 *   nested ones (the viewer searches the raw JSON, field names included; the SQL form does not see key names).
 */
export type SqlEngine = 'duckdb' | 'athena';

export interface ViewerFilterLike {
  text?: string;
  chips?: { column: string; value: string; exclude?: boolean }[];
  from?: string;
  to?: string;
}

const q = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** SQL expression per viewer column whose value equals the viewer's cell text ('' when absent). */
function columnExpr(column: string, engine: SqlEngine): string | undefined {
  const c = (e: string) => `coalesce(${e}, '')`;
  switch (column) {
    case 'time':
      return c('eventtime');
    case 'eventName':
      return c('eventname');
    case 'eventSource':
      return c('eventsource');
    case 'sourceIp':
      return c('sourceipaddress');
    case 'region':
      return c('awsregion');
    case 'errorCode':
      return c('errorcode');
    case 'readOnly':
      return `coalesce(lower(readonly), '')`;
    case 'account':
      return `coalesce(nullif(recipientaccountid, ''), useridentity.accountid, '')`;
    case 'eventId':
      return c('eventid');
    case 'eventType':
      return c('eventtype');
    case 'category':
      return c('eventcategory');
    case 'userAgent':
      return c('useragent');
    case 'accessKey':
      return c('useridentity.accesskeyid');
    case 'resources': {
      const n = engine === 'athena' ? 'cardinality(resources)' : 'len(resources)';
      const first = `coalesce(nullif(resources[1].arn, ''), resources[1].type, '(resource)')`;
      return `CASE WHEN resources IS NULL OR ${n} = 0 THEN '' WHEN ${n} = 1 THEN ${first} ELSE ${first} || ' +' || CAST(${n} - 1 AS VARCHAR) END`;
    }
    case 'who': {
      const u = 'useridentity';
      const after = (marker: string) => `CASE WHEN strpos(${u}.arn, ':${marker}') > 0 THEN substr(${u}.arn, strpos(${u}.arn, ':${marker}') + ${marker.length + 1}) END`;
      const fallback = `coalesce(nullif(${u}.username, ''), nullif(${u}.principalid, ''), nullif(${u}.arn, ''), nullif(${u}.accountid, ''), nullif(${u}.type, ''), '—')`;
      return `CASE ${u}.type
  WHEN 'IAMUser' THEN coalesce(nullif(${u}.username, ''), ${after('user/')}, ${fallback})
  WHEN 'AssumedRole' THEN coalesce(${after('assumed-role/')}, ${fallback})
  WHEN 'Root' THEN CASE WHEN coalesce(${u}.username, '') = '' THEN 'root' ELSE 'root (' || ${u}.username || ')' END
  WHEN 'AWSService' THEN coalesce(nullif(${u}.invokedby, ''), nullif(${u}.principalid, ''), ${fallback})
  WHEN 'FederatedUser' THEN coalesce(${after('federated-user/')}, ${fallback})
  WHEN 'AWSAccount' THEN coalesce(nullif(${u}.accountid, ''), ${fallback})
  ELSE CASE WHEN ${u} IS NULL THEN '—' ELSE ${fallback} END END`;
    }
    default:
      return undefined;
  }
}

/** ISO `YYYY-MM-DDTHH:MM:SSZ` of a time the viewer accepts (UTC when no zone; a bare date = that whole day). */
function bound(s: string, which: 'from' | 'to'): string | undefined {
  let t = s.trim();
  if (!t) return undefined;
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(t);
  if (dateOnly) t += 'T00:00:00Z';
  else if (!/[zZ]$|[+-]\d\d:?\d\d$/.test(t)) t += 'Z';
  let ms = Date.parse(t);
  if (Number.isNaN(ms)) return undefined;
  // `to` is inclusive in the viewer: the SQL bound is exclusive, one second (or one day for a date) later.
  if (which === 'to') ms = dateOnly ? ms + 86_400_000 : Math.floor(ms / 1000) * 1000 + 1000;
  else ms = Math.ceil(ms / 1000) * 1000;
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Text columns and the JSON text of nested ones, searched by the quick text. */
function searchText(engine: SqlEngine): string[] {
  const json = (c: string) => (engine === 'athena' ? `json_format(CAST(${c} AS JSON))` : `CAST(${c} AS VARCHAR)`);
  return [
    'eventname', 'eventsource', 'sourceipaddress', 'awsregion', 'errorcode', 'errormessage', 'useragent', 'eventid', 'requestid',
    'recipientaccountid', 'eventtype', 'eventcategory', 'requestparameters', 'responseelements', 'additionaleventdata', 'serviceeventdetails',
    json('useridentity'), json('resources'),
  ].map((e) => (engine === 'athena' || e.startsWith('CAST') ? e : `CAST(${e} AS VARCHAR)`));
}

export interface FilterSql {
  /** A full SELECT over `cloudtrail` with the filter as its WHERE clause. */
  sql: string;
  /** The WHERE conditions alone ('' when the filter is empty). */
  where: string;
  /** What differs from the viewer's own filtering, for a comment in the cell. */
  notes: string[];
}

export function filterToSql(filter: ViewerFilterLike | undefined, engine: SqlEngine = 'duckdb', limit = 1000): FilterSql {
  const conds: string[] = [];
  const notes: string[] = [];
  const chips = Array.isArray(filter?.chips) ? filter!.chips : [];
  const byColumn = new Map<string, { only: string[]; not: string[] }>();
  for (const chip of chips) {
    if (!chip || typeof chip.column !== 'string' || typeof chip.value !== 'string') continue;
    if (!columnExpr(chip.column, engine)) {
      notes.push(`the filter on column "${chip.column}" has no SQL form and was left out`);
      continue;
    }
    if (!byColumn.has(chip.column)) byColumn.set(chip.column, { only: [], not: [] });
    (chip.exclude ? byColumn.get(chip.column)!.not : byColumn.get(chip.column)!.only).push(chip.value);
  }
  for (const [column, { only, not }] of byColumn) {
    const e = columnExpr(column, engine)!;
    if (column === 'who' || column === 'resources') notes.push(`"${column === 'who' ? 'Who' : 'Resources'}" is derived from the record; its SQL form follows the viewer's rules for the common cases`);
    if (only.length) conds.push(only.length === 1 ? `${e} = ${q(only[0])}` : `${e} IN (${only.map(q).join(', ')})`);
    if (not.length) conds.push(not.length === 1 ? `${e} <> ${q(not[0])}` : `${e} NOT IN (${not.map(q).join(', ')})`);
  }
  const from = typeof filter?.from === 'string' ? bound(filter.from, 'from') : undefined;
  const to = typeof filter?.to === 'string' ? bound(filter.to, 'to') : undefined;
  if (from) conds.push(`eventtime >= ${q(from)}`);
  if (to) conds.push(`eventtime < ${q(to)}`);
  if (engine === 'athena' && (from || to)) {
    // Delivery day partitions: a file is delivered after its events (within about 15 minutes, rarely more).
    const day = (iso: string, plusDays = 0) => new Date(Date.parse(iso) + plusDays * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '/');
    if (from) conds.push(`"timestamp" >= ${q(day(from))}`);
    if (to) conds.push(`"timestamp" <= ${q(day(to, 1))}`);
  }
  const text = typeof filter?.text === 'string' ? filter.text.trim() : '';
  if (text) {
    const needle = q(text.toLowerCase());
    conds.push(`(${searchText(engine).map((e) => `strpos(lower(${e}), ${needle}) > 0`).join('\n    OR ')})`);
    notes.push('the text filter searches field values (not field names)');
  }
  const where = conds.join('\n  AND ');
  const header = `-- From the record viewer's filters${notes.length ? ` (${notes.join('; ')})` : ''}`;
  const sql = `${header}\nSELECT eventtime, eventsource, eventname, useridentity.arn AS principal, sourceipaddress, errorcode, eventid, "$path"\nFROM cloudtrail${where ? `\nWHERE ${where}` : ''}\nORDER BY eventtime DESC\nLIMIT ${limit}`;
  return { sql, where, notes };
}
