/**
 * Walks a folder through a minimal directory-listing interface, so the same code serves `vscode.workspace.fs`
 * (remote and virtual file systems), Node's `fs` (CLI, tests, benchmarks) and anything else.
 */
import { classifyPath, groupFiles, isCandidateFile, type FolderIndex, type LocalFile } from './layout';

export type EntryType = 'file' | 'directory' | 'other';

export interface DirEntry {
  name: string;
  type: EntryType;
}

/** Lists one directory given as a `/`-separated path relative to the scanned root ('' is the root itself). */
export type ListDirectory = (relDir: string) => Promise<DirEntry[]>;

export interface ScanOptions {
  /** Name of the scanned folder itself (lets a folder named `CloudTrail` or `<account>` still be understood). */
  rootName?: string;
  /** Stop listing after this many candidate files (default 200 000). */
  maxFiles?: number;
  /** Do not descend further than this (default 16 levels; CloudTrail's own layout needs 9). */
  maxDepth?: number;
  /** Polled between directories; return true to stop early. */
  isCancelled?: () => boolean;
}

export interface ScanResult {
  index: FolderIndex;
  files: LocalFile[];
  /** Files left out because they do not look like JSON/JSONL/gzip. */
  ignored: number;
  /** Directories that could not be listed, with the reason. */
  errors: { relDir: string; message: string }[];
  /** True when maxFiles or maxDepth cut the listing short. */
  truncated: boolean;
  cancelled: boolean;
}

/** Folders that never hold logs but can be huge. */
const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn']);

export async function scanFolder(list: ListDirectory, options: ScanOptions = {}): Promise<ScanResult> {
  const maxFiles = options.maxFiles ?? 200_000;
  const maxDepth = options.maxDepth ?? 16;
  const files: LocalFile[] = [];
  const errors: ScanResult['errors'] = [];
  let ignored = 0;
  let truncated = false;
  let cancelled = false;
  // Breadth-first with an explicit queue: no recursion depth issues, and listings can run a few at a time.
  const queue: { rel: string; depth: number }[] = [{ rel: '', depth: 0 }];
  const parallel = 8;
  while (queue.length > 0 && !truncated) {
    if (options.isCancelled?.()) {
      cancelled = true;
      break;
    }
    const batch = queue.splice(0, parallel);
    const listings = await Promise.all(
      batch.map(async (dir) => {
        try {
          return { dir, entries: await list(dir.rel) };
        } catch (err) {
          errors.push({ relDir: dir.rel, message: err instanceof Error ? err.message : String(err) });
          return { dir, entries: [] as DirEntry[] };
        }
      }),
    );
    for (const { dir, entries } of listings) {
      const sorted = [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const e of sorted) {
        const rel = dir.rel ? `${dir.rel}/${e.name}` : e.name;
        if (e.type === 'directory') {
          if (SKIP_DIRS.has(e.name)) continue;
          if (dir.depth + 1 > maxDepth) {
            truncated = true;
            continue;
          }
          queue.push({ rel, depth: dir.depth + 1 });
        } else if (e.type === 'file') {
          if (!isCandidateFile(e.name)) {
            ignored++;
            continue;
          }
          if (files.length >= maxFiles) {
            truncated = true;
            break;
          }
          files.push(classifyPath(rel, options.rootName));
        }
      }
    }
  }
  return { index: groupFiles(files), files, ignored, errors, truncated, cancelled };
}
