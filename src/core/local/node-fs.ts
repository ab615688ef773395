/** Directory listing through Node's fs, for the CLI, tests and benchmarks (the extension uses workspace.fs). */
import { readdir, stat } from 'node:fs/promises';
import * as path from 'node:path';
import type { DirEntry, ListDirectory } from './scan';

export function nodeLister(root: string): ListDirectory {
  return async (rel: string): Promise<DirEntry[]> => {
    const dir = rel ? path.join(root, ...rel.split('/')) : root;
    const entries = await readdir(dir, { withFileTypes: true });
    return Promise.all(
      entries.map(async (e): Promise<DirEntry> => {
        if (e.isDirectory()) return { name: e.name, type: 'directory' };
        if (e.isFile()) return { name: e.name, type: 'file' };
        if (e.isSymbolicLink()) {
          // Follow links like workspace.fs does; a dangling link is just skipped.
          try {
            const s = await stat(path.join(dir, e.name));
            return { name: e.name, type: s.isDirectory() ? 'directory' : s.isFile() ? 'file' : 'other' };
          } catch {
            return { name: e.name, type: 'other' };
          }
        }
        return { name: e.name, type: 'other' };
      }),
    );
  };
}
