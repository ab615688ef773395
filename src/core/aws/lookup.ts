/**
 * Paced access to CloudTrail LookupEvents. The API allows 2 requests per second per account and region, so every
 * request first takes a token from that account+region's bucket (spaced a little under the limit so network jitter
 * cannot push two requests into one second); a ThrottlingException that still comes (another client spending the
 * same account's quota) pauses the bucket for everyone and the request is retried with backoff. Loaded pages are
 * cached per filter for a short while; cancellation flows through AbortSignal into the SDK.
 *
 * The SDK's adaptive retry is not used (issue 15, "LookupEvents pacing"; test/bench/lookup.bench.ts): alone it
 * loads 20 pages in 1.46 × the 2 req/s floor with 7–8 throttle answers, the bucket in 1.07 × with none, and adaptive
 * retry on top of the bucket changed nothing (1.06 ×, no SDK retry ever ran). The client uses standard retry.
 */
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { loadCloudTrailSdk, type AwsTarget } from './sdk';
import { TokenBucket, backoffDelay, systemClock, abortReason, type Clock } from './tokenBucket';
import { isThrottle } from './errors';
import {
  filterKey,
  resolveRange,
  summariseEvent,
  applyClientFilters,
  type EventSummary,
  type LookupFilter,
} from './events';

export interface LookupStats {
  /** HTTP requests sent (SDK-internal retries included: they pass through the bucket too). */
  requests: number;
  /** Retries the SDK made inside those requests (from `$metadata.attempts`). */
  sdkRetries: number;
  /** ThrottlingExceptions that reached this layer and were retried here. */
  throttlesRetried: number;
  /** ThrottlingExceptions given up on and thrown to the caller (what a user would see). */
  throttlesSurfaced: number;
  /** Total milliseconds spent waiting for tokens. */
  waitedMs: number;
}

export interface LookupServiceOptions {
  getClient(target: AwsTarget): Promise<CloudTrailClient>;
  clock?: Clock;
  /** Requests per second per account and region; a margin under the API's 2. */
  ratePerSecond?: number;
  /** Retries of a throttled request in this layer (after the SDK's own). */
  maxThrottleRetries?: number;
  /** How long a filter's loaded pages stay cached (ms). */
  cacheTtlMs?: number;
  pageSize?: number;
  random?: () => number;
}

export interface PageResult {
  events: EventSummary[];
  nextToken?: string;
}

/** The loaded state of one filter in one account+region: grows with `loadMore`. */
export class LookupResults {
  readonly events: EventSummary[] = [];
  nextToken?: string;
  pagesLoaded = 0;
  /** The time range resolved once, so every page of a listing uses the same bounds. */
  readonly start?: Date;
  readonly end?: Date;
  loadedAt = 0;
  private pending?: Promise<void>;

  constructor(
    private readonly service: LookupService,
    readonly target: AwsTarget,
    readonly filter: LookupFilter,
    now: number,
  ) {
    const r = resolveRange(filter.range, now);
    this.start = r.start;
    this.end = r.end;
  }

  get done(): boolean {
    return this.pagesLoaded > 0 && !this.nextToken;
  }

  /** Events passing the client-side filters. */
  get visible(): EventSummary[] {
    return applyClientFilters(this.events, this.filter.clientFilters);
  }

  /**
   * Loads the next page (the first one if none yet). With client-side filters, keeps going until at least
   * `minVisible` more events pass them or `maxPages` pages were read, so "Load more" never shows nothing.
   */
  loadMore(signal?: AbortSignal, opts: { minVisible?: number; maxPages?: number } = {}): Promise<void> {
    if (this.pending) return this.pending;
    const run = async () => {
      const before = this.visible.length;
      const wanted = this.filter.clientFilters.length ? (opts.minVisible ?? 1) : 0;
      const maxPages = this.filter.clientFilters.length ? (opts.maxPages ?? 5) : 1;
      for (let i = 0; i < maxPages; i++) {
        if (this.done) break;
        const page = await this.service.fetchPage(this.target, this.filter, this.nextToken, { start: this.start, end: this.end }, signal);
        this.events.push(...page.events);
        this.nextToken = page.nextToken;
        this.pagesLoaded++;
        this.loadedAt = this.service.now();
        if (this.visible.length - before >= wanted) break;
      }
    };
    this.pending = run().finally(() => (this.pending = undefined));
    return this.pending;
  }

  get loading(): boolean {
    return Boolean(this.pending);
  }
}

export class LookupService {
  readonly stats: LookupStats = { requests: 0, sdkRetries: 0, throttlesRetried: 0, throttlesSurfaced: 0, waitedMs: 0 };
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly cache = new Map<string, LookupResults>();
  private readonly clock: Clock;
  private readonly rate: number;
  private readonly maxThrottleRetries: number;
  private readonly ttl: number;
  private readonly pageSize: number;
  private readonly random: () => number;

