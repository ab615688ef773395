/**
 * Tokenizes sample JSON with the real TextMate engine (vscode-textmate + the Oniguruma WASM build) and our
 * injection grammar, injected the way package.json declares it. The host grammar is a small stand-in for VS Code's
 * JSON grammar (fixtures/mini-json.tmLanguage.json, same string scope names) because VS Code's own is not installed.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import * as vsctm from 'vscode-textmate';
import { corpusFiles, repoRoot } from '../../support/paths';

const INJECTION_SCOPE = 'cloudtrail.arn.injection';
const fixture = path.join(repoRoot, 'test/unit/syntaxes/fixtures/mini-json.tmLanguage.json');

interface GrammarContribution {
  scopeName: string;
  path: string;
  injectTo?: string[];
}

const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  contributes: { grammars: GrammarContribution[] };
};
const contribution = manifest.contributes.grammars.find((g) => g.scopeName === INJECTION_SCOPE);

/** VS Code builds its JSONC and JSON Lines grammars from the JSON one by renaming the `.json` scope suffix. */
function hostGrammar(scopeName: string): string {
  const suffix = scopeName.slice('source'.length); // '.json', '.json.comments', '.json.lines'
  const raw = JSON.parse(fs.readFileSync(fixture, 'utf8'));
  const rename = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(rename);
    if (node && typeof node === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(node)) {
        out[k] = (k === 'name' || k === 'scopeName') && typeof v === 'string' ? v.replace(/\.json\b/g, suffix) : rename(v);
      }
      return out;
    }
    return node;
  };
  const renamed = rename(raw) as Record<string, unknown>;
  renamed.scopeName = scopeName;
  return JSON.stringify(renamed);
}

let onigLib: Promise<vsctm.IOnigLib>;

function registry(withInjection: boolean): vsctm.Registry {
  return new vsctm.Registry({
    onigLib,
    loadGrammar: async (scopeName) => {
      if (scopeName === INJECTION_SCOPE && contribution) {
        const file = path.join(repoRoot, contribution.path);
        return vsctm.parseRawGrammar(fs.readFileSync(file, 'utf8'), file);
      }
      if (scopeName.startsWith('source.json')) return vsctm.parseRawGrammar(hostGrammar(scopeName), `${scopeName}.json`);
      return null;
    },
    // Same rule as VS Code: a grammar with `injectTo` is injected into the listed top-level grammars.
    getInjections: (scopeName) =>
      withInjection && contribution?.injectTo?.includes(scopeName) ? [INJECTION_SCOPE] : undefined,
  });
}

interface Tok {
  text: string;
  start: number;
  scopes: string[];
}

async function tokenizer(scopeName = 'source.json', withInjection = true): Promise<(text: string) => Tok[][]> {
  const grammar = await registry(withInjection).loadGrammar(scopeName);
  assert.ok(grammar, `grammar ${scopeName}`);
  return (text: string) => {
    let state = vsctm.INITIAL;
    return text.split('\n').map((line) => {
      const r = grammar.tokenizeLine(line, state);
      state = r.ruleStack;
      return r.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), start: t.startIndex, scopes: t.scopes }));
    });
  };
}

/** Scopes of the single token that covers exactly `needle` (n-th occurrence) on a one-line input. */
function scopesOf(tokens: Tok[], line: string, needle: string, n = 0): string[] {
  let idx = -1;
  for (let k = 0; k <= n; k++) idx = line.indexOf(needle, idx + 1);
  assert.ok(idx >= 0, `${needle} not in ${line}`);
  const tok = tokens.find((t) => t.start === idx && t.text === needle);
  assert.ok(tok, `no single token for "${needle}" in ${JSON.stringify(tokens.map((t) => t.text))}`);
  return tok.scopes;
}

function has(scopes: string[], prefix: string): boolean {
  return scopes.some((s) => s === prefix || s.startsWith(prefix + '.'));
}

before(() => {
  const wasm = fs.readFileSync(path.join(repoRoot, 'node_modules/vscode-oniguruma/release/onig.wasm'));
  onigLib = oniguruma
    .loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength))
    .then(() => ({
      createOnigScanner: (sources: string[]) => new oniguruma.OnigScanner(sources),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }));
});

