/**
 * scripts/package.mjs: which DuckDB packages each VSIX carries, and a real platform VSIX for this machine (packaged
 * from the bundles in out/, offline: the host's binding is the one npm installed) unpacked and used with plain Node —
 * the unpacked extension's own worker runs a query on a generated log folder. Without the binding, the same worker
 * fails with the message that says what to install.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { unzipSync } from 'fflate';
import { QueryWorkerClient } from '../../../src/core/query/client';
import { isQueryError, QueryErrorLike } from '../../../src/core/query/errors';
import { makeRecords, writeFixture, Rec } from '../query/fixture';
import { repoRoot } from '../../support/paths';

const script = path.join(repoRoot, 'scripts', 'package.mjs');
// tsc compiles import() to require() for CommonJS output; the script is an ES module.
const importEsm = new Function('u', 'return import(u)') as (u: string) => Promise<any>;

describe('VSIX packaging', () => {
  let pkg: any;
  before(async () => {
    pkg = await importEsm(pathToFileURL(script).href);
  });

  test('the universal VSIX carries no DuckDB; a platform VSIX carries the API, the loader and only its own binding', () => {
    assert.deepEqual(pkg.duckdbPackagesFor(undefined), []);
    for (const [target, binding] of Object.entries(pkg.TARGETS) as [string, string][]) {
      const names = pkg.duckdbPackagesFor(target).map((p: string[]) => p[0]);
      assert.deepEqual(names, ['@duckdb/node-api', '@duckdb/node-bindings', binding]);
      assert.equal(names.filter((n: string) => n.startsWith('@duckdb/node-bindings-')).length, 1);
      for (const [, dest] of pkg.duckdbPackagesFor(target)) assert.match(dest, /^out\/node_modules\/@duckdb\//);
      assert.equal(pkg.vsixName(target), `cloudtrail-lens-${target}.vsix`);
    }
    // Every binding @duckdb/node-bindings can load on a VS Code platform has a target.
    const optional = Object.keys(JSON.parse(fs.readFileSync(path.join(repoRoot, 'node_modules/@duckdb/node-bindings/package.json'), 'utf8')).optionalDependencies);
    assert.deepEqual([...Object.values(pkg.TARGETS)].sort(), optional.sort());
    assert.equal(pkg.vsixName(undefined), 'cloudtrail-lens.vsix');
    assert.throws(() => pkg.duckdbPackagesFor('sunos-sparc'), /No DuckDB binding for target "sunos-sparc"/);
  });

  describe('the platform VSIX of this machine, unpacked', () => {
    let tmp: string;
    let ext: string;
    let dir: string;
    let records: Rec[];
    let skip: string | false = false;

    before(() => {
      const target = pkg.hostTarget();
      const binding = pkg.TARGETS[target];
      if (!binding || !fs.existsSync(path.join(repoRoot, 'node_modules', binding))) {
        skip = `no local DuckDB binding for ${target} (packaging it would need the npm registry)`;
        return;
      }
      assert.ok(fs.existsSync(path.join(repoRoot, 'out', 'worker-query.js')), 'build first (out/worker-query.js)');
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ctl-vsix-'));
      execFileSync(process.execPath, [script, '--skip-build', '--no-universal', '--target', target, '--out-dir', tmp], { cwd: repoRoot, stdio: 'pipe' });
      const vsix = path.join(tmp, `cloudtrail-lens-${target}.vsix`);
      const files = unzipSync(fs.readFileSync(vsix));
      for (const [name, data] of Object.entries(files)) {
        if (name.endsWith('/')) continue;
        const to = path.join(tmp, 'unpacked', name);
        fs.mkdirSync(path.dirname(to), { recursive: true });
        fs.writeFileSync(to, data);
      }
      ext = path.join(tmp, 'unpacked', 'extension');
      const names = Object.keys(files);
      // Only this platform's binding; the other platforms' packages are not in it.
      assert.ok(names.some((n) => n.startsWith(`extension/out/node_modules/${binding}/`)), 'binding packaged');
      assert.deepEqual(names.filter((n) => /node_modules\/@duckdb\/node-bindings-/.test(n) && !n.includes(`${binding}/`)), []);
      assert.ok(!names.some((n) => n.startsWith('extension/node_modules/')), 'no root node_modules');
      assert.deepEqual(names.filter((n) => /\.(d\.ts|map)$/.test(n)), [], 'no type declarations or source maps');
      assert.ok(names.some((n) => /^extension\/out\/node_modules\/@duckdb\/node-api\/LICENSE/i.test(n)) || !fs.existsSync(path.join(repoRoot, 'node_modules/@duckdb/node-api/LICENSE')), 'DuckDB API licence kept');
      assert.match(fs.readFileSync(path.join(tmp, 'unpacked', 'extension.vsixmanifest'), 'utf8'), new RegExp(`TargetPlatform="${target}"`));
      records = makeRecords(120, 5);
      dir = writeFixture(records);
    });
    after(() => {
      if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    test('its worker runs a query with the DuckDB binding it carries', async (t) => {
      if (skip) return t.skip(skip);
      const client = new QueryWorkerClient(path.join(ext, 'out', 'worker-query.js'));
      try {
        const r = await client.run({ paths: [dir], sql: 'SELECT count(*) AS n FROM cloudtrail' }, { threads: 1 });
        assert.equal(String(r.rows[0][0]), String(records.length));
      } finally {
        client.dispose();
      }
    });

    test('without the binding (the universal VSIX), a query fails saying what to install', async (t) => {
      if (skip) return t.skip(skip);
      fs.rmSync(path.join(ext, 'out', 'node_modules'), { recursive: true, force: true });
      const client = new QueryWorkerClient(path.join(ext, 'out', 'worker-query.js'));
      try {
        await assert.rejects(client.run({ paths: [dir], sql: 'SELECT 1' }, { threads: 1 }), (e: QueryErrorLike) => {
          assert.ok(isQueryError(e));
          assert.equal(e.code, 'binding');
          assert.match(e.message, new RegExp(`@duckdb/node-bindings-${process.platform}-${process.arch}`));
          assert.match(e.message, /platform build of CloudTrail Lens/);
          assert.match(e.message, /Athena queries and everything else keep working/);
          return true;
        });
      } finally {
        client.dispose();
      }
    });
  });
});
