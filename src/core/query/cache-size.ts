import { promises as fsp } from 'node:fs';
import * as path from 'node:path';

/** Size and count of everything under the cache root (for the clear command's message). */
export async function cacheSize(cacheRoot: string): Promise<{ folders: number; bytes: number }> {
  let folders = 0;
  let bytes = 0;
  let entries: string[] = [];
  try {
    entries = await fsp.readdir(cacheRoot);
  } catch {
    return { folders, bytes };
  }
  for (const e of entries) {
    const d = path.join(cacheRoot, e);
    try {
      for (const f of await fsp.readdir(d)) bytes += (await fsp.stat(path.join(d, f))).size;
      folders++;
    } catch {
      // not a folder
    }
  }
  return { folders, bytes };
}
