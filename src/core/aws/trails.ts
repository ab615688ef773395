/**
 * Trail-level reads: DescribeTrails (shadow copies de-duplicated), GetTrailStatus, event and insight selectors,
 * event data stores. Each call takes the client and an AbortSignal; errors are thrown as the SDK gives them so
 * the caller can classify them per node.
 */
import type { CloudTrailClient, Trail } from '@aws-sdk/client-cloudtrail';
import { loadCloudTrailSdk } from './sdk';

export interface TrailInfo {
  name: string;
  arn: string;
  homeRegion?: string;
  /** The trail is defined in the region being browsed (not a shadow copy of a multi-region trail). */
  isHome: boolean;
  multiRegion: boolean;
  organization: boolean;
  bucket?: string;
  keyPrefix?: string;
  /** Account that owns the trail, from its ARN. */
  accountId?: string;
  logFileValidation: boolean;
  cloudWatchLogGroupArn?: string;
  hasCustomEventSelectors: boolean;
  hasInsightSelectors: boolean;
  kmsKeyId?: string;
  snsTopicArn?: string;
}

export function accountFromArn(arn: string | undefined): string | undefined {
  const parts = (arn ?? '').split(':');
  return parts.length >= 6 && /^\d{12}$/.test(parts[4]) ? parts[4] : undefined;
}

/** Pure: normalises DescribeTrails output for one region; the first occurrence of an ARN wins. */
export function normaliseTrails(trails: readonly Trail[], region: string): TrailInfo[] {
  const seen = new Map<string, TrailInfo>();
  for (const t of trails) {
    const arn = t.TrailARN ?? (t.Name ? `name:${t.Name}` : undefined);
    if (!arn || seen.has(arn)) continue;
    seen.set(arn, {
      name: t.Name ?? arn,
      arn,
      homeRegion: t.HomeRegion,
      isHome: !t.HomeRegion || t.HomeRegion === region,
      multiRegion: Boolean(t.IsMultiRegionTrail),
      organization: Boolean(t.IsOrganizationTrail),
      bucket: t.S3BucketName,
      keyPrefix: t.S3KeyPrefix || undefined,
      accountId: accountFromArn(t.TrailARN),
      logFileValidation: Boolean(t.LogFileValidationEnabled),
      cloudWatchLogGroupArn: t.CloudWatchLogsLogGroupArn,
      hasCustomEventSelectors: Boolean(t.HasCustomEventSelectors),
      hasInsightSelectors: Boolean(t.HasInsightSelectors),
      kmsKeyId: t.KmsKeyId,
      snsTopicArn: t.SnsTopicARN,
    });
  }
  // Home trails first, then by name.
  return [...seen.values()].sort((a, b) => Number(b.isHome) - Number(a.isHome) || a.name.localeCompare(b.name));
}

export async function describeTrails(client: CloudTrailClient, region: string, signal?: AbortSignal): Promise<TrailInfo[]> {
  const { DescribeTrailsCommand } = await loadCloudTrailSdk();
  const out = await client.send(new DescribeTrailsCommand({ includeShadowTrails: true }), { abortSignal: signal });
  return normaliseTrails(out.trailList ?? [], region);
}

export type StatusSeverity = 'ok' | 'warning' | 'error';

export interface StatusLine {
  label: string;
  value: string;
  severity: StatusSeverity;
  /** The full error text, for tooltips. */
  message?: string;
}

export interface TrailStatus {
  isLogging: boolean;
  lines: StatusLine[];
  /** Number of lines with severity other than ok. */
  problems: number;
}

function when(d: Date | undefined): string {
  return d instanceof Date && !Number.isNaN(d.getTime()) ? d.toISOString().replace('.000Z', 'Z') : 'never';
}

