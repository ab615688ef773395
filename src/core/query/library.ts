/**
 * Ready-made investigation queries over the `cloudtrail` table. `sql` runs on DuckDB; where Athena's dialect
 * differs (JSON functions, time parsing) `athena` holds the Athena variant, otherwise the same text runs on both.
 * Portable choices: times are compared as ISO strings and bucketed with substr(eventtime, …), which both engines
 * read the same way; JSON text fields are read with json_extract_string (DuckDB) / json_extract_scalar (Athena).
 *
 * `{{name}}` placeholders are parameters (an access key, an IP address…); renderQuery fills them in, quoted.
 */

export interface LibraryQuery {
  id: string;
  title: string;
  /** One line: what the query answers. */
  purpose: string;
  sql: string;
  /** Athena variant when the dialects differ. */
  athena?: string;
  params?: Record<string, string>;
}

/** Whole-record columns: a result with these can be opened in the record viewer. */
const RECORD_COLS = `eventtime, eventsource, eventname, awsregion, sourceipaddress, useridentity.arn AS principal, errorcode, eventid, "$path"`;

const q = (id: string, title: string, purpose: string, sql: string, extra: Partial<LibraryQuery> = {}): LibraryQuery => ({ id, title, purpose, sql, ...extra });

const names = (list: string[]) => list.map((n) => `'${n}'`).join(', ');

