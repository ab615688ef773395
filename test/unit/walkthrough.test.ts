import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../support/paths';

const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
const commands = new Set<string>((manifest.contributes.commands ?? []).map((c: { command: string }) => c.command));

test('the walkthrough covers the four first steps, each with its media shipped and working command links', () => {
  const [walk] = manifest.contributes.walkthroughs;
  assert.deepEqual(walk.steps.map((s: { id: string }) => s.id), ['openLog', 'addFolder', 'connectAws', 'writeSelectors']);
  const shipped = fs.readFileSync(path.join(repoRoot, '.vscodeignore'), 'utf8');
  for (const step of walk.steps) {
    const md = path.join(repoRoot, step.media.markdown);
    assert.ok(fs.existsSync(md), `${step.id}: ${step.media.markdown} exists`);
    assert.match(shipped, /!media\/walkthrough\/\*\.md/, 'the VSIX carries the walkthrough pages');
    const links = [...String(step.description).matchAll(/\(command:([\w.]+)\)/g)].map((m) => m[1]);
    assert.ok(links.length > 0, `${step.id} has a button`);
    for (const id of [...links, ...step.completionEvents.map((e: string) => e.replace(/^onCommand:/, ''))]) {
      assert.ok(commands.has(id), `${step.id}: ${id} is a contributed command`);
    }
  }
});
