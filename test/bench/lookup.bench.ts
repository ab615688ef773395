/**
 * LookupEvents pacing benchmark: load 1,000 events (20 pages of 50) from the throttling LookupEvents test double
 * (test/support/lookup-server.ts: 2 requests per rolling second per account+region, like the API).
 *
 *   paced   the explorer's LookupService: token bucket + SDK adaptive retry + backoff in this layer
 *   naive   the same SDK client (standard retry, 3 attempts) calling as fast as answers come, the way a plain
 *           pagination loop does; each ThrottlingException that escapes the SDK is counted as one error a user
 *           would see, after which the loop retries the same page at once (the "Retry" click)
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
  const client = (key: string, retryMode: 'standard' | 'adaptive') =>
    new CloudTrailClient({ region: 'us-east-1', endpoint: server.url, credentials: { accessKeyId: key, secretAccessKey: 's' }, maxAttempts: 3, retryMode });
  try {
    // --- naive --------------------------------------------------------------------------------------------
    server.resetStats();
    const naiveClient = client('AKIABENCHNAIVE000001', 'standard');
    let surfacedNaive = 0;
    let loadedNaive = 0;
    let token: string | undefined;
    const t0 = performance.now();
    for (;;) {
      try {
        const out = await naiveClient.send(new LookupEventsCommand({ MaxResults: PAGE, NextToken: token }));
        loadedNaive += out.Events?.length ?? 0;
        token = out.NextToken;
        if (!token) break;
      } catch (err) {
        if (!isThrottle(err)) throw err;
        surfacedNaive++;
      }
    }
    const naiveS = (performance.now() - t0) / 1000;
    const naiveServerThrottles = server.stats.throttled;
    const naiveRequests = server.stats.lookupRequests;

    await new Promise((r) => setTimeout(r, 1500));

    // --- paced --------------------------------------------------------------------------------------------
    server.resetStats();
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
        `${name.padEnd(6)} ${s.toFixed(2).padStart(6)} s  ${(s / FLOOR_S).toFixed(2)}x floor  events ${loaded}  requests ${requests}  ` +
          `throttles surfaced ${surfaced}  server throttle answers ${serverThrottles}`,
      );
    console.log(`LookupEvents: ${EVENTS} events, ${EVENTS / PAGE} pages, limit 2 req/s → floor ${FLOOR_S.toFixed(1)} s`);
    row('naive', naiveS, loadedNaive, naiveRequests, surfacedNaive, naiveServerThrottles);
    row('paced', pacedS, results.events.length, server.stats.lookupRequests, surfacedPaced + svc.stats.throttlesSurfaced, server.stats.throttled);
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