export const QUERY_LIBRARY: readonly LibraryQuery[] = [
  q('root-activity', 'Root account use', 'Every call made with the root user’s credentials (should be rare and explained).',
    `SELECT ${RECORD_COLS}\nFROM cloudtrail\nWHERE useridentity.type = 'Root'\nORDER BY eventtime`),
  q('console-no-mfa', 'Console sign-ins without MFA', 'Successful console sign-ins where no MFA was used.',
    `SELECT eventtime, useridentity.arn AS principal, sourceipaddress, eventid, "$path"\nFROM cloudtrail\nWHERE eventname = 'ConsoleLogin'\n  AND json_extract_string(responseelements, '$.ConsoleLogin') = 'Success'\n  AND json_extract_string(additionaleventdata, '$.MFAUsed') = 'No'\nORDER BY eventtime`,
    { athena: `SELECT eventtime, useridentity.arn AS principal, sourceipaddress, eventid, "$path"\nFROM cloudtrail\nWHERE eventname = 'ConsoleLogin'\n  AND json_extract_scalar(responseelements, '$.ConsoleLogin') = 'Success'\n  AND json_extract_scalar(additionaleventdata, '$.MFAUsed') = 'No'\nORDER BY eventtime` }),
  q('failed-signins-per-user', 'Failed sign-ins per user', 'Console sign-in failures counted per user name (password spraying, guessing).',
    `SELECT coalesce(useridentity.username, useridentity.principalid, 'unknown') AS username, count(*) AS failures\nFROM cloudtrail\nWHERE eventname = 'ConsoleLogin' AND errormessage IS NOT NULL\nGROUP BY 1\nORDER BY failures DESC, username`),
  q('access-denied-by-principal', 'Access denied by principal', 'Who is hitting permission errors, and how often (recon or broken automation).',
    `SELECT coalesce(useridentity.arn, useridentity.principalid, useridentity.invokedby, 'unknown') AS principal, count(*) AS denied\nFROM cloudtrail\nWHERE errorcode IN ('AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'Client.UnauthorizedOperation', 'UnauthorizedAccess')\nGROUP BY 1\nORDER BY denied DESC, principal`),
  q('new-iam-users', 'New IAM users', 'IAM users created (persistence).',
    `SELECT eventtime, useridentity.arn AS principal, json_extract_string(requestparameters, '$.userName') AS new_user, errorcode, eventid, "$path"\nFROM cloudtrail\nWHERE eventname = 'CreateUser'\nORDER BY eventtime`,
    { athena: `SELECT eventtime, useridentity.arn AS principal, json_extract_scalar(requestparameters, '$.userName') AS new_user, errorcode, eventid, "$path"\nFROM cloudtrail\nWHERE eventname = 'CreateUser'\nORDER BY eventtime` }),
  q('new-access-keys', 'New access keys', 'Access keys created, and for whom (persistence, key theft follow-up).',
    `SELECT eventtime, useridentity.arn AS principal, json_extract_string(requestparameters, '$.userName') AS for_user, json_extract_string(responseelements, '$.accessKey.accessKeyId') AS new_key, eventid, "$path"\nFROM cloudtrail\nWHERE eventname = 'CreateAccessKey'\nORDER BY eventtime`,
    { athena: `SELECT eventtime, useridentity.arn AS principal, json_extract_scalar(requestparameters, '$.userName') AS for_user, json_extract_scalar(responseelements, '$.accessKey.accessKeyId') AS new_key, eventid, "$path"\nFROM cloudtrail\nWHERE eventname = 'CreateAccessKey'\nORDER BY eventtime` }),
  q('policy-attachments', 'Policy attachments', 'Managed policies attached and inline policies put on users, roles and groups (privilege escalation).',
    `SELECT ${RECORD_COLS}\nFROM cloudtrail\nWHERE eventsource = 'iam.amazonaws.com'\n  AND eventname IN (${names(['AttachUserPolicy', 'AttachRolePolicy', 'AttachGroupPolicy', 'PutUserPolicy', 'PutRolePolicy', 'PutGroupPolicy'])})\nORDER BY eventtime`),
  q('trail-tampering', 'Trail tampering', 'Logging stopped, trails deleted or their selectors/settings changed (defence evasion).',
    `SELECT ${RECORD_COLS}\nFROM cloudtrail\nWHERE eventsource = 'cloudtrail.amazonaws.com'\n  AND eventname IN (${names(['StopLogging', 'DeleteTrail', 'PutEventSelectors', 'UpdateTrail'])})\nORDER BY eventtime`),
  q('sg-open-to-world', 'Security groups opened to the internet', 'Ingress rules added for 0.0.0.0/0 or ::/0.',
    `SELECT ${RECORD_COLS}\nFROM cloudtrail\nWHERE eventname = 'AuthorizeSecurityGroupIngress'\n  AND (requestparameters LIKE '%0.0.0.0/0%' OR requestparameters LIKE '%::/0%')\nORDER BY eventtime`),
  q('bucket-policy-acl-changes', 'Bucket policy and ACL changes', 'S3 bucket policies, ACLs and public access blocks changed or removed (exposure).',
    `SELECT eventtime, useridentity.arn AS principal, eventname, json_extract_string(requestparameters, '$.bucketName') AS bucket, errorcode, eventid, "$path"\nFROM cloudtrail\nWHERE eventsource = 's3.amazonaws.com'\n  AND eventname IN (${names(['PutBucketPolicy', 'DeleteBucketPolicy', 'PutBucketAcl', 'PutBucketPublicAccessBlock', 'DeleteBucketPublicAccessBlock'])})\nORDER BY eventtime`,
    { athena: `SELECT eventtime, useridentity.arn AS principal, eventname, json_extract_scalar(requestparameters, '$.bucketName') AS bucket, errorcode, eventid, "$path"\nFROM cloudtrail\nWHERE eventsource = 's3.amazonaws.com'\n  AND eventname IN (${names(['PutBucketPolicy', 'DeleteBucketPolicy', 'PutBucketAcl', 'PutBucketPublicAccessBlock', 'DeleteBucketPublicAccessBlock'])})\nORDER BY eventtime` }),
  q('kms-key-deletion', 'KMS key deletion scheduled', 'KMS keys scheduled for deletion or disabled (ransom, data destruction).',
    `SELECT ${RECORD_COLS}\nFROM cloudtrail\nWHERE eventsource = 'kms.amazonaws.com' AND eventname IN ('ScheduleKeyDeletion', 'DisableKey')\nORDER BY eventtime`),
  q('access-key-activity', 'Activity of one access key', 'Everything done with one access key ID.',
    `SELECT ${RECORD_COLS}\nFROM cloudtrail\nWHERE useridentity.accesskeyid = {{accessKeyId}}\nORDER BY eventtime`, { params: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE' } }),
  q('source-ip-activity', 'Activity of one source IP', 'Everything that came from one IP address.',
    `SELECT ${RECORD_COLS}\nFROM cloudtrail\nWHERE sourceipaddress = {{sourceIp}}\nORDER BY eventtime`, { params: { sourceIp: '203.0.113.10' } }),
  q('assumed-role-session', 'Activity of one assumed-role session', 'Everything done in one role session (the session ARN ends with the session name).',
    `SELECT ${RECORD_COLS}\nFROM cloudtrail\nWHERE useridentity.type = 'AssumedRole' AND useridentity.arn = {{sessionArn}}\nORDER BY eventtime`,
    { params: { sessionArn: 'arn:aws:sts::111122223333:assumed-role/Admin/session-name' } }),
  q('top-calls-per-principal', 'Top API calls per principal', 'The most frequent calls of each principal (baseline, outliers).',
    `SELECT coalesce(useridentity.arn, useridentity.invokedby, 'unknown') AS principal, eventname, count(*) AS calls\nFROM cloudtrail\nGROUP BY 1, 2\nORDER BY calls DESC, principal, eventname\nLIMIT 200`),
  q('errors-per-hour', 'Errors per hour', 'Failed calls per hour (a spike often marks enumeration or a broken deployment).',
    `SELECT substr(eventtime, 1, 13) || ':00Z' AS hour, count(*) AS errors\nFROM cloudtrail\nWHERE errorcode IS NOT NULL\nGROUP BY 1\nORDER BY 1`),
  q('regions-first-seen', 'New Regions used', 'When each Region was first used (activity in Regions you do not use is a red flag).',
    `SELECT awsregion, min(eventtime) AS first_seen, count(*) AS events\nFROM cloudtrail\nGROUP BY awsregion\nORDER BY first_seen, awsregion`),
  q('events-per-day', 'Events per day', 'Volume over time (gaps can mean logging was stopped).',
    `SELECT substr(eventtime, 1, 10) AS day, count(*) AS events\nFROM cloudtrail\nGROUP BY 1\nORDER BY 1`),
  q('events-per-service', 'Events per service', 'Which services are called, and how much.',
    `SELECT eventsource, count(*) AS events\nFROM cloudtrail\nGROUP BY eventsource\nORDER BY events DESC, eventsource`),
  q('console-logins-by-ip', 'Console sign-ins by user and IP', 'Successful console sign-ins per user and source IP (new locations).',
    `SELECT coalesce(useridentity.arn, useridentity.principalid, 'unknown') AS principal, sourceipaddress, count(*) AS signins\nFROM cloudtrail\nWHERE eventname = 'ConsoleLogin' AND errormessage IS NULL\nGROUP BY 1, 2\nORDER BY signins DESC, principal, sourceipaddress`),
  q('role-trust-changes', 'Role trust policy changes', 'Roles created or their trust policies changed (who can assume them).',
    `SELECT ${RECORD_COLS}\nFROM cloudtrail\nWHERE eventsource = 'iam.amazonaws.com' AND eventname IN ('CreateRole', 'UpdateAssumeRolePolicy')\nORDER BY eventtime`),
  q('security-services-disabled', 'Security services disabled', 'GuardDuty, Config, Security Hub or Access Analyzer switched off (defence evasion).',
    `SELECT ${RECORD_COLS}\nFROM cloudtrail\nWHERE eventname IN (${names(['DeleteDetector', 'UpdateDetector', 'StopConfigurationRecorder', 'DeleteConfigurationRecorder', 'DeleteDeliveryChannel', 'DisableSecurityHub', 'DeleteAnalyzer'])})\nORDER BY eventtime`),
  q('secret-reads', 'Secret and parameter reads per principal', 'Who reads secrets and SecureString parameters, and how often (credential access).',
    `SELECT coalesce(useridentity.arn, 'unknown') AS principal, eventname, count(*) AS reads\nFROM cloudtrail\nWHERE eventname IN ('GetSecretValue', 'BatchGetSecretValue', 'GetParameter', 'GetParameters', 'GetParametersByPath', 'GetPasswordData')\nGROUP BY 1, 2\nORDER BY reads DESC, principal, eventname`),
  q('organization-changes', 'Leaving or changing the organization', 'An account leaving the organization or SCPs being detached (guardrails removed).',
    `SELECT ${RECORD_COLS}\nFROM cloudtrail\nWHERE eventsource = 'organizations.amazonaws.com' AND eventname IN ('LeaveOrganization', 'DetachPolicy', 'DeletePolicy', 'RemoveAccountFromOrganization')\nORDER BY eventtime`),
  q('user-agents-per-principal', 'User agents per principal', 'Distinct tools each principal used (a new agent can mean stolen keys).',
    `SELECT coalesce(useridentity.arn, 'unknown') AS principal, useragent, count(*) AS calls, min(eventtime) AS first_seen\nFROM cloudtrail\nWHERE useragent IS NOT NULL\nGROUP BY 1, 2\nORDER BY principal, first_seen, useragent`),
];

function sqlLiteral(v: string): string {
  return `'${v.replace(/'/g, "''")}'`;
}

/** The query's SQL for an engine with its `{{param}}` placeholders filled in (as quoted string literals). */
export function renderQuery(query: LibraryQuery, engine: 'duckdb' | 'athena' = 'duckdb', params: Record<string, string> = {}): string {
  const text = engine === 'athena' && query.athena ? query.athena : query.sql;
  const values = { ...(query.params ?? {}), ...params };
  return text.replace(/\{\{(\w+)\}\}/g, (m, name: string) => (name in values ? sqlLiteral(values[name]) : m));
}
