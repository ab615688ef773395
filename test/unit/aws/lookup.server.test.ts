/**
 * LookupEvents through the real SDK against test/support/lookup-server.ts (the test double for the API moto
 * lacks): paging, one-attribute filter, time range, pacing under the 2/s limit, throttle backoff, cancellation,
 * caching and client-side filters.
 */
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { startLookupServer, readCorpusRecords, recentEventsFromCorpus, type LookupServer } from '../../support/lookup-server';
import { corpusDir } from '../../support/paths';
import { LookupService } from '../../../src/core/aws/lookup';
import { classifyAwsError } from '../../../src/core/aws/errors';
import { EMPTY_FILTER, type LookupFilter } from '../../../src/core/aws/events';
import type { AwsTarget } from '../../../src/core/aws/sdk';

let server: LookupServer;
let records: Record<string, unknown>[];
const NOW = Date.now();
const target: AwsTarget = { profile: 'test', region: 'us-east-1' };

function service(opts: { rate?: number; sdkAttempts?: number; maxThrottleRetries?: number; key?: string } = {}) {
  const clients = new Map<string, CloudTrailClient>();
  return new LookupService({
    getClient: async (t) => {
      const k = `${t.profile}|${t.region}`;
      let c = clients.get(k);
      if (!c) {
        c = new CloudTrailClient({
          region: t.region,
          endpoint: server.url,
          credentials: { accessKeyId: opts.key ?? 'AKIATESTLOOKUP000001', secretAccessKey: 's' },
          maxAttempts: opts.sdkAttempts ?? 3,
          // As the explorer's client (src/explorer/aws/session.ts): pacing is the service's bucket, not the SDK's.
          retryMode: 'standard',
        });
        clients.set(k, c);
      }
      return c;
    },
    ratePerSecond: opts.rate,
    maxThrottleRetries: opts.maxThrottleRetries,
    random: () => 0,
  });
}

before(async () => {
  const corpus = readCorpusRecords(corpusDir);
  assert.ok(corpus.length > 500, `corpus has ${corpus.length} records`);
  // 130 events one minute apart, the newest 30 s ago (so the 1-hour boundary falls between two events).
  records = recentEventsFromCorpus(corpus, 130, NOW - 30_000, 60_000);
  server = await startLookupServer({ records });
});
after(() => server.close());
beforeEach(() => {
  // Also empties the server's sliding throttling window, so no test waits for the previous one's to pass.
  server.resetStats();
});

const byTimeDesc = (list: Record<string, unknown>[]) =>
  [...list].sort((a, b) => Date.parse(String(b.eventTime)) - Date.parse(String(a.eventTime)));

test('pages of 50, newest first, until NextToken runs out; every event exactly once', async () => {
  const svc = service();
  const r = svc.results(target, EMPTY_FILTER);
  await r.loadMore();
  assert.equal(r.events.length, 50);
  assert.ok(r.nextToken);
  while (!r.done) await r.loadMore();
  assert.equal(r.pagesLoaded, 3);
  assert.deepEqual(r.events.map((e) => e.id), byTimeDesc(records).map((x) => x.eventID));
  // Each summary carries the parsed full record.
  assert.equal(r.events[0].record?.eventID, r.events[0].id);
});

test('one lookup attribute is sent to the server; the answer matches it', async () => {
  const name = String(records[3].eventName);
  const expected = records.filter((x) => x.eventName === name).length;
  const svc = service();
  const r = svc.results(target, { ...EMPTY_FILTER, attribute: { key: 'EventName', value: name } });
  while (!r.done) await r.loadMore();
  assert.equal(r.events.length, expected);
  assert.ok(r.events.every((e) => e.name === name));
});

test('a time range preset bounds the events', async () => {
  const svc = service();
  const r = svc.results(target, { ...EMPTY_FILTER, range: { kind: 'preset', preset: '1h' } });
  while (!r.done) await r.loadMore();
  const expected = records.filter((x) => Date.parse(String(x.eventTime)) >= Date.now() - 3_600_000).length;
  assert.equal(r.events.length, expected);
  assert.equal(expected, 60);
});

