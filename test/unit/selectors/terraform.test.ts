/** Terraform: selectors in aws_cloudtrail / aws_cloudtrail_event_data_store, through the real tree-sitter HCL grammar. */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Parser } from 'web-tree-sitter';
import { repoRoot } from '../../support/paths';
import { loadHclParser, readTerraform, validateTerraform, completeTerraform, hoverTerraform } from '../../../src/core/selectors/terraform';
import { detectInfraFormat } from '../../../src/core/selectors/infra';
import { applyTextEdits, type SelectorDiagnostic } from '../../../src/core/selectors';

const fixture = (name: string) => fs.readFileSync(path.join(repoRoot, 'test/fixtures/infra', name), 'utf8');
const shown = (ds: SelectorDiagnostic[]) => ds.filter((d) => d.severity !== 'hint');
function lineOf(text: string, marker: string, after = ''): number {
  const at = text.indexOf(marker, after ? text.indexOf(after) : 0);
  assert.ok(at >= 0, `marker ${marker}`);
  return text.slice(0, at).split('\n').length;
}

let parser: Parser;
before(async () => {
  parser = await loadHclParser();
});

describe('Terraform files', () => {
  it('the provider documentation examples produce nothing', () => {
    const text = fixture('valid.tf');
    assert.deepEqual(shown(validateTerraform(text, parser)).map((d) => [d.code, d.line, d.message]), []);
    const rs = readTerraform(text, parser);
    assert.deepEqual(rs.map((r) => [r.name, r.target]), [
      ['aws_cloudtrail.example', 'trail'], ['aws_cloudtrail_event_data_store.example', 'event-data-store'], ['aws_cloudtrail.basic', 'trail'],
    ]);
    // s3_bucket_name = aws_s3_bucket.example.id resolves to that bucket's literal name.
    assert.equal(rs[0].logBucket, 'tf-test-trail');
    assert.equal(rs[2].logBucket, 'another-log-bucket');
  });

  it('each rule fires at its line, with Terraform names in the message', () => {
    const text = fixture('mistakes.tf');
    const ds = shown(validateTerraform(text, parser));
    const one = (code: string) => {
      const f = ds.filter((d) => d.code === code);
      assert.equal(f.length, 1, `${code}: ${JSON.stringify(ds.map((d) => [d.code, d.line]))}`);
      return f[0];
    };
    assert.equal(one('log-bucket-loop').line, lineOf(text, 'all S3 writes'));
    assert.match(one('log-bucket-loop').message, /org-trail-logs/);
    const w = one('wildcard');
    assert.equal(w.line, lineOf(text, 'arn:aws:s3:::*'));
    assert.match(w.message, /starts_with/);
    assert.doesNotMatch(w.message, /StartsWith/);
    assert.equal(one('field-misspelt').line, lineOf(text, '"eventcategory"'));
    assert.equal(one('resources-type-missing').line, lineOf(text, '"Data"', 'aws_cloudtrail_event_data_store'));
    assert.equal(ds.length, 4, JSON.stringify(ds.map((d) => d.code)));
  });

  it('a quick fix rewrites the HCL string', () => {
    const text = fixture('mistakes.tf');
    const d = validateTerraform(text, parser).find((x) => x.code === 'field-misspelt')!;
    const fixed = applyTextEdits(text, d.fixes![0].edits);
    assert.ok(fixed.includes('field  = "eventCategory"\n      equals = ["Management"]'));
    assert.equal(validateTerraform(fixed, parser).filter((x) => x.code === 'field-misspelt').length, 0);
  });

  it('interpolations, references and dynamic blocks never produce an error', () => {
    const ds = shown(validateTerraform(fixture('interpolations.tf'), parser));
    assert.deepEqual(ds.filter((d) => d.severity === 'error').map((d) => [d.code, d.line]), []);
  });

  it('completes a field value and hovers an operator', () => {
    const text = fixture('mistakes.tf');
    const at = text.indexOf('"eventcategory"') + 4;
    const items = completeTerraform(text, at, parser);
    const item = items.find((i) => i.label === 'eventCategory');
    assert.ok(item, items.map((i) => i.label).join());
    assert.equal(text.slice(item.range.offset, item.range.offset + item.range.length), '"eventcategory"');
    assert.equal(item.insertText, '"eventCategory"');
    const h = hoverTerraform(text, text.indexOf('starts_with') + 2, parser);
    assert.ok(h && h.markdown.length > 0);
    assert.equal(text.slice(h.offset, h.offset + h.length), 'starts_with');
  });

  it('detects CloudTrail resources by content; other Terraform is left alone', () => {
    assert.equal(detectInfraFormat(fixture('valid.tf'), 'main.tf'), 'terraform');
    const other = 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n';
    assert.equal(detectInfraFormat(other, 'main.tf'), undefined);
    assert.deepEqual(validateTerraform(other, parser), []);
  });

  it('non-ASCII text before a resource keeps offsets right', () => {
    const text = '# Überwachung — ✓ 🚀\n' + fixture('mistakes.tf');
    const d = shown(validateTerraform(text, parser)).find((x) => x.code === 'wildcard')!;
    assert.equal(text.slice(d.offset, d.offset + d.length), '"arn:aws:s3:::*"');
  });
});

describe('Terraform: large files', () => {
  it('only the CloudTrail and bucket blocks are parsed, with the same results and positions', () => {
    const small = fixture('mistakes.tf');
    let pad = '';
    for (let i = 0; i < 300; i++) pad += `resource "aws_sqs_queue" "q${i}" {\n  name = "\${var.env}-queue-${i}"\n  tags = {\n    team = "t"\n  }\n}\n\n`;
    const big = pad + small + pad;
    assert.ok(big.length > 16 * 1024);
    const padLines = pad.split('\n').length - 1;
    const want = shown(validateTerraform(small, parser)).map((d) => [d.code, small.slice(d.offset, d.offset + d.length), d.line + padLines, d.column]);
    const got = shown(validateTerraform(big, parser)).map((d) => [d.code, big.slice(d.offset, d.offset + d.length), d.line, d.column]);
    assert.deepEqual(got, want);
    // A file not laid out by `terraform fmt` still parses (whole-file fallback).
    const squashed = big.replace('resource "aws_cloudtrail" "org" {', '  resource "aws_cloudtrail" "org" {');
    assert.equal(shown(validateTerraform(squashed, parser)).length, want.length);
  });
});
