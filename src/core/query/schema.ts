/**
 * The `cloudtrail` table: the columns and types of AWS's documented Athena table for CloudTrail logs
 * ("Create the table for CloudTrail logs in Athena using partition projection", Athena user guide), written once
 * as a tree and turned into (a) the DuckDB type that reads the log files' camelCase JSON, (b) the DuckDB type with
 * Athena's all-lower-case names the `cloudtrail` view exposes, (c) the Athena DDL column list, and (d) the column
 * and nested-field names offered by completion.
 *
 * Documented types are kept: everything scalar is STRING (VARCHAR), including `readonly` and `eventtime`;
 * `requestparameters`, `responseelements`, `additionaleventdata`, `serviceeventdetails` and `edgedevicedetails`
 * are JSON text. One addition beyond the documented DDL: `useridentity.sessioncontext.sourceidentity` (a STRING
 * that real records carry); it is marked `extra` so the DDL check can tell it apart.
 */

export type FieldType =
  | { kind: 'string' }
  /** JSON text: in Athena a STRING holding the JSON; in DuckDB the JSON type (text, usable with json_* functions). */
  | { kind: 'json' }
  | { kind: 'map' }
  | { kind: 'struct'; fields: Field[] }
  | { kind: 'array'; of: Field[] };

export interface Field {
  /** Column / struct field name as Athena spells it (lower case). */
  name: string;
  /** Key in CloudTrail's JSON (camelCase, e.g. `sourceIPAddress`). */
  json: string;
  type: FieldType;
  /** Not in AWS's documented DDL (kept so records that carry it are not lost). */
  extra?: boolean;
}

const S = (json: string, extra?: boolean): Field => ({ name: json.toLowerCase(), json, type: { kind: 'string' }, ...(extra ? { extra } : {}) });
const J = (json: string): Field => ({ name: json.toLowerCase(), json, type: { kind: 'json' } });
const ST = (json: string, fields: Field[]): Field => ({ name: json.toLowerCase(), json, type: { kind: 'struct', fields } });

export const CLOUDTRAIL_COLUMNS: readonly Field[] = [
  S('eventVersion'),
  ST('userIdentity', [
    S('type'),
    S('principalId'),
    S('arn'),
    S('accountId'),
    S('invokedBy'),
    S('accessKeyId'),
    S('userName'),
    ST('onBehalfOf', [S('userId'), S('identityStoreArn')]),
    ST('sessionContext', [
      ST('attributes', [S('mfaAuthenticated'), S('creationDate')]),
      ST('sessionIssuer', [S('type'), S('principalId'), S('arn'), S('accountId'), S('userName')]),
      S('ec2RoleDelivery'),
      ST('webIdFederationData', [S('federatedProvider'), { name: 'attributes', json: 'attributes', type: { kind: 'map' } }]),
      S('sourceIdentity', true),
    ]),
  ]),
  S('eventTime'),
  S('eventSource'),
  S('eventName'),
  S('awsRegion'),
  S('sourceIPAddress'),
  S('userAgent'),
  S('errorCode'),
  S('errorMessage'),
  J('requestParameters'),
  J('responseElements'),
  J('additionalEventData'),
  S('requestID'),
  S('eventID'),
  S('readOnly'),
  { name: 'resources', json: 'resources', type: { kind: 'array', of: [S('ARN'), S('accountId'), S('type')] } },
  S('eventType'),
  S('apiVersion'),
  S('recipientAccountId'),
  J('serviceEventDetails'),
  S('sharedEventID'),
  S('vpcEndpointId'),
  S('vpcEndpointAccountId'),
  S('eventCategory'),
  ST('addendum', [S('reason'), S('updatedFields'), S('originalRequestID'), S('originalEventID')]),
  S('sessionCredentialFromConsole'),
  J('edgeDeviceDetails'),
  ST('tlsDetails', [S('tlsVersion'), S('cipherSuite'), S('clientProvidedHostHeader')]),
];

/**
 * Partition columns of the partition-projection table (all STRING): `account` (organization trails: one per
 * member account), `region`, and `timestamp` (the delivery day, `yyyy/MM/dd`). Locally they come from the file's
 * path and name (falling back to the record's recipientAccountId / awsRegion / eventTime).
 */
export const PARTITION_COLUMNS: readonly string[] = ['account', 'region', 'timestamp'];

/** The name of the table every query reads. */
export const TABLE_NAME = 'cloudtrail';

