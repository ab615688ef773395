import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_SCROLL_PX, firstRowAt, isScaled, maxFirstRow, revealRow, scrollRange, scrollTopFor, visibleCount } from '../../../media/viewer/scroll';

const g = (total: number, viewportHeight = 220) => ({ total, rowHeight: 22, viewportHeight });

describe('viewer scroll geometry', () => {
  it('maps offsets to rows exactly for small tables', () => {
    const geo = g(1000);
    assert.equal(visibleCount(geo), 10);
    assert.equal(maxFirstRow(geo), 990);
    assert.equal(isScaled(geo), false);
    assert.equal(scrollRange(geo), 990 * 22);
    assert.equal(firstRowAt(0, geo), 0);
    assert.equal(firstRowAt(22 * 37 + 5, geo), 37);
    assert.equal(firstRowAt(1e9, geo), 990);
    for (const row of [0, 1, 500, 990]) assert.equal(firstRowAt(scrollTopFor(row, geo), geo), row);
  });
  it('scales for huge tables and still reaches the first and last rows', () => {
    const geo = g(50_000_000);
    assert.equal(isScaled(geo), true);
    assert.equal(scrollRange(geo), MAX_SCROLL_PX);
    assert.equal(firstRowAt(0, geo), 0);
    assert.equal(firstRowAt(MAX_SCROLL_PX, geo), maxFirstRow(geo));
    const mid = firstRowAt(MAX_SCROLL_PX / 2, geo);
    assert.ok(Math.abs(mid - maxFirstRow(geo) / 2) <= 1);
    for (const row of [0, 12_345_678, maxFirstRow(geo)]) {
      const back = firstRowAt(scrollTopFor(row, geo), geo);
      assert.ok(Math.abs(back - row) <= Math.ceil(maxFirstRow(geo) / MAX_SCROLL_PX), `${row} → ${back}`);
    }
  });
  it('handles tables smaller than the viewport', () => {
    const geo = g(3);
    assert.equal(maxFirstRow(geo), 0);
    assert.equal(scrollRange(geo), 0);
    assert.equal(firstRowAt(500, geo), 0);
  });
  it('reveals a row with the least scrolling', () => {
    const geo = g(1000);
    assert.equal(revealRow(5, 0, geo), 0); // already visible
    assert.equal(revealRow(10, 0, geo), 1); // just below: scroll by one
    assert.equal(revealRow(3, 50, geo), 3); // above: becomes first
    assert.equal(revealRow(999, 0, geo), 990);
  });
});
