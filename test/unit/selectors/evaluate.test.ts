/**
 * The dry-run evaluator: hand-written cases per operator and per semantic choice, and a seeded property
 * test against a separate, deliberately plain reference implementation over the corpus records.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { corpusFiles } from '../../support/paths';
import { prng as rng } from '../../support/prng';
import { parseBytes, LosslessNumber } from '../../../src/core/records';
import { dryRun, evaluate, eventCategoryOf, matchSelector, toAdvanced, type AdvancedSelectorLike, type FieldSelectorLike } from '../../../src/core/selectors';

const s3Put = {
  eventCategory: 'Data', managementEvent: false, readOnly: false, eventName: 'PutObject', eventSource: 's3.amazonaws.com', eventType: 'AwsApiCall',
  userIdentity: { arn: 'arn:aws:iam::111122223333:user/alice' },
  resources: [{ type: 'AWS::S3::Object', ARN: 'arn:aws:s3:::my-bucket/data/x.csv' }, { type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::my-bucket' }],
};
const mgmt = { eventVersion: '1.05', eventName: 'CreateUser', eventSource: 'iam.amazonaws.com', readOnly: false, eventType: 'AwsApiCall' };
const kms = { ...mgmt, eventName: 'Decrypt', eventSource: 'kms.amazonaws.com', readOnly: true, managementEvent: true, eventCategory: 'Management' };
const vpce = { eventCategory: 'NetworkActivity', eventType: 'AwsVpceEvent', eventSource: 'kms.amazonaws.com', eventName: 'Decrypt', errorCode: 'VpceAccessDenied', vpcEndpointId: 'vpce-1' };

const C = (c: string): FieldSelectorLike => ({ Field: 'eventCategory', Equals: [c] });
const S = (...fieldSelectors: FieldSelectorLike[]): AdvancedSelectorLike => ({ FieldSelectors: fieldSelectors });

describe('evaluate: operators and combination', () => {
  it('AND inside a selector, OR across selectors', () => {
    const sels = [
      S(C('Data'), { Field: 'resources.type', Equals: ['AWS::S3::Object'] }, { Field: 'readOnly', Equals: ['true'] }),
      S(C('Data'), { Field: 'resources.type', Equals: ['AWS::S3::Object'] }, { Field: 'readOnly', Equals: ['false'] }),
      S(C('Management')),
    ];
    assert.deepEqual(evaluate(sels, s3Put), [1]);
    assert.deepEqual(evaluate(sels, mgmt), [2]);
    assert.deepEqual(evaluate(sels, vpce), []);
  });
  it('each operator', () => {
    const arn = (fs: Omit<FieldSelectorLike, 'Field'>) => matchSelector(S(C('Data'), { Field: 'resources.type', Equals: ['AWS::S3::Object'] }, { Field: 'resources.ARN', ...fs }), s3Put);
    assert.equal(arn({ Equals: ['arn:aws:s3:::my-bucket/data/x.csv'] }), true);
    assert.equal(arn({ Equals: ['arn:aws:s3:::my-bucket/'] }), false);
    assert.equal(arn({ StartsWith: ['arn:aws:s3:::other/', 'arn:aws:s3:::my-bucket/'] }), true);
    assert.equal(arn({ StartsWith: ['arn:aws:s3:::my-bucket/logs/'] }), false);
    assert.equal(arn({ EndsWith: ['.csv'] }), true);
    assert.equal(arn({ EndsWith: ['.json'] }), false);
    assert.equal(arn({ NotEquals: ['arn:aws:s3:::my-bucket/data/x.csv'] }), false);
    assert.equal(arn({ NotEquals: ['arn:aws:s3:::my-bucket/other'] }), true);
    assert.equal(arn({ NotStartsWith: ['arn:aws:s3:::my-bucket/'] }), false);
    assert.equal(arn({ NotStartsWith: ['arn:aws:s3:::my-bucket/tmp/'] }), true);
    assert.equal(arn({ NotEndsWith: ['.csv'] }), false);
    assert.equal(arn({ NotEndsWith: ['.tmp', '.log'] }), true);
    // Several operators in one field selector: all must hold.
    assert.equal(arn({ StartsWith: ['arn:aws:s3:::my-bucket/'], NotEndsWith: ['.csv'] }), false);
    assert.equal(arn({ StartsWith: ['arn:aws:s3:::my-bucket/'], EndsWith: ['.csv'] }), true);
  });
  it('comparison is case-sensitive', () => {
    assert.equal(matchSelector(S(C('Management'), { Field: 'eventName', Equals: ['createuser'] }), mgmt), false);
  });
  it('readOnly compares "true"/"false" with booleans (and string booleans)', () => {
    assert.equal(matchSelector(S(C('Management'), { Field: 'readOnly', Equals: ['false'] }), mgmt), true);
    assert.equal(matchSelector(S(C('Management'), { Field: 'readOnly', Equals: ['true'] }), mgmt), false);
    assert.equal(matchSelector(S(C('Management'), { Field: 'readOnly', Equals: ['true'] }), { ...mgmt, readOnly: 'true' }), true);
  });
  it('absent fields: positive operators fail, negative ones hold', () => {
    assert.equal(matchSelector(S(C('Management'), { Field: 'errorCode', Equals: ['AccessDenied'] }), mgmt), false);
    assert.equal(matchSelector(S(C('Management'), { Field: 'errorCode', NotEquals: ['AccessDenied'] }), mgmt), true);
    assert.equal(matchSelector(S(C('Management'), { Field: 'userIdentity.arn', NotStartsWith: ['arn:aws:iam::1:'] }), mgmt), true);
  });
  it('eventCategory is derived when the record lacks it', () => {
    assert.equal(eventCategoryOf(mgmt), 'Management');
    assert.equal(eventCategoryOf({ managementEvent: false }), 'Data');
    assert.equal(eventCategoryOf({ eventType: 'AwsVpceEvent' }), 'NetworkActivity');
    assert.equal(eventCategoryOf({ eventType: 'AwsCloudTrailInsight' }), 'Insight');
    assert.equal(eventCategoryOf({ eventCategory: 'Data', managementEvent: true }), 'Data');
  });
  it('resources: any resource matches; ARN conditions look at resources of the selected type', () => {
    assert.equal(matchSelector(S(C('Data'), { Field: 'resources.type', Equals: ['AWS::S3::Bucket'] }), s3Put), true);
    // The bucket ARN does not rescue an excluded object.
    assert.equal(matchSelector(S(C('Data'), { Field: 'resources.type', Equals: ['AWS::S3::Object'] }, { Field: 'resources.ARN', NotStartsWith: ['arn:aws:s3:::my-bucket/'] }), s3Put), false);
    // Without a resources.type, any resource's ARN counts.
    assert.equal(matchSelector(S(C('Data'), { Field: 'resources.ARN', Equals: ['arn:aws:s3:::my-bucket'] }), s3Put), true);
  });
  it('network activity and the management KMS exclusion', () => {
    const sels = [S(C('NetworkActivity'), { Field: 'eventSource', Equals: ['kms.amazonaws.com'] }, { Field: 'errorCode', Equals: ['VpceAccessDenied'] })];
    assert.deepEqual(evaluate(sels, vpce), [0]);
    const noKms = [S(C('Management'), { Field: 'eventSource', NotEquals: ['kms.amazonaws.com', 'rdsdata.amazonaws.com'] })];
    assert.deepEqual(evaluate(noKms, kms), []);
    assert.deepEqual(evaluate(noKms, mgmt), [0]);
  });
  it('empty or broken selectors log nothing and never throw', () => {
    assert.deepEqual(evaluate([S(), { FieldSelectors: null } as unknown as AdvancedSelectorLike, { FieldSelectors: [{ Field: 3 }] } as unknown as AdvancedSelectorLike], mgmt), []);
  });
  it('converted basic selectors log what the basic ones meant', () => {
    const adv = toAdvanced([{ ReadWriteType: 'WriteOnly', IncludeManagementEvents: true, ExcludeManagementEventSources: ['kms.amazonaws.com'], DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::my-bucket/'] }] }]);
    assert.deepEqual(evaluate(adv, s3Put).length > 0, true);
    assert.deepEqual(evaluate(adv, { ...s3Put, readOnly: true }), []);
    assert.deepEqual(evaluate(adv, mgmt).length, 1);
    assert.deepEqual(evaluate(adv, { ...kms, readOnly: false }), []);
  });
  it('dryRun counts per selector and lists what is not logged', () => {
    const r = dryRun([S(C('Management')), S(C('Management'), { Field: 'readOnly', Equals: ['true'] })], [mgmt, kms, s3Put]);
    assert.deepEqual(r.perSelector.map((p) => p.count), [2, 1]);
    assert.deepEqual(r.notLogged, [2]);
    assert.equal(r.logged, 2);
  });
});

// ---------------- property test ----------------

/** A plain, independent reading of the documented semantics, used only as the oracle. */
function reference(selectors: AdvancedSelectorLike[], ev: Record<string, unknown>): number[] {
  const category = (): string => {
    if (typeof ev.eventCategory === 'string' && ev.eventCategory !== '') return ev.eventCategory;
    switch (ev.eventType) {
      case 'AwsVpceEvent': return 'NetworkActivity';
      case 'AwsCloudTrailInsight': return 'Insight';
    }
    return ev.managementEvent === false || ev.managementEvent === 'false' ? 'Data' : 'Management';
  };
  const text = (v: unknown): string | null => {
    if (typeof v === 'string') return v;
    if (v === true) return 'true';
    if (v === false) return 'false';
    if (typeof v === 'number') return `${v}`;
    if (LosslessNumber.is(v)) return v.text;
    return null;
  };
  const walk = (path: string[]): string[] => {
    let layer: unknown[] = [ev];
    for (const key of path) {
      const next: unknown[] = [];
      for (const item of layer) {
        if (item === null || typeof item !== 'object' || Array.isArray(item)) continue;
        if (!Object.prototype.hasOwnProperty.call(item, key)) continue;
        const v = (item as Record<string, unknown>)[key];
        if (v === undefined || v === null) continue;
        if (Array.isArray(v)) for (const x of v) next.push(x);
        else next.push(v);
      }
      layer = next;
    }
    return layer.map(text).filter((x): x is string => x !== null);
  };
  const result: number[] = [];
  for (let i = 0; i < selectors.length; i++) {
    const list = selectors[i].FieldSelectors;
    if (list.length === 0) continue;
    const typeSel = list.find((f) => f.Field === 'resources.type' && f.Equals);
    let all = true;
    for (const f of list) {
      let values: string[];
      if (f.Field === 'eventCategory') values = [category()];
      else if (f.Field === 'resources.ARN' && typeSel) {
        values = [];
        for (const r of Array.isArray(ev.resources) ? ev.resources : []) {
          if (r && typeof r === 'object' && typeSel.Equals!.includes((r as { type: string }).type) && typeof (r as { ARN: unknown }).ARN === 'string') values.push((r as { ARN: string }).ARN);
        }
      } else values = walk(f.Field.split('.'));
      const hasPositive = f.Equals !== undefined || f.StartsWith !== undefined || f.EndsWith !== undefined;
      let ok: boolean;
      if (values.length === 0) ok = !hasPositive;
      else {
        ok = false;
        for (const v of values) {
          let each = true;
          if (f.Equals && f.Equals.indexOf(v) < 0) each = false;
          if (f.StartsWith && !f.StartsWith.some((p) => v.slice(0, p.length) === p)) each = false;
          if (f.EndsWith && !f.EndsWith.some((p) => p.length <= v.length && v.slice(v.length - p.length) === p)) each = false;
          if (f.NotEquals && f.NotEquals.indexOf(v) >= 0) each = false;
          if (f.NotStartsWith && f.NotStartsWith.some((p) => v.slice(0, p.length) === p)) each = false;
          if (f.NotEndsWith && f.NotEndsWith.some((p) => p.length <= v.length && v.slice(v.length - p.length) === p)) each = false;
          if (each) { ok = true; break; }
        }
      }
      if (!ok) { all = false; break; }
    }
    if (all) result.push(i);
  }
  return result;
}

