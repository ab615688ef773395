/**
 * Walks every record of every corpus file (parsed here with JSON.parse and line splitting, independently of the
 * record core) and checks that each key is documented, or sits inside a free-form object.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { corpusDir, corpusFiles } from '../../support/paths';
import { describeValue, isFreeFormPath, lookupField, type DocKind } from '../../../src/core/fields';

type Json = unknown;

/** Whole-file JSON, or JSON Lines when the whole text does not parse. */
function documentsOf(file: string): Json[] {
  const text = fs.readFileSync(file, 'utf8');
  try {
    return [JSON.parse(text)];
  } catch {
    return text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Json);
  }
}

interface Unit {
  kind: DocKind;
  value: Json;
}

/** The records (or digest / lookup wrapper objects) of one parsed document. */
function unitsOf(doc: Json): Unit[] {
  // An EventBridge event's CloudTrail record is its `detail` (the envelope keys are EventBridge's, not CloudTrail's).
  const unwrap = (v: Json): Json => (v && typeof v === 'object' && 'detail-type' in v && 'detail' in v ? (v as Record<string, Json>).detail : v);
  if (Array.isArray(doc)) return doc.map((value) => ({ kind: 'event' as const, value: unwrap(value) }));
  doc = unwrap(doc);
  if (!doc || typeof doc !== 'object') return [];
  const o = doc as Record<string, Json>;
  if (Array.isArray(o.Records)) return o.Records.map((value) => ({ kind: 'event' as const, value }));
  if (Array.isArray(o.Events)) {
    return o.Events.flatMap((e): Unit[] => {
      const ev = e as Record<string, Json>;
      if (typeof ev.CloudTrailEvent !== 'string') return [{ kind: 'event', value: e }];
      return [{ kind: 'lookup', value: { ...ev, CloudTrailEvent: '' } }, { kind: 'event', value: JSON.parse(ev.CloudTrailEvent) }];
    });
  }
  if ('digestS3Object' in o || 'logFiles' in o) return [{ kind: 'digest', value: o }];
  return [{ kind: 'event', value: o }];
}

function walk(value: Json, prefix: (string | number)[], visit: (p: (string | number)[], v: Json) => void): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => walk(v, [...prefix, i], visit));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const p = [...prefix, k];
      visit(p, v);
      walk(v, p, visit);
    }
  }
}

function loadAll(): { file: string; unit: Unit }[] {
  const out: { file: string; unit: Unit }[] = [];
  for (const file of corpusFiles()) {
    for (const doc of documentsOf(file)) for (const unit of unitsOf(doc)) out.push({ file, unit });
  }
  return out;
}

describe('corpus coverage of the field documentation', () => {
  const all = loadAll();

  it('reads a substantial corpus', () => {
    assert.ok(corpusFiles().length > 200, `corpus at ${corpusDir}`);
    assert.ok(all.length > 900, `only ${all.length} records`);
  });

  it('documents every key outside free-form objects', () => {
    const undocumented = new Map<string, string>();
    let checked = 0;
    for (const { file, unit } of all) {
      walk(unit.value, [], (p) => {
        if (isFreeFormPath(p, unit.kind)) return;
        checked++;
        if (!lookupField(p, unit.kind)) {
          const display = p.map((s) => (typeof s === 'number' ? '[]' : s)).join('.');
          if (!undocumented.has(`${unit.kind}:${display}`)) undocumented.set(`${unit.kind}:${display}`, path.relative(corpusDir, file));
        }
      });
    }
    if (undocumented.size) console.log('undocumented keys:', [...undocumented].map(([k, f]) => `${k} (${f})`).join('\n'));
    assert.ok(checked > 10000, `checked ${checked} keys`);
    assert.deepEqual([...undocumented.keys()], []);
  });

  it('explains every userIdentity.type, eventType and eventCategory value in the corpus', () => {
    const missing = new Set<string>();
    for (const { unit } of all) {
      if (unit.kind !== 'event' || !unit.value || typeof unit.value !== 'object') continue;
      const ev = unit.value as Record<string, Record<string, Json> | Json>;
      const ui = ev.userIdentity as Record<string, Json> | undefined;
      const pairs: [string[], Json][] = [
        [['userIdentity', 'type'], ui?.type],
        [['eventType'], ev.eventType],
        [['eventCategory'], ev.eventCategory],
      ];
      for (const [p, v] of pairs) {
        if (typeof v === 'string' && !describeValue(p, v)) missing.add(`${p.join('.')}=${v}`);
      }
    }
    assert.deepEqual([...missing], []);
  });
});
