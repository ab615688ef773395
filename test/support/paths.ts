import * as path from 'node:path';
import * as fs from 'node:fs';

/** Repository root, found from this file whether it runs from test/ (sources) or build/test/ (compiled). */
export const repoRoot: string = (() => {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json')) || path.basename(dir) === 'build') {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('package.json not found above ' + __dirname);
    dir = parent;
  }
  return dir;
})();

/** The test corpus, kept in the repository: real records from public projects (origin and licence in SOURCES.md). */
export const corpusDir: string = path.join(repoRoot, 'test', 'corpus');

/** Every file under a folder (absolute or relative to the repository root) whose name passes `keep`, sorted. */
export function filesUnder(dir: string, keep: (name: string) => boolean): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (keep(e.name)) out.push(p);
    }
  };
  walk(path.resolve(repoRoot, dir));
  return out.sort();
}

/** Every TypeScript source under a folder of the repository. */
export const tsFilesUnder = (dir: string): string[] => filesUnder(dir, (name) => name.endsWith('.ts'));

/** Every data file of the corpus (not the SOURCES/_index bookkeeping), as absolute paths, sorted. */
export function corpusFiles(): string[] {
  return filesUnder(corpusDir, (name) => /\.(json|jsonl)$/.test(name) && name !== '_index.json');
}