describe('ARN injection grammar', () => {
  it('is declared in package.json for the JSON, JSONC and JSON Lines grammars', () => {
    assert.ok(contribution, 'grammar contribution missing');
    assert.deepEqual([...(contribution.injectTo ?? [])].sort(), ['source.json', 'source.json.comments', 'source.json.lines']);
    assert.ok(fs.existsSync(path.join(repoRoot, contribution.path)));
  });

  it('gives each part of an ARN its own scope inside a string value', async () => {
    const tok = await tokenizer();
    const line = '{"arn": "arn:aws:iam::111122223333:role/Admin", "n": 1}';
    const [tokens] = tok(line);
    const expect: [string, string, number?][] = [
      ['arn', 'keyword.other.arn.cloudtrail', 1],
      ['aws', 'support.constant.partition.arn.cloudtrail'],
      ['iam', 'entity.name.type.service.arn.cloudtrail'],
      ['111122223333', 'constant.numeric.account-id.arn.cloudtrail'],
      ['role/Admin', 'entity.name.function.resource.arn.cloudtrail'],
      [':', 'punctuation.separator.arn.cloudtrail', 1],
    ];
    for (const [needle, scope, n] of expect) {
      const scopes = scopesOf(tokens, line, needle, n ?? 0);
      assert.ok(scopes.includes(scope), `${needle}: ${scopes.join(' ')}`);
      assert.ok(scopes.includes('string.quoted.double.json'), `${needle} stays inside the string`);
      assert.ok(scopes.includes('meta.arn.cloudtrail'));
    }
    // The key named "arn" is not an ARN and keys are never decorated.
    assert.ok(!scopesOf(tokens, line, 'arn', 0).some((s) => s.endsWith('.cloudtrail')));
    // The string still ends where it should, and what follows is parsed normally.
    assert.ok(scopesOf(tokens, line, '"', 3).includes('punctuation.definition.string.end.json'));
    assert.ok(scopesOf(tokens, line, 'n', 3).includes('support.type.property-name.json'));
    assert.ok(scopesOf(tokens, line, '1', 4).includes('constant.numeric.json'));
  });

  it('handles S3 ARNs, AWS-managed policies, other partitions and regions', async () => {
    const tok = await tokenizer();
    const s3 = '["arn:aws:s3:::my-bucket/logs/a.json.gz"]';
    assert.ok(scopesOf(tok(s3)[0], s3, 'my-bucket/logs/a.json.gz').includes('entity.name.function.resource.arn.cloudtrail'));
    const managed = '["arn:aws:iam::aws:policy/AdministratorAccess"]';
    assert.ok(scopesOf(tok(managed)[0], managed, 'aws', 1).includes('support.constant.account.arn.cloudtrail'));
    const gov = '["arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/1234abcd-12ab"]';
    const [g] = tok(gov);
    assert.ok(scopesOf(g, gov, 'aws-us-gov').includes('support.constant.partition.arn.cloudtrail'));
    assert.ok(scopesOf(g, gov, 'us-gov-west-1').includes('variable.other.region.arn.cloudtrail'));
    assert.ok(scopesOf(g, gov, 'key/1234abcd-12ab').includes('entity.name.function.resource.arn.cloudtrail'));
  });

  it('highlights access key IDs and tells long-term from temporary keys', async () => {
    const tok = await tokenizer();
    const line = '{"a": "AKIAIOSFODNN7EXAMPLE", "b": "ASIAXAMPLEXAMPLE1234", "c": "AKIAIOSFODNN7EXAMPLE1", "d": "akiaiosfodnn7example"}';
    const [tokens] = tok(line);
    assert.ok(scopesOf(tokens, line, 'AKIAIOSFODNN7EXAMPLE').includes('variable.other.constant.access-key-id.long-term.cloudtrail'));
    assert.ok(scopesOf(tokens, line, 'ASIAXAMPLEXAMPLE1234').includes('variable.other.constant.access-key-id.temporary.cloudtrail'));
    // 21 characters or lower case: not an access key ID.
    for (const t of tokens.filter((t) => t.text === 'AKIAIOSFODNN7EXAMPLE1' || t.text.includes('akia'))) {
      assert.ok(!has(t.scopes, 'variable.other.constant'), t.text);
    }
  });

  it('highlights 12-digit account IDs in strings only, and only whole', async () => {
    const tok = await tokenizer();
    const line = '{"accountId": "111122223333", "key": "AWSLogs/444455556666/CloudTrail", "long": "1111222233334", "num": 111122223333}';
    const [tokens] = tok(line);
    assert.ok(scopesOf(tokens, line, '111122223333').includes('constant.numeric.account-id.cloudtrail'));
    assert.ok(scopesOf(tokens, line, '444455556666').includes('constant.numeric.account-id.cloudtrail'));
    assert.ok(!tokens.some((t) => t.text.includes('1111222233334') && has(t.scopes, 'constant.numeric.account-id')));
    const num = scopesOf(tokens, line, '111122223333', 2);
    assert.ok(num.includes('constant.numeric.json') && !num.some((s) => s.endsWith('.cloudtrail')));
    // Keys are never decorated.
    const keyLine = '{"111122223333": 1, "AKIAIOSFODNN7EXAMPLE": 2}';
    for (const t of tok(keyLine)[0]) assert.ok(!t.scopes.some((s) => s.endsWith('.cloudtrail')), t.text);
  });

  it('stops at escapes and quotes so the string keeps its own structure', async () => {
    const tok = await tokenizer();
    const line = '{"a": "arn:aws:s3:::b\\"x", "b": "111122223333\\n"}';
    const [tokens] = tok(line);
    assert.ok(scopesOf(tokens, line, '\\"').includes('constant.character.escape.json'));
    assert.ok(scopesOf(tokens, line, 'b', 0).includes('entity.name.function.resource.arn.cloudtrail'));
    assert.ok(scopesOf(tokens, line, 'x').includes('string.quoted.double.json'));
    assert.ok(scopesOf(tokens, line, '\\n').includes('constant.character.escape.json'));
    assert.ok(scopesOf(tokens, line, 'b', 1).includes('support.type.property-name.json'));
  });

  for (const scope of ['source.json.comments', 'source.json.lines']) {
    it(`applies in ${scope}`, async () => {
      const tok = await tokenizer(scope);
      const suffix = scope.slice('source'.length);
      const line = '{"userIdentity": {"arn": "arn:aws:sts::111122223333:assumed-role/R/s"}}';
      const scopes = scopesOf(tok(line)[0], line, 'sts');
      assert.ok(scopes.includes('entity.name.type.service.arn.cloudtrail'), scopes.join(' '));
      assert.ok(scopes.includes(`string.quoted.double${suffix}`));
    });
  }

  it('only adds nested scopes to real CloudTrail files and other JSON', async () => {
    const withIt = await tokenizer('source.json', true);
    const without = await tokenizer('source.json', false);
    const samples = [
      ...corpusFiles().filter((_, i) => i % 25 === 0).map((f) => fs.readFileSync(f, 'utf8')),
      '{"name": "demo", "version": "1.0.0", "scripts": {"build": "tsc -p ."}, "list": [1, "a:b:c:d:e:f", null]}',
      '{"weird": "arn:", "x": "arn:aws", "y": "arn:aws:s3:::", "z": "\\\\arn:aws:s3:::b"}',
    ];
    let added = 0;
    let chars = 0;
    for (const text of samples) {
      const a = withIt(text);
      const b = without(text);
      const lines = text.split('\n');
      lines.forEach((line, li) => {
        for (let c = 0; c < line.length; c++) {
          const sa = a[li].find((t) => c >= t.start && c < t.start + t.text.length)!.scopes;
          const sb = b[li].find((t) => c >= t.start && c < t.start + t.text.length)!.scopes;
          const extra = sa.filter((s) => !sb.includes(s));
          assert.deepEqual(sa.filter((s) => sb.includes(s)), sb, `line ${li + 1} col ${c + 1}: base scopes changed`);
          assert.ok(extra.every((s) => s.endsWith('.cloudtrail')), `line ${li + 1}: ${extra.join(' ')}`);
          if (extra.length) added++;
          chars++;
        }
      });
    }
    assert.ok(chars > 10000, `${chars} characters compared`);
    assert.ok(added > 100, `only ${added} characters decorated`);
  });
});
