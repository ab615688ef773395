/**
 * LookupEvents pacing benchmark: load 1,000 events (20 pages of 50) from the throttling LookupEvents test double
 * (test/support/lookup-server.ts: 2 requests per rolling second per account+region, like the API).
 *
 *   paced   LookupService (token bucket + backoff in this layer) over an adaptive-retry client: the earlier setup
 *   naive   the same SDK client (standard retry, 3 attempts) calling as fast as answers come, the way a plain
 *           pagination loop does; each ThrottlingException that escapes the SDK is counted as one error a user
 *           would see, after which the loop retries the same page at once (the "Retry" click)
 *   adaptive the same plain loop with the SDK's adaptive retry alone (its client-side rate limiter learns from
 *           throttles), maxAttempts 3 and 10: does the SDK pace well enough without a bucket of our own?
 *   bucket   the LookupService over a standard-retry client (what the explorer uses): the token bucket and this layer's backoff without the
 *           SDK's adaptive limiter (issue 15, "LookupEvents pacing": which of the three pays)
 *
 * Reported: wall time, ratio to the physical floor (20 requests at 2/s = 10 s) and to the naive run measured here,
 * ThrottlingExceptions surfaced to the caller (goal 0) and throttle answers the server sent. No time assertions.
 */
import { performance } from 'node:perf_hooks';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { startLookupServer, readCorpusRecords, recentEventsFromCorpus } from '../support/lookup-server';
import { corpusDir } from '../support/paths';
import { LookupService } from '../../src/core/aws/lookup';
import { EMPTY_FILTER } from '../../src/core/aws/events';
import { isThrottle } from '../../src/core/aws/errors';

const EVENTS = 1000;
const PAGE = 50;
const FLOOR_S = EVENTS / PAGE / 2;

async function main(): Promise<void> {
  const records = recentEventsFromCorpus(readCorpusRecords(corpusDir), EVENTS);
  const server = await startLookupServer({ records });
  const client = (key: string, retryMode: 'standard' | 'adaptive', maxAttempts = 3) =>
    new CloudTrailClient({ region: 'us-east-1', endpoint: server.url, credentials: { accessKeyId: key, secretAccessKey: 's' }, maxAttempts, retryMode });
  /** A plain pagination loop; a ThrottlingException that escapes the SDK counts as surfaced and the page is retried. */
  const loop = async (c: CloudTrailClient) => {
    server.resetStats();
    let surfaced = 0;
    let loaded = 0;
    let token: string | undefined;
    const t0 = performance.now();
    for (;;) {
      try {
        const out = await c.send(new LookupEventsCommand({ MaxResults: PAGE, NextToken: token }));
        loaded += out.Events?.length ?? 0;
        token = out.NextToken;
        if (!token) break;
      } catch (err) {
        if (!isThrottle(err)) throw err;
        surfaced++;
      }
    }
    const s = (performance.now() - t0) / 1000;
    await new Promise((r) => setTimeout(r, 1500));
    return { s, loaded, surfaced, requests: server.stats.lookupRequests, throttled: server.stats.throttled };
  };
  try {
    // --- naive, and the SDK's adaptive retry alone --------------------------------------------------------
    const naive = await loop(client('AKIABENCHNAIVE000001', 'standard'));
    const naiveS = naive.s;
    const adaptive3 = await loop(client('AKIABENCHADAPT000003', 'adaptive', 3));
    const adaptive10 = await loop(client('AKIABENCHADAPT000010', 'adaptive', 10));

    // --- bucket + own backoff over standard retry ---------------------------------------------------------
    server.resetStats();
    const bucketSvc = new LookupService({ getClient: async () => bucketClient });
    const bucketClient = client('AKIABENCHBUCKET00001', 'standard');
    const bucketResults = bucketSvc.results({ profile: 'bench-bucket', region: 'us-east-1' }, EMPTY_FILTER);
    let surfacedBucket = 0;
    const tb = performance.now();
    while (!bucketResults.done) {
      try {
        await bucketResults.loadMore();
      } catch (err) {
        if (!isThrottle(err)) throw err;
        surfacedBucket++;
      }
    }
    const bucketS = (performance.now() - tb) / 1000;
    const bucketStats = { requests: server.stats.lookupRequests, throttled: server.stats.throttled };
    await new Promise((r) => setTimeout(r, 1500));

    // --- paced --------------------------------------------------------------------------------------------
    server.resetStats();
    // The retired combination (bucket + backoff + SDK adaptive retry), kept as the reference it was measured against.
    const pacedClient = client('AKIABENCHPACED000001', 'adaptive');
    const svc = new LookupService({ getClient: async () => pacedClient });
    const results = svc.results({ profile: 'bench', region: 'us-east-1' }, EMPTY_FILTER);
    let surfacedPaced = 0;
    const t1 = performance.now();
    while (!results.done) {
      try {
        await results.loadMore();
      } catch (err) {
        if (!isThrottle(err)) throw err;
        surfacedPaced++;
      }
    }
    const pacedS = (performance.now() - t1) / 1000;

    const row = (name: string, s: number, loaded: number, requests: number, surfaced: number, serverThrottles: number) =>
      console.log(
        `${name.padEnd(36)} ${s.toFixed(2).padStart(6)} s  ${(s / FLOOR_S).toFixed(2)}x floor  events ${loaded}  requests ${requests}  ` +
          `throttles surfaced ${surfaced}  server throttle answers ${serverThrottles}`,
      );
    console.log(`LookupEvents: ${EVENTS} events, ${EVENTS / PAGE} pages, limit 2 req/s → floor ${FLOOR_S.toFixed(1)} s`);
    row('naive', naiveS, naive.loaded, naive.requests, naive.surfaced, naive.throttled);
    row('adaptive (SDK alone, 3 attempts)', adaptive3.s, adaptive3.loaded, adaptive3.requests, adaptive3.surfaced, adaptive3.throttled);
    row('adaptive (SDK alone, 10 attempts)', adaptive10.s, adaptive10.loaded, adaptive10.requests, adaptive10.surfaced, adaptive10.throttled);
    row('bucket + backoff (standard retry)', bucketS, bucketResults.events.length, bucketStats.requests, surfacedBucket + bucketSvc.stats.throttlesSurfaced, bucketStats.throttled);
    row('paced (bucket + backoff + adaptive)', pacedS, results.events.length, server.stats.lookupRequests, surfacedPaced + svc.stats.throttlesSurfaced, server.stats.throttled);
    console.log(`paced / naive time: ${(pacedS / naiveS).toFixed(2)}x; paced waited ${(svc.stats.waitedMs / 1000).toFixed(2)} s for tokens; SDK retries ${svc.stats.sdkRetries}`);
    if (results.events.length !== EVENTS) throw new Error(`paced run loaded ${results.events.length} events, expected ${EVENTS}`);
  } finally {
    await server.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
