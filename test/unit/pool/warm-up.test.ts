/**
 * The warm-up sample (src/core/pool/warm-up.ts) must take the path a delivered log file takes, or warming a worker
 * with it would compile the wrong code: it has to parse as a CloudTrail log with no problems, into a piece whose
 * rows carry every identity type and the error and resource fields the row builder reads.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { WARM_UP_NAME, WARM_UP_RECORDS, warmUpSample } from '../../../src/core/pool';
import { parseFileTask, parseWarmUp } from '../../../src/core/local/parse-task';

describe('worker warm-up sample', () => {
  test('parses as a delivered gzipped log, into a full piece, with no problems', async () => {
    const sample = warmUpSample();
    assert.equal(sample[0], 0x1f, 'gzip');
    const reply = await parseFileTask({ id: 1, name: WARM_UP_NAME, bytes: sample, asPieces: true });
    assert.ok(reply.ok, reply.ok ? '' : reply.message);
    assert.equal(reply.kind, 'log');
    assert.equal(reply.gzipped, true);
    assert.deepEqual(reply.problems, []);
    assert.equal(reply.count, WARM_UP_RECORDS);
    assert.equal(reply.rows?.count, WARM_UP_RECORDS);
    assert.ok(reply.recordsBytes && reply.recordsBytes.length > 0, 'the piece carries the file text');
    assert.equal(await parseWarmUp(3), 3 * WARM_UP_RECORDS);
  });

  test('covers the shapes the hot loops branch on', () => {
    const records = (JSON.parse(gunzipSync(warmUpSample()).toString()) as { Records: Record<string, unknown>[] }).Records;
    const types = new Set(records.map((r) => (r.userIdentity as { type: string }).type));
    assert.deepEqual([...types].sort(), ['AWSService', 'AssumedRole', 'IAMUser', 'Root']);
    assert.ok(records.some((r) => typeof r.errorCode === 'string'));
    assert.ok(records.some((r) => Array.isArray(r.resources)));
    assert.ok(records.some((r) => r.requestParameters === null) && records.some((r) => typeof r.requestParameters === 'object' && r.requestParameters !== null));
    assert.equal(new Set(records.map((r) => r.eventID)).size, records.length, 'event IDs are distinct');
    assert.ok(records.every((r) => !Number.isNaN(Date.parse(String(r.eventTime)))), 'every eventTime is a valid time');
  });
});
