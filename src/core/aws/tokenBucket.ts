/**
 * A token bucket that paces calls to rate-limited AWS APIs (LookupEvents allows 2 requests per second per
 * account and region). Pure: time and sleeping are injected so tests can drive it with a fake clock.
 */

export interface Clock {
  /** Milliseconds, monotonic enough for pacing. */
  now(): number;
  /** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(abortReason(signal));
      const onAbort = () => {
        clearTimeout(timer);
        reject(abortReason(signal!));
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, Math.max(0, ms));
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

export function abortReason(signal: AbortSignal): Error {
  const r: unknown = signal.reason;
  if (r instanceof Error) return r;
  const e = new Error(typeof r === 'string' ? r : 'The operation was cancelled');
  e.name = 'AbortError';
  return e;
}

export interface TokenBucketOptions {
  /** Tokens added per second. */
  ratePerSecond: number;
  /** Most tokens the bucket holds (the burst size). */
  capacity: number;
  clock?: Clock;
}

/**
 * Waiters are served in arrival order. Each `take` reserves a slot at the moment it is called, so a
 * cancelled waiter gives its reservation back and later waiters move up.
 */
export class TokenBucket {
  readonly ratePerSecond: number;
  readonly capacity: number;
  private readonly clock: Clock;
  private tokens: number;
  private last: number;
  /** Time before which no token may be handed out (set by `penalize` after a throttle). */
  private blockedUntil = 0;
  private queue: Promise<void> = Promise.resolve();

  constructor(options: TokenBucketOptions) {
    if (!(options.ratePerSecond > 0)) throw new RangeError('ratePerSecond must be positive');
    if (!(options.capacity >= 1)) throw new RangeError('capacity must be at least 1');
    this.ratePerSecond = options.ratePerSecond;
    this.capacity = options.capacity;
    this.clock = options.clock ?? systemClock;
    this.tokens = options.capacity;
    this.last = this.clock.now();
  }

  private refill(now: number): void {
    if (now > this.last) {
      this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.ratePerSecond);
      this.last = now;
    }
  }

  /** Milliseconds until a token would be available if asked now (0 when one is ready). */
  waitTime(): number {
    const now = this.clock.now();
    this.refill(now);
    const blocked = Math.max(0, this.blockedUntil - now);
    // The epsilon absorbs floating-point residue (0.9999999…) that would otherwise ask for a sub-ulp sleep.
    const deficit = this.tokens >= 1 - 1e-9 ? 0 : ((1 - this.tokens) / this.ratePerSecond) * 1000;
    return Math.max(blocked, deficit);
  }

  /** Takes one token without waiting; false when none is available. */
  tryTake(): boolean {
    if (this.waitTime() > 0) return false;
    this.tokens = Math.max(0, this.tokens - 1);
    return true;
  }

  /**
   * Waits for a token, in arrival order. Rejects with the abort reason when the signal aborts; the
   * token is then not consumed.
   */
  take(signal?: AbortSignal): Promise<void> {
    const turn = this.queue.then(() => this.takeNow(signal));
    // The next waiter starts after this one settles, whether it got a token or was cancelled.
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async takeNow(signal?: AbortSignal): Promise<void> {
    for (;;) {
      if (signal?.aborted) throw abortReason(signal);
      const wait = this.waitTime();
      if (wait <= 0) {
        this.tokens = Math.max(0, this.tokens - 1);
        return;
      }
      await this.clock.sleep(wait, signal);
    }
  }

  /** After the service said "slow down": empty the bucket and hand out nothing for `ms`. */
  penalize(ms: number): void {
    const now = this.clock.now();
    this.refill(now);
    this.tokens = Math.min(this.tokens, 0);
    this.blockedUntil = Math.max(this.blockedUntil, now + ms);
  }
}

/** Exponential backoff with full jitter: a random delay in [base, min(cap, base * 2^attempt)]. */
export function backoffDelay(attempt: number, baseMs = 500, capMs = 20_000, random: () => number = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt));
  return baseMs + random() * Math.max(0, ceiling - baseMs);
}
