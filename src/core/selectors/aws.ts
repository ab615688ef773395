/**
 * Reading and writing a trail's event selectors (no `vscode`): GetEventSelectors as a document, and the
 * PutEventSelectors payload built from a selector document. Clients come from the AWS core's factory; the
 * write must go to the trail's home region (else InvalidHomeRegionException), which the trail ARN names.
 */
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { loadCloudTrailSdk } from '../aws/sdk';
import { readSelectorDocument } from './document';
import { nodeToValue } from './validate';

/** The home region in a trail ARN (`arn:aws:cloudtrail:REGION:ACCOUNT:trail/NAME`), if it is one. */
export function regionFromTrailArn(arn: string): string | undefined {
  const m = /^arn:[a-z-]+:cloudtrail:([a-z0-9-]+):\d{12}:trail\/.+$/.exec(arn);
  return m?.[1];
}

/** The get-event-selectors document text the "Fetch" command opens. */
export async function fetchSelectorsText(client: CloudTrailClient, trail: string, signal?: AbortSignal): Promise<string> {
  const { GetEventSelectorsCommand } = await loadCloudTrailSdk();
  const out = await client.send(new GetEventSelectorsCommand({ TrailName: trail }), { abortSignal: signal });
  const doc: Record<string, unknown> = { TrailARN: out.TrailARN ?? trail };
  if (out.AdvancedEventSelectors?.length) doc.AdvancedEventSelectors = out.AdvancedEventSelectors;
  else if (out.EventSelectors?.length) doc.EventSelectors = out.EventSelectors;
  else doc.AdvancedEventSelectors = [];
  return JSON.stringify(doc, null, 2) + '\n';
}

export type SelectorsPayload = { AdvancedEventSelectors: unknown[] } | { EventSelectors: unknown[] };

/**
 * What PutEventSelectors gets from a document: its advanced selectors, or its basic ones. Undefined (with
 * a reason) when the document holds neither or both.
 */
export function payloadFromText(text: string): { payload?: SelectorsPayload; trail?: string; reason?: string } {
  const doc = readSelectorDocument(text, 'apply.selectors.json');
  if (doc.syntaxErrors.length) return { reason: 'The document is not valid JSON.' };
  const trailProp = doc.rootProps.get('TrailName')?.valueNode?.value ?? doc.rootProps.get('TrailARN')?.valueNode?.value;
  const trail = typeof trailProp === 'string' && trailProp ? trailProp : undefined;
  const adv = doc.advancedArray?.type === 'array' ? (nodeToValue(doc.advancedArray) as unknown[]) : undefined;
  const basic = doc.basicArray?.type === 'array' ? (nodeToValue(doc.basicArray) as unknown[]) : undefined;
  if (adv && basic) return { trail, reason: 'The document has both EventSelectors and AdvancedEventSelectors; keep one.' };
  // Plain objects again (nodeToValue builds null-prototype ones) so the SDK serialises them normally.
  const plain = (v: unknown[]) => JSON.parse(JSON.stringify(v)) as unknown[];
  if (adv) return { trail, payload: { AdvancedEventSelectors: plain(adv) } };
  if (basic) return { trail, payload: { EventSelectors: plain(basic) } };
  return { trail, reason: 'The document holds no selectors.' };
}

/** PutEventSelectors; returns the selectors as the service stored them. */
export async function putSelectors(client: CloudTrailClient, trail: string, payload: SelectorsPayload, signal?: AbortSignal): Promise<{ trailArn?: string; advanced: number; basic: number }> {
  const { PutEventSelectorsCommand } = await loadCloudTrailSdk();
  const out = await client.send(new PutEventSelectorsCommand({ TrailName: trail, ...(payload as object) }), { abortSignal: signal });
  return { trailArn: out.TrailARN, advanced: out.AdvancedEventSelectors?.length ?? 0, basic: out.EventSelectors?.length ?? 0 };
}

/**
 * What became of an Apply (PutEventSelectors):
 * - `applied`: AWS answered and stored the selectors.
 * - `rejected`: AWS answered with an error, so nothing was written.
 * - `unknown`: no answer arrived (the connection failed or was reset, the request timed out, or the user cancelled
 *   while it was under way). The write may have been applied or not; only reading the trail's selectors back
 *   ("Fetch") tells.
 * - `not-sent`: cancelled before the request was sent; nothing was written.
 */
export type ApplyOutcome =
  | { outcome: 'applied'; trailArn?: string; advanced: number; basic: number }
  | { outcome: 'rejected'; error: unknown }
  | { outcome: 'unknown'; error: unknown; cancelled: boolean }
  | { outcome: 'not-sent' };

/** True when the SDK error carries an HTTP answer from the service (so the service saw and judged the request). */
function answered(err: unknown): boolean {
  const meta = err !== null && typeof err === 'object' ? (err as { $metadata?: { httpStatusCode?: unknown } }).$metadata : undefined;
  return typeof meta?.httpStatusCode === 'number';
}

/**
 * PutEventSelectors that tells a failed write from one whose outcome is unknown, and can be cancelled: `signal`
 * goes to the SDK, which aborts the HTTP request (and its retries).
 */
export async function applySelectors(client: CloudTrailClient, trail: string, payload: SelectorsPayload, signal?: AbortSignal): Promise<ApplyOutcome> {
  if (signal?.aborted) return { outcome: 'not-sent' };
  try {
    return { outcome: 'applied', ...(await putSelectors(client, trail, payload, signal)) };
  } catch (error) {
    if (answered(error)) return { outcome: 'rejected', error };
    return { outcome: 'unknown', error, cancelled: signal?.aborted === true };
  }
}

/** The message for an Apply whose outcome is unknown (see {@link ApplyOutcome}). */
export function unknownOutcomeMessage(trailName: string, cancelled: boolean, detail?: string): string {
  const why = cancelled ? 'Apply was cancelled while the request was under way' : `the connection failed before AWS answered${detail ? ` (${detail})` : ''}`;
  return `The event selectors of trail "${trailName}" may or may not have been applied: ${why}. Fetch to check what the trail logs now.`;
}
