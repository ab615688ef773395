/**
 * Selectors in templates: what the editor pays per file.
 *
 *   detect      detectInfraFormat() on an unrelated 1 MB YAML file (no CloudTrail resource)   goal: median ≤ 5 ms
 *               baseline: counting its lines (one pass over the text)
 *   cfn         validateCloudFormation() on a ~100 KB YAML template (trails + many other resources)
 *                                                                               goal: median ≤ 20 ms
 *               baseline: yaml parseDocument() of the same text (the parse any YAML tooling pays)
 *   terraform   validateTerraform() on a ~100 KB .tf file; baseline: tree-sitter parse alone
 *
 * Prints medians and ratios against baselines measured in the same run. No assertions on time.
 * Run: `node test/bench/run.mjs templates`. Env: TEMPLATES_BENCH_RUNS (60).
 */
import { performance } from 'node:perf_hooks';
import { parseDocument } from 'yaml';
import { detectInfraFormat } from '../../src/core/selectors/infra';
import { validateCloudFormation } from '../../src/core/selectors/cloudformation';
import { loadHclParser, validateTerraform } from '../../src/core/selectors/terraform';

const RUNS = Number(process.env.TEMPLATES_BENCH_RUNS ?? 60);

function median(fn: () => unknown, runs = RUNS): number {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) fn();
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

function unrelatedYaml(bytes: number): string {
  const parts: string[] = ['apiVersion: apps/v1\nkind: List\nitems:\n'];
  let size = parts[0].length;
  for (let i = 0; size < bytes; i++) {
    const p = `  - kind: Deployment\n    metadata:\n      name: service-${i}\n      labels: {app: service-${i}, tier: backend}\n    spec:\n      replicas: ${i % 5}\n      template:\n        spec:\n          containers:\n            - name: app\n              image: registry.example/app:${i}\n              args: ["--port", "${8000 + (i % 100)}"]\n`;
    parts.push(p);
    size += p.length;
  }
  return parts.join('');
}

function selectorsYaml(n: number): string {
  let s = '      AdvancedEventSelectors:\n        - Name: management\n          FieldSelectors:\n            - Field: eventCategory\n              Equals: [Management]\n';
  for (let i = 0; i < n; i++) {
    s += `        - Name: s3 ${i}\n          FieldSelectors:\n            - Field: eventCategory\n              Equals: [Data]\n            - Field: resources.type\n              Equals: [AWS::S3::Object]\n            - Field: resources.ARN\n              StartsWith:\n${Array.from({ length: 20 }, (_, k) => `                - arn:aws:s3:::bucket-${i}-${k}/\n`).join('')}            - Field: readOnly\n              Equals: ["false"]\n`;
  }
  return s;
}

function template(bytes: number): string {
  let t = "AWSTemplateFormatVersion: '2010-09-09'\nParameters:\n  Env:\n    Type: String\n    Default: prod\nResources:\n";
  for (let k = 0; k < 3; k++) t += `  Trail${k}:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n      IsLogging: true\n      S3BucketName: !Ref Logs\n${selectorsYaml(4)}`;
  for (let i = 0; t.length < bytes; i++) {
    t += `  Queue${i}:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !Sub "\${Env}-queue-${i}"\n      VisibilityTimeout: 30\n      Tags:\n        - Key: team\n          Value: team-${i % 7}\n  Topic${i}:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: !Sub "\${Env}-topic-${i}"\n`;
  }
  return t;
}

function terraform(bytes: number): string {
  let t = 'resource "aws_s3_bucket" "logs" {\n  bucket = "bench-logs"\n}\n\n';
  for (let k = 0; k < 3; k++) {
    t += `resource "aws_cloudtrail" "t${k}" {\n  name = "t${k}"\n  s3_bucket_name = aws_s3_bucket.logs.id\n`;
    for (let i = 0; i < 4; i++) {
      t += `  advanced_event_selector {\n    name = "s3 ${i}"\n    field_selector {\n      field  = "eventCategory"\n      equals = ["Data"]\n    }\n    field_selector {\n      field  = "resources.type"\n      equals = ["AWS::S3::Object"]\n    }\n    field_selector {\n      field = "resources.ARN"\n      starts_with = [${Array.from({ length: 20 }, (_, j) => `"arn:aws:s3:::bucket-${i}-${j}/"`).join(', ')}]\n    }\n  }\n`;
    }
    t += '}\n\n';
  }
  for (let i = 0; t.length < bytes; i++) {
    t += `resource "aws_sqs_queue" "q${i}" {\n  name                      = "\${var.env}-queue-${i}"\n  visibility_timeout_seconds = 30\n  tags = {\n    team = "team-${i % 7}"\n  }\n}\n\n`;
  }
  return t;
}

async function main(): Promise<void> {
  const big = unrelatedYaml(1024 * 1024);
  const lineCount = median(() => big.split('\n').length);
  const detect = median(() => detectInfraFormat(big, 'deployment.yaml'));
  if (detectInfraFormat(big, 'deployment.yaml') !== undefined) throw new Error('unrelated YAML detected as a template');
  console.log(`detect   ${(big.length / 1048576).toFixed(2)} MB unrelated YAML: median ${detect.toFixed(3)} ms (goal ≤ 5 ms); baseline line count ${lineCount.toFixed(3)} ms; ratio ${(detect / lineCount).toFixed(2)}×`);

  const cfn = template(100 * 1024);
  const parse = median(() => parseDocument(cfn));
  const validate = median(() => validateCloudFormation(cfn));
  const found = validateCloudFormation(cfn).filter((d) => d.severity !== 'hint').length;
  console.log(`cfn      ${(cfn.length / 1024).toFixed(0)} KB template, 3 trails × 5 selectors (${found} problems): median ${validate.toFixed(2)} ms (goal ≤ 20 ms); baseline yaml parse ${parse.toFixed(2)} ms; ratio ${(validate / parse).toFixed(2)}×`);

  const parser = await loadHclParser();
  const tf = terraform(100 * 1024);
  const tsParse = median(() => parser.parse(tf)?.delete());
  const tfValidate = median(() => validateTerraform(tf, parser));
  console.log(`terraform ${(tf.length / 1024).toFixed(0)} KB .tf, 3 trails × 4 selectors: median ${tfValidate.toFixed(2)} ms; baseline tree-sitter parse ${tsParse.toFixed(2)} ms; ratio ${(tfValidate / tsParse).toFixed(2)}×`);
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
