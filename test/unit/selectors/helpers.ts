/** Small helpers for the selector tests. */
import assert from 'node:assert/strict';
import { analyze, applyTextEdits, type SelectorDiagnostic, type ValidateOptions } from '../../../src/core/selectors';

/** Diagnostics of a document (a root array of selectors unless the text says otherwise). */
export function diags(text: string, options: ValidateOptions = {}): SelectorDiagnostic[] {
  return analyze(text, options).diagnostics.filter((d) => d.severity !== 'hint');
}

export function codes(text: string, options: ValidateOptions = {}): string[] {
  return diags(text, options).map((d) => d.code);
}

/** Wraps field selectors into a one-selector advanced array. */
export function sel(...fieldSelectors: object[]): string {
  return JSON.stringify([{ FieldSelectors: fieldSelectors }], null, 2);
}

export const cat = (c: string) => ({ Field: 'eventCategory', Equals: [c] });

/** Asserts exactly one diagnostic with `code`, covering exactly `covered` (the text under its range). */
export function expectOne(text: string, code: string, covered: string, options: ValidateOptions = {}, severity?: string): SelectorDiagnostic {
  const all = analyze(text, options).diagnostics;
  const found = all.filter((d) => d.code === code);
  assert.equal(found.length, 1, `expected one ${code}, got ${JSON.stringify(all.map((d) => [d.code, d.message]), null, 1)}`);
  const d = found[0];
  assert.equal(text.slice(d.offset, d.offset + d.length), covered, `range of ${code}`);
  // Line/column must point at the same place as the offset.
  const before = text.slice(0, d.offset).split(/\r\n|\r|\n/);
  assert.equal(d.line, before.length, 'line');
  assert.equal(d.column, before[before.length - 1].length + 1, 'column');
  assert.ok(d.message.length > 20, 'message says what to do');
  if (severity) assert.equal(d.severity, severity);
  return d;
}

/** Applies the diagnostic's first (or named) fix and returns the new text. */
export function applyFix(text: string, d: SelectorDiagnostic, title?: string): string {
  const fix = title ? d.fixes?.find((f) => f.title === title) : d.fixes?.[0];
  assert.ok(fix, `no fix${title ? ` '${title}'` : ''} on ${d.code}: ${JSON.stringify(d.fixes?.map((f) => f.title))}`);
  return applyTextEdits(text, fix.edits);
}

export function noErrors(text: string, options: ValidateOptions = {}): void {
  const errs = analyze(text, options).diagnostics.filter((d) => d.severity === 'error' || d.severity === 'warning');
  assert.deepEqual(errs.map((d) => `${d.code}: ${d.message}`), []);
}