/** Pure: GetTrailStatus output → display lines, with delivery problems flagged. */
export function summariseStatus(s: {
  IsLogging?: boolean;
  LatestDeliveryTime?: Date;
  LatestDeliveryError?: string;
  LatestDigestDeliveryTime?: Date;
  LatestDigestDeliveryError?: string;
  LatestCloudWatchLogsDeliveryTime?: Date;
  LatestCloudWatchLogsDeliveryError?: string;
  LatestNotificationError?: string;
  StartLoggingTime?: Date;
  StopLoggingTime?: Date;
}): TrailStatus {
  const lines: StatusLine[] = [];
  const isLogging = Boolean(s.IsLogging);
  lines.push({
    label: 'Logging',
    value: isLogging ? `on since ${when(s.StartLoggingTime)}` : `off${s.StopLoggingTime ? ` since ${when(s.StopLoggingTime)}` : ''}`,
    severity: isLogging ? 'ok' : 'warning',
    message: isLogging ? undefined : 'The trail is not logging: no new events are delivered.',
  });
  const delivery = (label: string, time: Date | undefined, error: string | undefined, optional: boolean) => {
    if (error) lines.push({ label, value: error, severity: 'error', message: error });
    else if (time || !optional) lines.push({ label, value: `last ${when(time)}`, severity: 'ok' });
  };
  delivery('S3 delivery', s.LatestDeliveryTime, s.LatestDeliveryError, false);
  delivery('Digest delivery', s.LatestDigestDeliveryTime, s.LatestDigestDeliveryError, true);
  delivery('CloudWatch Logs delivery', s.LatestCloudWatchLogsDeliveryTime, s.LatestCloudWatchLogsDeliveryError, true);
  if (s.LatestNotificationError) {
    lines.push({ label: 'SNS notification', value: s.LatestNotificationError, severity: 'error', message: s.LatestNotificationError });
  }
  return { isLogging, lines, problems: lines.filter((l) => l.severity !== 'ok').length };
}

export async function getTrailStatus(client: CloudTrailClient, trailArn: string, signal?: AbortSignal): Promise<TrailStatus> {
  const { GetTrailStatusCommand } = await loadCloudTrailSdk();
  const out = await client.send(new GetTrailStatusCommand({ Name: trailArn }), { abortSignal: signal });
  return summariseStatus(out);
}

/** The output shape of `aws cloudtrail get-event-selectors` (what the selector tooling reads). */
export interface EventSelectorsDocument {
  TrailARN?: string;
  EventSelectors?: unknown[];
  AdvancedEventSelectors?: unknown[];
}

export async function getEventSelectors(client: CloudTrailClient, trailArn: string, signal?: AbortSignal): Promise<EventSelectorsDocument> {
  const { GetEventSelectorsCommand } = await loadCloudTrailSdk();
  const out = await client.send(new GetEventSelectorsCommand({ TrailName: trailArn }), { abortSignal: signal });
  const doc: EventSelectorsDocument = { TrailARN: out.TrailARN ?? trailArn };
  if (out.EventSelectors?.length) doc.EventSelectors = out.EventSelectors;
  if (out.AdvancedEventSelectors?.length) doc.AdvancedEventSelectors = out.AdvancedEventSelectors;
  return doc;
}

export interface InsightSelectorsInfo {
  types: string[];
  /** Where insight events are read from for event data stores; undefined for trails. */
  raw: Record<string, unknown>;
}

export async function getInsightSelectors(client: CloudTrailClient, trailArn: string, signal?: AbortSignal): Promise<InsightSelectorsInfo> {
  const { GetInsightSelectorsCommand } = await loadCloudTrailSdk();
  try {
    const out = await client.send(new GetInsightSelectorsCommand({ TrailName: trailArn }), { abortSignal: signal });
    const { $metadata: _m, ...raw } = out;
    return { types: (out.InsightSelectors ?? []).map((s) => String(s.InsightType ?? '?')), raw };
  } catch (err) {
    // A trail without Insights answers with this error rather than an empty list.
    if ((err as { name?: string }).name === 'InsightNotEnabledException') return { types: [], raw: {} };
    throw err;
  }
}

export interface EventDataStoreInfo {
  name: string;
  arn: string;
  status?: string;
  multiRegion: boolean;
  organization: boolean;
  retentionDays?: number;
}

export async function listEventDataStores(client: CloudTrailClient, signal?: AbortSignal): Promise<EventDataStoreInfo[]> {
  const { ListEventDataStoresCommand } = await loadCloudTrailSdk();
  const out: EventDataStoreInfo[] = [];
  let token: string | undefined;
  for (let page = 0; page < 50; page++) {
    const res = await client.send(new ListEventDataStoresCommand({ NextToken: token }), { abortSignal: signal });
    for (const s of res.EventDataStores ?? []) {
      out.push({
        name: s.Name ?? s.EventDataStoreArn ?? '?',
        arn: s.EventDataStoreArn ?? '',
        status: s.Status,
        multiRegion: Boolean(s.MultiRegionEnabled),
        organization: Boolean(s.OrganizationEnabled),
        retentionDays: s.RetentionPeriod,
      });
    }
    token = res.NextToken;
    if (!token) break;
  }
  return out;
}
