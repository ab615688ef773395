/**
 * Selector core benchmark on a document with exactly 500 values (the per-trail maximum): 20 selectors of
 * several categories, long eventName / resources.ARN lists. Medians over many runs, in this process:
 *
 *   baseline     jsonc-parser parseTree of the same text (what any JSON tooling pays at least)
 *   validate     analyze(): every rule, ranges, fixes                       goal: median ≤ 10 ms
 *   complete     complete() at three positions (Field value, operator key, resources.type value)
 *                                                                           goal: median ≤ 20 ms
 *   hover        hover() on a resources.type value
 *
 * Prints medians and ratios against the baseline measured in the same run. No assertions on time.
 * Run: `npm run bench`, or `npx tsc -p . && node build/test/bench/selectors.bench.js`. Env: SELECTORS_BENCH_RUNS (200).
 */
import { performance } from 'node:perf_hooks';
import { parseTree } from 'jsonc-parser';
import { analyze, complete, hover } from '../../src/core/selectors';

const RUNS = Number(process.env.SELECTORS_BENCH_RUNS ?? 200);

function document500(): string {
  const selectors: object[] = [];
  let values = 0;
  const add = (s: { Name: string; FieldSelectors: { Field: string; [op: string]: unknown }[] }) => {
    for (const fs of s.FieldSelectors) for (const [k, v] of Object.entries(fs)) if (k !== 'Field') values += (v as unknown[]).length;
    selectors.push(s);
  };
  add({ Name: 'Management without KMS/RDS Data', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }, { Field: 'eventSource', NotEquals: ['kms.amazonaws.com', 'rdsdata.amazonaws.com'] }] });
  add({ Name: 'Denied KMS at VPC endpoints', FieldSelectors: [{ Field: 'eventCategory', Equals: ['NetworkActivity'] }, { Field: 'eventSource', Equals: ['kms.amazonaws.com'] }, { Field: 'errorCode', Equals: ['VpceAccessDenied'] }] });
  const types = ['AWS::S3::Object', 'AWS::Lambda::Function', 'AWS::DynamoDB::Table', 'AWS::SNS::Topic', 'AWS::SQS::Queue'];
  let i = 0;
  while (selectors.length < 20) {
    const type = types[i % types.length];
    const arns = Array.from({ length: 20 }, (_, k) => type === 'AWS::S3::Object' ? `arn:aws:s3:::bucket-${i}-${k}/` : `arn:aws:${type.split('::')[1].toLowerCase()}:us-east-1:111122223333:res-${i}-${k}`);
    add({
      Name: `Data ${i}`,
      FieldSelectors: [
        { Field: 'eventCategory', Equals: ['Data'] },
        { Field: 'resources.type', Equals: [type] },
        { Field: 'readOnly', Equals: ['false'] },
        { Field: type === 'AWS::S3::Object' ? 'resources.ARN' : 'eventName', [type === 'AWS::S3::Object' ? 'StartsWith' : 'NotEquals']: type === 'AWS::S3::Object' ? arns : arns.map((_, k) => `Api${i}x${k}`) },
      ],
    });
    i++;
  }
  // Top up to exactly 500 values with eventName conditions on the last selector.
  const last = selectors[selectors.length - 1] as { FieldSelectors: { Field: string; [op: string]: unknown }[] };
  const extra = 500 - values;
  if (extra > 0) last.FieldSelectors.push({ Field: 'userIdentity.arn', NotStartsWith: Array.from({ length: extra }, (_, k) => `arn:aws:iam::111122223333:role/r${k}`) });
  return JSON.stringify({ TrailName: 'bench-trail', S3BucketName: 'bench-logs', AdvancedEventSelectors: selectors }, null, 2);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function time(fn: () => unknown): number {
  // Warm up the JIT, then measure each run separately.
  for (let i = 0; i < 20; i++) fn();
  const out: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    fn();
    out.push(performance.now() - t0);
  }
  return median(out);
}

const text = document500();
const a = analyze(text);
if (a.valueCount !== 500) throw new Error(`benchmark document has ${a.valueCount} values, expected 500`);
const fieldPos = text.indexOf('"readOnly"') + 3;
const opPos = text.indexOf('"NotStartsWith"') + 3;
const typePos = text.indexOf('"AWS::Lambda::Function"') + 3;

const baseline = time(() => parseTree(text));
const validateMs = time(() => analyze(text));
const completeField = time(() => complete(text, fieldPos));
const completeOp = time(() => complete(text, opPos));
const completeType = time(() => complete(text, typePos));
const hoverMs = time(() => hover(text, typePos));
const completeMs = Math.max(completeField, completeOp, completeType);

const row = (name: string, ms: number, goal?: number) =>
  console.log(`${name.padEnd(34)} ${ms.toFixed(3).padStart(8)} ms   ${(ms / baseline).toFixed(1).padStart(6)} x baseline${goal ? `   goal ≤ ${goal} ms: ${ms <= goal ? 'met' : 'NOT met'}` : ''}`);
console.log(`document: ${text.length} chars, ${a.valueCount} values, ${a.diagnostics.length} diagnostics; ${RUNS} runs each, medians`);
row('baseline: jsonc-parser parseTree', baseline);
row('validate (analyze)', validateMs, 10);
row('complete: Field value', completeField);
row('complete: operator key', completeOp);
row('complete: resources.type value', completeType);
row('complete: slowest of the three', completeMs, 20);
row('hover: resources.type', hoverMs);