test('paced requests are never throttled by the server', async () => {
  const svc = service({ sdkAttempts: 1, maxThrottleRetries: 0 });
  // Three listings at once in the same account+region: they share one bucket.
  const lists = ['EventName', 'EventSource', undefined].map((k) =>
    svc.results(target, k ? { ...EMPTY_FILTER, attribute: { key: k as 'EventName', value: String(records[0][k === 'EventName' ? 'eventName' : 'eventSource']) } } : EMPTY_FILTER),
  );
  await Promise.all(lists.map(async (r) => { for (let i = 0; i < 2 && !r.done; i++) await r.loadMore(); }));
  assert.equal(server.stats.throttled, 0);
  assert.equal(svc.stats.throttlesSurfaced, 0);
  assert.ok(server.stats.lookupRequests >= 4);
});

test('without pacing the server throttles; backoff recovers and nothing reaches the caller', async () => {
  const svc = service({ rate: 100, sdkAttempts: 1, maxThrottleRetries: 6 });
  const r = svc.results(target, EMPTY_FILTER);
  const other = svc.results(target, { ...EMPTY_FILTER, attribute: { key: 'ReadOnly', value: 'true' } });
  await Promise.all([(async () => { while (!r.done) await r.loadMore(); })(), other.loadMore(), other.loadMore().then(() => other.loadMore())]);
  assert.equal(r.events.length, records.length);
  assert.ok(server.stats.throttled > 0, 'the server should have throttled the burst');
  assert.ok(svc.stats.throttlesRetried > 0);
  assert.equal(svc.stats.throttlesSurfaced, 0);
});

test('when retries are exhausted the ThrottlingException reaches the caller, classified', async () => {
  const svc = service({ rate: 1000, sdkAttempts: 1, maxThrottleRetries: 0 });
  const tries = [0, 1, 2, 3, 4].map((i) => svc.fetchPage(target, { ...EMPTY_FILTER, attribute: { key: 'EventId', value: `x${i}` } }, undefined, {}));
  const settled = await Promise.allSettled(tries);
  const rejected = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
  assert.ok(rejected.length >= 1);
  for (const r of rejected) assert.equal(classifyAwsError(r.reason).kind, 'throttled');
  assert.equal(svc.stats.throttlesSurfaced, rejected.length);
});

test('cancelling while waiting for a token sends nothing', async () => {
  const svc = service({ rate: 0.5 });
  await svc.fetchPage(target, EMPTY_FILTER, undefined, {}); // takes the only token
  const before = server.stats.lookupRequests;
  const ac = new AbortController();
  const p = svc.fetchPage(target, EMPTY_FILTER, undefined, {}, ac.signal);
  setTimeout(() => ac.abort(), 100);
  await assert.rejects(p, (e) => classifyAwsError(e).kind === 'cancelled');
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(server.stats.lookupRequests, before);
});

test('a filter\'s results are cached for a while; refresh starts over', async () => {
  const svc = service();
  const a = svc.results(target, EMPTY_FILTER);
  await a.loadMore();
  assert.equal(svc.results(target, EMPTY_FILTER), a);
  const requests = server.stats.lookupRequests;
  const b = svc.results(target, EMPTY_FILTER, { refresh: true });
  assert.notEqual(b, a);
  assert.equal(b.pagesLoaded, 0);
  assert.equal(server.stats.lookupRequests, requests);
  // Another region is another listing.
  assert.notEqual(svc.results({ ...target, region: 'eu-west-1' }, EMPTY_FILTER), b);
});

test('client-side filters apply to loaded pages and Load more reads on until something matches', async () => {
  // The oldest record, by its source (server-side) and its ID (client-side): only the last pages hold it.
  const oldest = byTimeDesc(records).at(-1)!;
  const filter: LookupFilter = {
    ...EMPTY_FILTER,
    attribute: { key: 'EventSource', value: String(oldest.eventSource) },
    clientFilters: [{ key: 'EventId', value: String(oldest.eventID) }],
  };
  const svc = service();
  const r = svc.results(target, filter);
  await r.loadMore(undefined, { minVisible: 1, maxPages: 5 });
  assert.deepEqual(r.visible.map((e) => e.id), [oldest.eventID]);
  assert.ok(r.events.length > 1, 'unfiltered pages are kept');
});
