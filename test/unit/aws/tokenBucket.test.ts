import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TokenBucket, backoffDelay, type Clock } from '../../../src/core/aws/tokenBucket';

/** A manual clock: time moves only when the test calls advance(). */
class FakeClock implements Clock {
  t = 0;
  private timers: { at: number; resolve: () => void; reject: (e: Error) => void }[] = [];
  now(): number {
    return this.t;
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = { at: this.t + ms, resolve, reject };
      this.timers.push(timer);
      signal?.addEventListener('abort', () => {
        this.timers = this.timers.filter((x) => x !== timer);
        const e = new Error('aborted');
        e.name = 'AbortError';
        reject(e);
      });
    });
  }
  /** Moves time forward step by step, letting woken waiters run before the next timer. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      await flush();
      const due = this.timers.filter((x) => x.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((x) => x !== due);
      this.t = Math.max(this.t, due.at);
      due.resolve();
    }
    this.t = end;
    await flush();
  }
}

async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
}

test('a full bucket hands out its capacity at once, then one token per 1/rate seconds', async () => {
  const clock = new FakeClock();
  const b = new TokenBucket({ ratePerSecond: 2, capacity: 2, clock });
  assert.equal(b.tryTake(), true);
  assert.equal(b.tryTake(), true);
  assert.equal(b.tryTake(), false);
  assert.equal(b.waitTime(), 500);
  clock.t = 499;
  assert.equal(b.tryTake(), false);
  clock.t = 500;
  assert.equal(b.tryTake(), true);
});

test('take() spaces callers by 1/rate and serves them in arrival order', async () => {
  const clock = new FakeClock();
  const b = new TokenBucket({ ratePerSecond: 2, capacity: 1, clock });
  const granted: [number, number][] = [];
  const all = [0, 1, 2, 3, 4].map((i) => b.take().then(() => granted.push([i, clock.now()])));
  await clock.advance(5000);
  await Promise.all(all);
  assert.deepEqual(granted.map((g) => g[0]), [0, 1, 2, 3, 4]);
  assert.deepEqual(granted.map((g) => g[1]), [0, 500, 1000, 1500, 2000]);
});

test('no one-second window ever holds more than the rate with capacity 1', async () => {
  const clock = new FakeClock();
  const rate = 1.8;
  const b = new TokenBucket({ ratePerSecond: rate, capacity: 1, clock });
  const times: number[] = [];
  const all = Array.from({ length: 20 }, () => b.take().then(() => times.push(clock.now())));
  await clock.advance(20_000);
  await Promise.all(all);
  assert.equal(times.length, 20);
  for (const t of times) {
    const inWindow = times.filter((x) => x >= t && x < t + 1000).length;
    assert.ok(inWindow <= 2, `window at ${t} holds ${inWindow}`);
  }
});

test('an aborted waiter rejects, consumes nothing, and the next waiter moves up', async () => {
  const clock = new FakeClock();
  const b = new TokenBucket({ ratePerSecond: 1, capacity: 1, clock });
  await b.take(); // empties the bucket at t=0
  const ac = new AbortController();
  const first = b.take(ac.signal);
  const order: string[] = [];
  const second = b.take().then(() => order.push(`second@${clock.now()}`));
  await clock.advance(200);
  ac.abort();
  await assert.rejects(first, (e: Error) => e.name === 'AbortError');
  await clock.advance(2000);
  await second;
  // The token the cancelled waiter would have had (t=1000) goes to the second one.
  assert.deepEqual(order, ['second@1000']);
});

test('an already-aborted signal rejects without waiting', async () => {
  const b = new TokenBucket({ ratePerSecond: 1, capacity: 1, clock: new FakeClock() });
  await assert.rejects(b.take(AbortSignal.abort()), /abort/i);
});

test('penalize() empties the bucket and blocks for the given time', async () => {
  const clock = new FakeClock();
  const b = new TokenBucket({ ratePerSecond: 2, capacity: 2, clock });
  b.penalize(3000);
  assert.equal(b.tryTake(), false);
  assert.equal(b.waitTime(), 3000);
  clock.t = 3000;
  assert.equal(b.tryTake(), true);
});

test('constructor rejects nonsense', () => {
  assert.throws(() => new TokenBucket({ ratePerSecond: 0, capacity: 1 }), RangeError);
  assert.throws(() => new TokenBucket({ ratePerSecond: 1, capacity: 0 }), RangeError);
});

test('backoffDelay grows exponentially within [base, cap]', () => {
  assert.equal(backoffDelay(0, 500, 20_000, () => 0), 500);
  assert.equal(backoffDelay(3, 500, 20_000, () => 1), 4000);
  assert.equal(backoffDelay(30, 500, 20_000, () => 1), 20_000);
  for (let a = 0; a < 10; a++) {
    const d = backoffDelay(a, 500, 20_000);
    assert.ok(d >= 500 && d <= 20_000);
  }
});
