import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseUtc, rawCells, timeOf } from '../../../src/core/table';
import { corpusRecords } from './corpus';

// parseUtc reads the common `YYYY-MM-DDTHH:MM:SSZ` form itself; Date.parse is the oracle it must agree with.
test('parseUtc agrees with Date.parse on zoned ISO times, including month ends, leap days and odd fields', () => {
  const samples: string[] = [];
  for (const y of [1970, 1999, 2000, 2023, 2024, 2100]) {
    for (let mo = 1; mo <= 12; mo++) {
      for (const d of [1, 15, 28, 29, 30, 31]) {
        const p = (n: number) => String(n).padStart(2, '0');
        samples.push(`${y}-${p(mo)}-${p(d)}T${p((mo * 7) % 24)}:${p((d * 13) % 60)}:${p((y + d) % 60)}Z`);
      }
    }
  }
  samples.push(
    '2024-02-30T00:00:00Z', '2023-02-29T12:00:00Z', '2024-13-01T00:00:00Z', '2024-00-10T00:00:00Z', '2024-01-00T00:00:00Z',
    '2024-01-01T24:00:00Z', '2024-01-01T23:60:00Z', '2024-01-01T23:59:60Z', '1969-12-31T23:59:59Z', '0000-01-01T00:00:00Z',
    '2024-1a-01T00:00:00Z', '2024/01/01T00:00:00Z', '2024-01-01 00:00:00Z', '+02024-01-01T00:00Z', '2024-01-01T00:00:00.5Z',
  );
  for (const s of samples) assert.equal(parseUtc(s), Date.parse(s), s);
});

test('time column and timeOf agree with Date.parse for every corpus record', () => {
  let checked = 0;
  for (const r of corpusRecords()) {
    const t = r.event.eventTime;
    if (typeof t !== 'string' || !t.endsWith('Z')) continue;
    assert.equal(Object.is(timeOf(r.event), Date.parse(t)), true, t);
    assert.equal(rawCells(r.event)[0], t);
    checked++;
  }
  assert.ok(checked > 100, `only ${checked} corpus records have a zoned eventTime`);
});
