/** The .ctnb file format, the starter notebook and the result HTML (escaping, chart choice). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseNotebook, serializeNotebook, starterNotebook, QUERY_LIBRARY, QueryResult } from '../../../src/core/query';
import { chartFor, resultHtml } from '../../../src/core/query/render';
import { fieldPaths } from '../../../src/core/query/schema';

const result = (columns: string[], rows: unknown[][]): QueryResult => ({ engine: 'duckdb', columns: columns.map((name) => ({ name, type: 'VARCHAR' })), rows, truncated: false, elapsedMs: 5, warnings: [] });

test('a notebook survives a save/load round trip, sources included; damaged text is not an exception', () => {
  const nb = { source: { kind: 'athena' as const, database: 'db', table: 't', workgroup: 'wg' }, cells: [{ kind: 'sql' as const, value: 'SELECT 1', source: { kind: 'folder' as const, paths: ['a', 'b'] } }, { kind: 'markdown' as const, value: '# x' }] };
  assert.deepEqual(parseNotebook(serializeNotebook(nb)).notebook, nb);
  assert.deepEqual(parseNotebook('').notebook, { cells: [] });
  const bad = parseNotebook('{ nope');
  assert.equal(bad.problem, 'invalid JSON');
  assert.equal(bad.notebook.cells[0].kind, 'markdown');
  assert.deepEqual(parseNotebook('{"cells":[null,5,{"value":7}],"source":{"kind":"weird"}}').notebook, { cells: [{ kind: 'sql', value: '' }] });
});

test('the starter notebook has one SQL cell per library query, in the engine\'s dialect', () => {
  const duck = starterNotebook({ kind: 'folder', paths: ['x'] });
  const athena = starterNotebook({ kind: 'athena', database: 'd', table: 't' });
  assert.equal(duck.cells.filter((c) => c.kind === 'sql').length, QUERY_LIBRARY.length);
  assert.ok(duck.cells.some((c) => c.value.includes('json_extract_string')));
  assert.ok(!athena.cells.some((c) => c.kind === 'sql' && c.value.includes('json_extract_string')));
  assert.ok(athena.cells.some((c) => c.value.includes('json_extract_scalar')));
});

test('result HTML escapes every value and draws a chart only for label + count results', () => {
  const evil = '<img src=x onerror=alert(1)>';
  const html = resultHtml(result(['eventname', 'n'], [[evil, '3'], ['B', '1']]));
  assert.ok(!html.includes('<img'));
  assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'));
  assert.ok(!/<script/i.test(html));
  assert.equal(chartFor(result(['eventname', 'n'], [['A', '3']]))?.kind, 'bar');
  assert.equal(chartFor(result(['hour', 'n'], [['2024-03-01T01:00Z', '3'], ['2024-03-01T02:00Z', '5']]))?.kind, 'time');
  assert.equal(chartFor(result(['a', 'b'], [['x', 'y']])), undefined);
  assert.equal(chartFor(result(['a', 'b', 'c'], [['x', '1', '2']])), undefined);
});

test('field paths for completion cover nested struct fields and the partition columns', () => {
  const paths = new Set(fieldPaths().map((f) => f.path));
  for (const p of ['useridentity.sessioncontext.sessionissuer.arn', 'resources[].arn', 'tlsdetails.tlsversion', 'timestamp', 'region', 'account', 'requestparameters']) assert.ok(paths.has(p), p);
});
