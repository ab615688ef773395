/**
 * The plumbing rules, checked on the sources: settings are read through one typed accessor (src/common/config.ts),
 * commands are registered through one helper (src/common/commands.ts) from one table with one category, test hooks
 * are not in the manifest, and the webview shares its protocol with the host through src/protocol only.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot, tsFilesUnder } from '../../support/paths';

const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
const read = (rel: string) => fs.readFileSync(path.join(repoRoot, rel), 'utf8');

const tsFiles = tsFilesUnder;

/** The text between the brackets of `export const NAME … = { … }` or `= [ … ]` in a source file. */
function block(source: string, name: string): string {
  const start = source.indexOf(`export const ${name}`);
  assert.ok(start >= 0, `${name} not found`);
  const open = start + source.slice(start).search(/= [{[]/) + 2;
  let depth = 0;
  for (let i = open; i < source.length; i++) {
    if ('{['.includes(source[i])) depth++;
    else if ('}]'.includes(source[i]) && --depth === 0) return source.slice(open + 1, i);
  }
  throw new Error(`${name}: unbalanced`);
}

describe('settings: one typed accessor', () => {
  const configSource = read('src/common/config.ts');
  const keys = Object.keys(pkg.contributes.configuration.properties as Record<string, unknown>);

  it('every contributes.configuration key has an entry (and a default equal to the manifest) in KEYS', () => {
    const table = block(configSource, 'KEYS');
    assert.ok(keys.length >= 9);
    for (const full of keys) {
      assert.ok(full.startsWith('cloudtrailLens.'), full);
      const key = full.slice('cloudtrailLens.'.length);
      const m = new RegExp(`^\\s*(?:'${key.replace(/\./g, '\\.')}'|${key.replace(/\./g, '\\.')}): (.+),$`, 'm').exec(table);
      assert.ok(m, `${full} has no entry in KEYS (src/common/config.ts)`);
      const expected = JSON.stringify(pkg.contributes.configuration.properties[full].default);
      assert.equal(JSON.stringify(eval(m[1].replace(/_/g, ''))), expected, `default of ${full}`);
    }
  });

  it('KEYS has no entry the manifest lacks', () => {
    const table = block(configSource, 'KEYS');
    const listed = [...table.matchAll(/^\s*'?([\w.]+)'?: /gm)].map((m) => `cloudtrailLens.${m[1]}`);
    assert.deepEqual(listed.sort(), [...keys].sort());
  });

  it('no getConfiguration(…) outside src/common/config.ts', () => {
    const offenders = tsFiles('src')
      .filter((f) => !f.endsWith(path.join('common', 'config.ts')))
      .filter((f) => /\bgetConfiguration\s*\(/.test(fs.readFileSync(f, 'utf8')))
      .map((f) => path.relative(repoRoot, f));
    assert.deepEqual(offenders, []);
  });

  it('the settings restricted in untrusted workspaces are the ones config.ts lists (profile and log folders among them)', () => {
    const restricted: string[] = pkg.capabilities.untrustedWorkspaces.restrictedConfigurations;
    for (const k of ['cloudtrailLens.aws.profile', 'cloudtrailLens.logFolders', 'cloudtrailLens.aws.configFile', 'cloudtrailLens.aws.credentialsFile']) {
      assert.ok(restricted.includes(k), k);
    }
    const listed = [...block(configSource, 'RESTRICTED').matchAll(/'([\w.]+)'/g)].map((m) => `cloudtrailLens.${m[1]}`);
    assert.deepEqual([...listed].sort(), [...restricted].sort());
  });
});

describe('commands: one table, one registration helper', () => {
  const source = read('src/common/commands.ts');
  const table = block(source, 'COMMANDS');
  const ids = [...table.matchAll(/^\s*'(cloudtrailLens\.[\w.]+)': CATEGORY,$/gm)].map((m) => m[1]);
  const testIds = [...block(source, 'TEST_COMMANDS').matchAll(/'(cloudtrailLens\.[\w.]+)'/g)].map((m) => m[1]);
  const manifest: { command: string; category?: string }[] = pkg.contributes.commands;
  const category = /export const CATEGORY = '([^']+)'/.exec(source)?.[1];

  it('the manifest and COMMANDS list the same commands, each with the one category', () => {
    assert.equal(category, 'CloudTrail Lens');
    assert.deepEqual(manifest.map((c) => c.command).sort(), [...ids].sort());
    for (const c of manifest) assert.equal(c.category, category, c.command);
  });

  it('no test hook ships in the manifest', () => {
    assert.ok(testIds.length >= 7);
    for (const id of testIds) assert.ok(!manifest.some((c) => c.command === id), id);
    const palette: { command: string }[] = pkg.contributes.menus.commandPalette;
    for (const id of testIds) assert.ok(!palette.some((c) => c.command === id), id);
  });

  it('every registered id is in COMMANDS or TEST_COMMANDS, and only commands.ts calls registerCommand', () => {
    const known = new Set([...ids, ...testIds]);
    for (const f of tsFiles('src')) {
      const text = fs.readFileSync(f, 'utf8');
      const rel = path.relative(repoRoot, f);
      if (!rel.endsWith(path.join('common', 'commands.ts'))) {
        assert.doesNotMatch(text, /commands\.registerCommand\s*\(|registerTextEditorCommand\s*\(/, rel);
      }
      for (const m of text.matchAll(/(?:reg\(|^\s*)'(cloudtrailLens\.[\w.]+)'(?:: |,)/gm)) {
        if (rel.endsWith(path.join('common', 'commands.ts'))) continue;
        assert.ok(known.has(m[1]) || !/reg\(|: /.test(m[0]), `${rel}: ${m[1]} is not in src/common/commands.ts`);
      }
    }
  });
});

describe('webview protocol: one shared folder', () => {
  it('media/ imports from src/ only through src/protocol', () => {
    for (const f of tsFiles('media')) {
      for (const m of fs.readFileSync(f, 'utf8').matchAll(/from '([^']+)'/g)) {
        if (m[1].includes('/src/')) assert.match(m[1], /\/src\/protocol\//, `${path.relative(repoRoot, f)} imports ${m[1]}`);
      }
    }
  });
  it('src/protocol imports only itself and the core (no vscode, no host or webview code)', () => {
    for (const f of tsFiles('src/protocol')) {
      for (const m of fs.readFileSync(f, 'utf8').matchAll(/^(?:import|export) .* from '([^']+)';$/gm)) {
        assert.ok(m[1].startsWith('./') || m[1].startsWith('../core/'), `${path.relative(repoRoot, f)} imports ${m[1]}`);
      }
    }
  });
});
