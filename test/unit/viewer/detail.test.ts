/**
 * Host-side pure logic of the viewer: the detail tree (bounded, docs attached), path look-ups for copy, and the
 * row sources over real parsed files (record core + table core, no mocks).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseBytes, parseText } from '../../../src/core/records';
import { RecordTable } from '../../../src/core/table';
import { hoverPlain } from '../../../src/core/fields';
import { copyText, docText, rawText, toJsonNode, valueAt } from '../../../src/viewer/detail';
import { DigestSource, RecordSource, parseTimeBound, toTableFilter } from '../../../src/viewer/source';
import { DETAIL_MAX_DEPTH, DETAIL_STRING_MAX_CHARS, type JsonNode } from '../../../src/protocol/protocol';
import { DEEP_NESTING, HOSTILE_STRINGS, LONG_STRING_LENGTH, hostileLogText } from '../../support/hostile';
import { corpusDir } from '../../support/paths';

function hostileTable(): RecordTable {
  const r = parseText(hostileLogText());
  assert.equal(r.records.length, 5, JSON.stringify(r.problems));
  const t = new RecordTable();
  t.add(r.records);
  return t;
}

function depthOf(n: JsonNode): number {
  if (n.t === 'o') return 1 + Math.max(0, ...n.entries.map(([, v]) => depthOf(v)));
  if (n.t === 'a') return 1 + Math.max(0, ...n.items.map(depthOf));
  return 0;
}

function find(n: JsonNode, key: string): JsonNode | undefined {
  return n.t === 'o' ? n.entries.find(([k]) => k === key)?.[1] : undefined;
}

describe('viewer detail tree', () => {
  const table = hostileTable();

  it('keeps __proto__ and constructor as plain entries without polluting prototypes', () => {
    const ev = table.event(0);
    const node = toJsonNode(ev, { kind: 'event' });
    assert.equal(node.t, 'o');
    const keys = node.t === 'o' ? node.entries.map(([k]) => k) : [];
    assert.ok(keys.includes('__proto__'));
    assert.ok(keys.includes('constructor'));
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted'), false);
    assert.equal(copyText(valueAt(ev, ['__proto__', 'polluted'])!), 'yes');
  });

  it('caps deep nesting with a marker instead of recursing 400 levels', () => {
    const node = toJsonNode(table.event(3), { kind: 'event' });
    assert.ok(depthOf(node) <= DETAIL_MAX_DEPTH + 1);
    let cur: JsonNode | undefined = find(node, 'requestParameters');
    let levels = 0;
    while (cur && cur.t === 'o' && cur.entries.length === 1) {
      cur = cur.entries[0][1];
      levels++;
    }
    assert.equal(cur?.t, 'deep');
    assert.ok(levels < DEEP_NESTING);
    // The whole record is still there for copy/open as JSON.
    assert.ok(rawText(table.event(3)).raw.includes('"bottom"'));
  });

  it('cuts the 200 kB string and says how much is left; copy value returns all of it', () => {
    const ev = table.event(2);
    const node = toJsonNode(ev, { kind: 'event' });
    const huge = find(find(node, 'requestParameters')!, 'huge');
    assert.equal(huge?.t, 's');
    if (huge?.t !== 's') return;
    assert.equal(huge.v.length, DETAIL_STRING_MAX_CHARS);
    assert.equal(huge.cut, LONG_STRING_LENGTH - DETAIL_STRING_MAX_CHARS);
    assert.equal(copyText(valueAt(ev, ['requestParameters', 'huge'])!).length, LONG_STRING_LENGTH);
  });

  it('attaches the same documentation text as the editor hover to userIdentity fields', () => {
    const ev = table.event(1);
    const node = toJsonNode(ev, { kind: 'event' });
    const ui = find(node, 'userIdentity')!;
    for (const key of ['type', 'principalId', 'arn', 'accountId', 'userName']) {
      const child = find(ui, key);
      const h = hoverPlain(['userIdentity', key], valueAt(ev, ['userIdentity', key]));
      assert.ok(h, `core documents userIdentity.${key}`);
      assert.ok(child?.doc?.startsWith(h.title), `userIdentity.${key} has its doc`);
      assert.ok(child?.doc?.includes(h.body));
    }
    assert.equal(docText(['no', 'such', 'field'], 1, 'event'), undefined);
  });

  it('keeps hostile strings as data (rendering is the webview’s job, via textContent)', () => {
    const node = toJsonNode(table.event(0), { kind: 'event' });
    const name = find(node, 'eventName');
    assert.deepEqual(name && name.t === 's' ? name.v : undefined, HOSTILE_STRINGS.img);
  });

  it('keeps big integers exact in the tree and in copies', () => {
    const r = parseText('{"Records":[{"eventVersion":"1.08","eventTime":"2024-01-01T00:00:00Z","eventName":"X","eventSource":"s3.amazonaws.com","n":12345678901234567890123}]}');
    const t = new RecordTable();
    t.add(r.records);
    const node = toJsonNode(t.event(0), { kind: 'event' });
    assert.deepEqual(find(node, 'n'), { t: 'n', v: '12345678901234567890123' });
    assert.match(copyText(t.event(0)), /12345678901234567890123/);
  });
});

describe('viewer row sources', () => {
  it('filters, sorts and pages a corpus log with the table core', async () => {
    const file = path.join(corpusDir, 'stratus-red-team', 'aws.execution.ssm-send-command.json');
    const independent = JSON.parse(fs.readFileSync(file, 'utf8')) as { eventName: string }[];
    const parsed = parseBytes(fs.readFileSync(file));
    assert.equal(parsed.records.length, independent.length);
    const t = new RecordTable();
    t.add(parsed.records);
    const src = new RecordSource(t);
    const all = await src.setView({ text: '', chips: [] }, undefined);
    assert.equal(all.total, parsed.records.length);
    const rows = src.rows(0, 1000);
    assert.equal(rows.length, all.total);
    const nameAt = src.columns.findIndex((c) => c.id === 'eventName');
    const name = rows[0].cells[nameAt];
    const expected = independent.filter((e) => e.eventName === name).length; // computed with JSON.parse, not the core
    const only = await src.setView({ text: '', chips: [{ column: 'eventName', value: name, exclude: false }] }, undefined);
    assert.equal(only.matched, expected);
    assert.ok(src.rows(0, 100).every((r) => r.cells[nameAt] === name));
    const without = await src.setView({ text: '', chips: [{ column: 'eventName', value: name, exclude: true }] }, undefined);
    assert.equal(without.matched, all.total - expected);
  });

  it('rejects an unreadable time with a message and reads bare dates as whole UTC days', () => {
    assert.throws(() => toTableFilter({ text: '', chips: [], from: 'yesterday-ish' }), /not a time/);
    assert.equal(parseTimeBound('2024-05-01', 'from'), Date.UTC(2024, 4, 1));
    assert.equal(parseTimeBound('2024-05-01', 'to'), Date.UTC(2024, 4, 1, 23, 59, 59, 999));
    assert.equal(parseTimeBound('2024-05-01T12:00', 'from'), Date.UTC(2024, 4, 1, 12));
    assert.equal(toTableFilter({ text: 'x', chips: [{ column: 'notAColumn', value: 'v', exclude: false }] }).chips.length, 0);
  });

  it('lists a digest file’s log files', async () => {
    const file = path.join(corpusDir, 'awsdocs-examples', 'cloudtrail-ug__cloudtrail-log-file-validation-digest-file-structure__01.json');
    const raw = JSON.parse(fs.readFileSync(file, 'utf8'));
    const parsed = parseBytes(fs.readFileSync(file));
    assert.equal(parsed.kind, 'digest');
    const src = new DigestSource(parsed.digest!, undefined);
    const c = await src.setView({ text: '', chips: [] }, undefined);
    assert.equal(c.total, raw.logFiles.length);
    const objAt = src.columns.findIndex((x) => x.id === 'object');
    const objects = src.rows(0, 100).map((r) => r.cells[objAt]).sort();
    assert.deepEqual(objects, raw.logFiles.map((f: { s3Bucket: string; s3Object: string }) => `s3://${f.s3Bucket}/${f.s3Object}`).sort());
    const needle = raw.logFiles[0].hashValue.slice(0, 12);
    assert.equal((await src.setView({ text: needle, chips: [] }, undefined)).matched, raw.logFiles.filter((f: { hashValue: string }) => f.hashValue.includes(needle)).length);
    assert.ok(src.header().fields.some(([label, v]) => label === 'Account' && v === raw.awsAccountId));
    const node = toJsonNode(src.item(0), { kind: src.docs(0).kind, docPrefix: src.docs(0).prefix });
    assert.ok(node.t === 'o' && node.entries.some(([k, v]) => k === 'hashValue' && v.doc), 'digest fields are documented');
  });
});