  constructor(private readonly options: LookupServiceOptions) {
    this.clock = options.clock ?? systemClock;
    this.rate = options.ratePerSecond ?? 1.8;
    this.maxThrottleRetries = options.maxThrottleRetries ?? 4;
    this.ttl = options.cacheTtlMs ?? 60_000;
    this.pageSize = Math.min(50, Math.max(1, options.pageSize ?? 50));
    this.random = options.random ?? Math.random;
  }

  now(): number {
    return this.clock.now();
  }

  /**
   * The bucket for the account+region behind a target. The account comes from the resolved credentials when
   * the provider reports it; otherwise the access key stands in for it (same key, same account).
   */
  async bucketFor(target: AwsTarget, client: CloudTrailClient): Promise<TokenBucket> {
    let who = `profile:${target.profile ?? '(default)'}`;
    try {
      const creds = await client.config.credentials();
      who = creds.accountId ? `account:${creds.accountId}` : `key:${creds.accessKeyId}`;
    } catch {
      // Credential problems surface from the request itself; pace by profile meanwhile.
    }
    const key = `${who}|${target.region}`;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      // Capacity 1: no bursts, so no two requests ever share a one-second window beyond the limit.
      bucket = new TokenBucket({ ratePerSecond: this.rate, capacity: 1, clock: this.clock });
      this.buckets.set(key, bucket);
    }
    return bucket;
  }

  /** One LookupEvents page through the bucket, with throttle backoff. */
  async fetchPage(
    target: AwsTarget,
    filter: LookupFilter,
    nextToken: string | undefined,
    range: { start?: Date; end?: Date },
    signal?: AbortSignal,
  ): Promise<PageResult> {
    const [client, sdk] = await Promise.all([this.options.getClient(target), loadCloudTrailSdk()]);
    const bucket = await this.bucketFor(target, client);
    for (let attempt = 0; ; attempt++) {
      if (signal?.aborted) throw abortReason(signal);
      const command = new sdk.LookupEventsCommand({
        LookupAttributes: filter.attribute ? [{ AttributeKey: filter.attribute.key, AttributeValue: filter.attribute.value }] : undefined,
        StartTime: range.start,
        EndTime: range.end,
        MaxResults: this.pageSize,
        NextToken: nextToken,
      });
      // The token is taken at the last step before the HTTP send (after signing, inside the SDK's retry loop),
      // so the spacing the service sees is the bucket's spacing — for the SDK's own retries too — and not
      // blurred by first-call work such as resolving credentials.
      command.middlewareStack.add(
        (next) => async (args) => {
          const t0 = this.clock.now();
          await bucket.take(signal);
          this.stats.waitedMs += this.clock.now() - t0;
          this.stats.requests++;
          return next(args);
        },
        { step: 'deserialize', priority: 'low', name: 'cloudtrailLensPacing' },
      );
      try {
        const out = await client.send(command, { abortSignal: signal });
        this.stats.sdkRetries += Math.max(0, (out.$metadata.attempts ?? 1) - 1);
        return { events: (out.Events ?? []).map(summariseEvent), nextToken: out.NextToken || undefined };
      } catch (err) {
        if (!isThrottle(err) || signal?.aborted) throw err;
        if (attempt >= this.maxThrottleRetries) {
          this.stats.throttlesSurfaced++;
          throw err;
        }
        this.stats.throttlesRetried++;
        // Pause everyone using this account+region, not just this request.
        bucket.penalize(backoffDelay(attempt, 1000, 16_000, this.random));
      }
    }
  }

  private cacheKey(target: AwsTarget, filter: LookupFilter): string {
    return JSON.stringify([target.profile ?? '', target.region, target.files ?? {}, filterKey(filter)]);
  }

  /** The cached results for a filter, or a new empty listing; `refresh` drops the cache entry first. */
  results(target: AwsTarget, filter: LookupFilter, opts: { refresh?: boolean } = {}): LookupResults {
    const key = this.cacheKey(target, filter);
    const hit = this.cache.get(key);
    const now = this.clock.now();
    // Client-side filters do not change what is fetched, but they belong to the listing's identity.
    if (
      hit &&
      !opts.refresh &&
      (hit.loading || hit.pagesLoaded === 0 || now - hit.loadedAt < this.ttl) &&
      JSON.stringify(hit.filter.clientFilters) === JSON.stringify(filter.clientFilters)
    ) {
      return hit;
    }
    const fresh = new LookupResults(this, target, filter, Date.now());
    this.cache.set(key, fresh);
    return fresh;
  }

  /** Forgets cached listings (all, or those of one target). */
  invalidate(target?: AwsTarget): void {
    if (!target) return this.cache.clear();
    for (const [k, v] of this.cache) {
      if (v.target.profile === target.profile && v.target.region === target.region) this.cache.delete(k);
    }
  }
}
