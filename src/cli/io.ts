import * as fs from 'node:fs';
/**
 * What a CLI command gets to talk to the outside world. Commands write through these instead of touching
 * process.stdout directly, so tests and other hosts can capture the output.
 */
export interface CliIo {
  /** Writes text to standard output as is (add the newline yourself). */
  stdout(text: string): void;
  /** Writes text to standard error as is. */
  stderr(text: string): void;
  /** Working directory that relative file names are resolved against. */
  cwd: string;
}

/** A command module: `run` returns the exit code (0 ok, 1 problems found, 2 usage error). */
export interface CliCommand {
  run(args: string[], io: CliIo): Promise<number>;
}

export const EXIT_OK = 0;
export const EXIT_PROBLEMS = 1;
export const EXIT_USAGE = 2;

/**
 * Runs a command so that the process can only end with 0, 1 or 2: an unexpected exception (a bug, or input that
 * got past every limit) becomes a message and exit code 1, and any other code a command might return becomes 1.
 */
export async function runGuarded(command: () => Promise<number>, io: CliIo): Promise<number> {
  try {
    const code = await command();
    return code === EXIT_OK || code === EXIT_PROBLEMS || code === EXIT_USAGE ? code : EXIT_PROBLEMS;
  } catch (err) {
    const what = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    io.stderr(`cloudtrail-lens: internal error: ${what}. Please report it with the command you ran.\n`);
    return EXIT_PROBLEMS;
  }
}

/** The io of a real process. Large outputs are written synchronously so nothing is lost on exit. */
export function processIo(): CliIo {
  const write = (fd: number, text: string) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const fs = require('node:fs') as typeof import('node:fs');
    const buf = Buffer.from(text, 'utf8');
    let off = 0;
    while (off < buf.length) {
      try {
        off += fs.writeSync(fd, buf, off, buf.length - off);
      } catch (e) {
        // A pipe that is temporarily full: retry; a closed pipe (EPIPE): give up quietly.
        if ((e as NodeJS.ErrnoException).code === 'EAGAIN') continue;
        return;
      }
    }
  };
  return { stdout: (t) => write(1, t), stderr: (t) => write(2, t), cwd: process.cwd() };
}

/**
 * Reads a file, refusing it once more than `maxBytes` were read. The cap counts bytes actually read, not
 * `stat().size`, which is 0 for devices and pipes (`/dev/zero` would otherwise be read forever).
 */
export function readFileCapped(file: string, maxBytes: number): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    const buf = Buffer.allocUnsafe(1 << 20);
    for (;;) {
      const n = fs.readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      total += n;
      if (total > maxBytes) throw new Error(`it is larger than ${Math.round(maxBytes / 1048576)} MB`);
      chunks.push(Buffer.from(buf.subarray(0, n)));
    }
    return Buffer.concat(chunks, total);
  } finally {
    fs.closeSync(fd);
  }
}