function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_]*$/i.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/** DuckDB type text for a field; `raw` = names as they are in the JSON files (camelCase). */
export function duckType(t: FieldType, raw: boolean): string {
  switch (t.kind) {
    case 'string':
      return 'VARCHAR';
    case 'json':
    case 'map':
      // Maps (webidfederationdata.attributes) are read as JSON text: their keys are not known in advance.
      return 'JSON';
    case 'struct':
      return `STRUCT(${t.fields.map((f) => `${quoteIdent(raw ? f.json : f.name)} ${duckType(f.type, raw)}`).join(', ')})`;
    case 'array':
      return `STRUCT(${t.of.map((f) => `${quoteIdent(raw ? f.json : f.name)} ${duckType(f.type, raw)}`).join(', ')})[]`;
  }
}

/** The DuckDB type of one log file's `Records` array, with the JSON's own key names. */
export function duckRecordsType(only?: ReadonlySet<string>): string {
  const cols = CLOUDTRAIL_COLUMNS.filter((f) => !only || only.has(f.name));
  return `STRUCT(${cols.map((f) => `${quoteIdent(f.json)} ${duckType(f.type, true)}`).join(', ')})[]`;
}

/** Columns the partition values fall back on; always read. */
const ALWAYS = ['eventtime', 'awsregion', 'recipientaccountid'];

/**
 * The table columns a query can reference: every column whose name appears in the SQL as a word (in a string
 * literal too — reading a column too many is harmless), all of them for `*`. DuckDB's JSON reader converts every
 * field of the declared type, so declaring only these makes a narrow query several times faster.
 */
export function referencedColumns(sql: string): Set<string> | undefined {
  const text = sql.replace(/--[^\n]*/g, ' ').toLowerCase();
  if (/(^|[^(\w])\*(?!\s*\))/.test(text.replace(/count\s*\(\s*\*\s*\)/g, ''))) return undefined;
  const words = new Set(text.match(/[a-z_][a-z0-9_]*/g) ?? []);
  const out = new Set(ALWAYS);
  for (const f of CLOUDTRAIL_COLUMNS) if (words.has(f.name)) out.add(f.name);
  return out;
}

/**
 * The SELECT list that turns one raw record `r` (camelCase struct) into the Athena-named columns. Struct casts in
 * DuckDB match field names case-insensitively, which renames nested fields without listing them twice.
 */
export function duckSelectList(recordExpr = 'r', only?: ReadonlySet<string>): string {
  return CLOUDTRAIL_COLUMNS.map((f) => {
    // Columns the query does not use are not read: typed NULLs keep the table's shape.
    if (only && !only.has(f.name)) return `CAST(NULL AS ${duckType(f.type, false)}) AS ${quoteIdent(f.name)}`;
    const src = `${recordExpr}.${quoteIdent(f.json)}`;
    if (f.type.kind === 'struct' || f.type.kind === 'array') return `CAST(${src} AS ${duckType(f.type, false)}) AS ${quoteIdent(f.name)}`;
    return `${src} AS ${quoteIdent(f.name)}`;
  }).join(',\n  ');
}

/** Athena (Hive DDL) type text. */
export function athenaType(t: FieldType): string {
  switch (t.kind) {
    case 'string':
    case 'json':
      return 'STRING';
    case 'map':
      return 'MAP<STRING,STRING>';
    case 'struct':
      return `STRUCT<${t.fields.map((f) => `${f.name}: ${athenaType(f.type)}`).join(', ')}>`;
    case 'array':
      return `ARRAY<STRUCT<${t.of.map((f) => `${f.name}: ${athenaType(f.type)}`).join(', ')}>>`;
  }
}

/** A column or nested field path with its type, for completion and hovers (`useridentity.sessioncontext.attributes`). */
export interface FieldPath {
  path: string;
  /** The same path in CloudTrail's JSON (`userIdentity.sessionContext.attributes`), for the field docs. */
  jsonPath: string;
  type: string;
  extra?: boolean;
}

export function fieldPaths(): FieldPath[] {
  const out: FieldPath[] = [];
  const walk = (fields: readonly Field[], prefix: string, jsonPrefix: string) => {
    for (const f of fields) {
      const path = prefix + f.name;
      const jsonPath = jsonPrefix + f.json;
      out.push({ path, jsonPath, type: athenaType(f.type), ...(f.extra ? { extra: true } : {}) });
      if (f.type.kind === 'struct') walk(f.type.fields, path + '.', jsonPath + '.');
      if (f.type.kind === 'array') walk(f.type.of, path + '[].', jsonPath + '[].');
    }
  };
  walk(CLOUDTRAIL_COLUMNS, '', '');
  for (const p of PARTITION_COLUMNS) out.push({ path: p, jsonPath: '', type: 'STRING' });
  return out;
}