function loadCorpus(): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const f of corpusFiles()) {
    const r = parseBytes(fs.readFileSync(f), f);
    for (const rec of r.records) out.push(rec.event as Record<string, unknown>);
  }
  return out;
}

describe('evaluate agrees with the reference implementation (property test)', () => {
  it('on 3000 generated selector sets over the corpus records', () => {
    const events = loadCorpus();
    assert.ok(events.length > 500, `corpus has ${events.length} records`);
    const fields = ['eventCategory', 'eventName', 'eventSource', 'readOnly', 'resources.type', 'resources.ARN', 'eventType', 'userIdentity.arn', 'errorCode', 'vpcEndpointId', 'sessionCredentialFromConsole', 'recipientAccountId', 'userIdentity.type'];
    // Values seen in the corpus per field, so generated conditions hit real records.
    const pool = new Map<string, string[]>();
    for (const f of fields) pool.set(f, []);
    for (const e of events.slice(0, 2000)) {
      const push = (f: string, v: unknown) => { if (typeof v === 'string' || typeof v === 'boolean') pool.get(f)!.push(String(v)); };
      push('eventCategory', e.eventCategory ?? 'Management');
      push('eventName', e.eventName); push('eventSource', e.eventSource); push('readOnly', e.readOnly); push('eventType', e.eventType);
      push('errorCode', e.errorCode); push('vpcEndpointId', e.vpcEndpointId); push('recipientAccountId', e.recipientAccountId);
      push('sessionCredentialFromConsole', e.sessionCredentialFromConsole);
      const ui = e.userIdentity as Record<string, unknown> | undefined;
      if (ui) { push('userIdentity.arn', ui.arn); push('userIdentity.type', ui.type); }
      for (const r of Array.isArray(e.resources) ? (e.resources as Record<string, unknown>[]) : []) {
        if (r && typeof r === 'object') { push('resources.type', r.type); push('resources.ARN', r.ARN); }
      }
    }
    for (const f of fields) if (!pool.get(f)!.length) pool.get(f)!.push('none');
    const ops = ['Equals', 'StartsWith', 'EndsWith', 'NotEquals', 'NotStartsWith', 'NotEndsWith'] as const;
    const random = rng(20240601);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
    const value = (field: string, op: string): string => {
      const v = pick(pool.get(field)!);
      if (op.includes('Starts')) return v.slice(0, 1 + Math.floor(random() * v.length));
      if (op.includes('Ends')) return v.slice(Math.floor(random() * v.length));
      return random() < 0.85 ? v : v + 'x';
    };
    let checked = 0;
    let logged = 0;
    for (let round = 0; round < 3000; round++) {
      const selectors: AdvancedSelectorLike[] = [];
      const nSel = 1 + Math.floor(random() * 3);
      for (let s = 0; s < nSel; s++) {
        const list: FieldSelectorLike[] = [];
        const nFs = 1 + Math.floor(random() * 3);
        for (let k = 0; k < nFs; k++) {
          const field = pick(fields);
          const fsel: Record<string, unknown> = { Field: field };
          const nOps = random() < 0.8 ? 1 : 2;
          for (let o = 0; o < nOps; o++) {
            const op = pick(ops);
            fsel[op] = Array.from({ length: 1 + Math.floor(random() * 3) }, () => value(field, op));
          }
          list.push(fsel as unknown as FieldSelectorLike);
        }
        selectors.push({ FieldSelectors: list });
      }
      for (let j = 0; j < 8; j++) {
        const ev = pick(events);
        const got = evaluate(selectors, ev);
        const want = reference(selectors, ev);
        assert.deepEqual(got, want, `round ${round}: ${JSON.stringify(selectors)} on ${JSON.stringify(ev).slice(0, 300)}`);
        checked++;
        if (want.length) logged++;
      }
    }
    // The generator must exercise both outcomes, or the test proves little.
    assert.ok(logged > checked * 0.05 && logged < checked * 0.95, `logged ${logged} of ${checked}`);
  });
});
