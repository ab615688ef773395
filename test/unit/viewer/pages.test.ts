import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Lru, PageCache, debounce } from '../../../media/viewer/pages';

describe('viewer pages: LRU', () => {
  it('evicts the least recently used entry', () => {
    const lru = new Lru<number, string>(2);
    lru.set(1, 'a');
    lru.set(2, 'b');
    assert.equal(lru.get(1), 'a'); // 1 is now most recent
    lru.set(3, 'c');
    assert.equal(lru.has(2), false);
    assert.deepEqual(lru.keys(), [1, 3]);
  });
  it('rejects a zero capacity', () => assert.throws(() => new Lru(0)));
});

describe('viewer pages: page cache', () => {
  it('lists missing pages for a window, skipping cached and pending ones', () => {
    const c = new PageCache<number>(10, 4);
    c.reset(1);
    assert.deepEqual(c.missing(5, 34, 100), [0, 1, 2, 3]);
    c.markPending(1, 7);
    assert.ok(c.accept(1, 0, Array.from({ length: 10 }, (_, i) => i)));
    assert.deepEqual(c.missing(5, 34, 100), [2, 3]);
    assert.equal(c.row(7), 7);
    assert.equal(c.row(15), undefined);
  });
  it('clamps the window to the row count', () => {
    const c = new PageCache<number>(10, 4);
    c.reset(0);
    assert.deepEqual(c.missing(0, 1000, 25), [0, 1, 2]);
    assert.deepEqual(c.missing(0, 10, 0), []);
  });
  it('drops answers from another generation and superseded requests', () => {
    const c = new PageCache<number>(10, 4);
    c.reset(1);
    c.markPending(0, 1);
    c.reset(2); // the filter changed
    assert.equal(c.accept(1, 0, [1]), false);
    c.markPending(0, 5);
    assert.equal(c.accept(2, 0, [9], 4), false, 'an older request for the same page is ignored');
    assert.equal(c.accept(2, 0, [9], 5), true);
    assert.equal(c.row(0), 9);
  });
  it('keeps at most `capacity` pages', () => {
    const c = new PageCache<number>(10, 3);
    c.reset(0);
    for (let p = 0; p < 10; p++) c.accept(0, p * 10, [p]);
    assert.equal(c.cachedPages, 3);
    assert.equal(c.row(90), 9);
    assert.equal(c.row(0), undefined);
  });
});

describe('viewer pages: debounce', () => {
  it('runs once with the last arguments after a burst', async () => {
    const seen: string[] = [];
    const d = debounce((s: string) => seen.push(s), 20);
    d('a');
    d('ab');
    d('abc');
    await new Promise((r) => setTimeout(r, 60));
    assert.deepEqual(seen, ['abc']);
  });
  it('flush runs a pending call at once, and only once', async () => {
    const seen: number[] = [];
    const d = debounce((n: number) => seen.push(n), 1000);
    d(1);
    d.flush();
    d.flush();
    assert.deepEqual(seen, [1]);
  });
});
