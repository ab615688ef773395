/**
 * Virtual scrolling arithmetic. The table shows whole rows in a layer that stays in view (position: sticky) while
 * a spacer below it provides the scroll range. Browsers cap element heights (Chromium at about 16.7 million
 * pixels), so for huge row counts the range is capped and scroll offsets are scaled to row positions.
 * Pure logic, unit-tested in test/unit/viewer.
 */

/** The largest scroll range used; beyond it offsets are scaled. */
export const MAX_SCROLL_PX = 8_000_000;

export interface ScrollGeometry {
  total: number;
  rowHeight: number;
  /** Height available for rows (the viewport minus the header). */
  viewportHeight: number;
}

/** Rows that fit in the viewport, at least 1. */
export function visibleCount(g: ScrollGeometry): number {
  return Math.max(1, Math.floor(g.viewportHeight / g.rowHeight));
}

/** Largest first-visible row, so the last row can be shown at the bottom. */
export function maxFirstRow(g: ScrollGeometry): number {
  return Math.max(0, g.total - visibleCount(g));
}

/** Whether offsets are scaled (the exact range would exceed MAX_SCROLL_PX). */
export function isScaled(g: ScrollGeometry): boolean {
  return maxFirstRow(g) * g.rowHeight > MAX_SCROLL_PX;
}

/** Scroll range in pixels (the spacer height): scrollTop goes from 0 to this. */
export function scrollRange(g: ScrollGeometry): number {
  return isScaled(g) ? MAX_SCROLL_PX : maxFirstRow(g) * g.rowHeight;
}

/** First visible row for a scroll offset (exact below the cap, proportional above it). */
export function firstRowAt(scrollTop: number, g: ScrollGeometry): number {
  const maxFirst = maxFirstRow(g);
  if (maxFirst === 0) return 0;
  const top = Math.max(0, scrollTop);
  if (!isScaled(g)) return Math.min(maxFirst, Math.floor(top / g.rowHeight + 0.001));
  return Math.min(maxFirst, Math.round((top / MAX_SCROLL_PX) * maxFirst));
}

/** Scroll offset that shows `row` as the first visible row (inverse of {@link firstRowAt}). */
export function scrollTopFor(row: number, g: ScrollGeometry): number {
  const maxFirst = maxFirstRow(g);
  const r = Math.min(Math.max(0, row), maxFirst);
  if (!isScaled(g)) return r * g.rowHeight;
  return maxFirst === 0 ? 0 : (r / maxFirst) * MAX_SCROLL_PX;
}

/** The first visible row after moving the selection to `pos`, scrolling as little as possible. */
export function revealRow(pos: number, first: number, g: ScrollGeometry): number {
  const count = visibleCount(g);
  if (pos < first) return Math.max(0, pos);
  if (pos >= first + count) return Math.min(maxFirstRow(g), pos - count + 1);
  return Math.min(first, maxFirstRow(g));
}
