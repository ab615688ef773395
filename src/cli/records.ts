/**
 * `cloudtrail-lens records FILE... [--json]`: reads CloudTrail files (any shape the core understands, gzip or
 * not) and prints what each file is, how many records it has and its problems.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ParseResult, Problem, StreamingParser, stringifyJson, type CloudTrailRecord } from '../core/records';
import { minifyJson } from '../core/json';
import { CliIo, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE } from './io';

export const HELP = `Usage: cloudtrail-lens records FILE... [--json]

Reads CloudTrail files and reports, for each one, what it is, how many records it
holds and any problems. Understood shapes (detected from the content, gzip too):
CloudTrail log files {"Records": [...]}, a single event, a JSON array of events,
JSON Lines, saved "aws cloudtrail lookup-events" output, the console's Event
history JSON download, digest files, and the legacy AWS IoT example shape.
Use "-" as FILE to read standard input.

Options:
  --json     Print one JSON object per file (one per line):
             {"file", "kind", "records": [...], "problems": [...], "logFiles"?}
             Records are written as read: every number keeps its text (0.0, 1e400, long integers).
  --help     Show this help.

Problems are printed as FILE:LINE:COLUMN: SEVERITY: MESSAGE (lines and columns
in the decompressed text).

Exit codes: 0 no error problems, 1 some file has an error problem (including a
file that cannot be read or is not CloudTrail), 2 usage error.
`;

const CHUNK = 1 << 20;

/**
 * A record as one line of JSON: its own text from the file with the whitespace between tokens removed, so every
 * number keeps the text it was written with (`0.0`, `1e400`, long integers); the lossless writer only for records
 * without such a text (renamed legacy spellings).
 */
function recordJson(r: CloudTrailRecord): string {
  return r.text !== undefined ? minifyJson(r.text) : stringifyJson(r.event);
}

interface FileOutcome {
  result: Omit<ParseResult, 'records'>;
  records: string[] | undefined;
  count: number;
}

function readInto(parser: StreamingParser, fd: number, keep: string[] | undefined, ends: number[]): number {
  const buf = Buffer.allocUnsafe(CHUNK);
  let count = 0;
  for (;;) {
    let n: number;
    try {
      n = fs.readSync(fd, buf, 0, CHUNK, null);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EAGAIN') continue;
      if ((e as NodeJS.ErrnoException).code === 'EOF') break;
      throw e;
    }
    if (n === 0) break;
    const recs = parser.push(buf.subarray(0, n));
    count += recs.length;
    for (const r of recs) {
      ends.push(r.range.endOffset);
      if (keep) keep.push(recordJson(r));
    }
  }
  return count;
}

function parseFile(file: string, io: CliIo, wantRecords: boolean): FileOutcome {
  const keep: string[] | undefined = wantRecords ? [] : undefined;
  const ends: number[] = [];
  const parser = new StreamingParser({ fileName: file });
  let fd: number | undefined;
  let count = 0;
  try {
    if (file === '-') fd = 0;
    else {
      const full = path.resolve(io.cwd, file);
      if (fs.statSync(full).isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
      fd = fs.openSync(full, 'r');
    }
    count = readInto(parser, fd, keep, ends);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why =
      err.code === 'ENOENT'
        ? 'no such file'
        : err.code === 'EACCES' || err.code === 'EPERM'
          ? 'permission denied'
          : err.code === 'EISDIR'
            ? 'it is a directory (pass the files inside it)'
            : err.message;
    const problem: Problem = {
      severity: 'error',
      message: `Cannot read this file: ${why}. Check the path and permissions.`,
      line: 1,
      column: 1,
      code: 'unreadable',
    };
    if (fd !== undefined && fd !== 0) fs.closeSync(fd);
    return { result: { kind: 'unknown', problems: [problem], gzipped: false, textLength: 0 }, records: keep ? [] : undefined, count: 0 };
  }
  if (fd !== undefined && fd !== 0) fs.closeSync(fd);
  const end = parser.end();
  if (end.untrusted?.located) {
    // Gzip damage found: records already read that reach past the point where trust ends are not shown.
    const from = end.untrusted.from;
    let good = 0;
    while (good < ends.length && ends[good] <= from) good++;
    count = good;
    if (keep) keep.length = Math.min(keep.length, good);
  }
  count += end.records.length;
  if (keep) for (const r of end.records) keep.push(recordJson(r));
  const { records: _ignored, ...rest } = end;
  void _ignored;
  return { result: rest, records: keep, count };
}

export async function run(args: string[], io: CliIo): Promise<number> {
  let json = false;
  const files: string[] = [];
  let onlyFiles = false;
  for (const a of args) {
    if (!onlyFiles && a === '--') onlyFiles = true;
    else if (!onlyFiles && (a === '--help' || a === '-h')) {
      io.stdout(HELP);
      return EXIT_OK;
    } else if (!onlyFiles && a === '--json') json = true;
    else if (!onlyFiles && a.startsWith('-') && a !== '-') {
      io.stderr(`cloudtrail-lens records: unknown option '${a}'. Run 'cloudtrail-lens records --help'.\n`);
      return EXIT_USAGE;
    } else files.push(a);
  }
  if (files.length === 0) {
    io.stderr(`cloudtrail-lens records: no files given. Usage: cloudtrail-lens records FILE... [--json]\n`);
    return EXIT_USAGE;
  }
  let errors = false;
  for (const file of files) {
    const { result, records, count } = parseFile(file, io, json);
    if (result.problems.some((p) => p.severity === 'error')) errors = true;
    if (json) {
      const parts = [
        `{"file":${JSON.stringify(file)}`,
        `"kind":${JSON.stringify(result.kind)}`,
        `"records":[${(records ?? []).join(',')}]`,
        `"problems":${JSON.stringify(result.problems.map((p) => ({ severity: p.severity, message: p.message, line: p.line, column: p.column, code: p.code })))}`,
      ];
      if (result.digest) parts.push(`"logFiles":${JSON.stringify(result.digest.logFiles)}`);
      io.stdout(parts.join(',') + '}\n');
    } else {
      const extra = result.kind === 'digest' && result.digest ? `, ${result.digest.logFiles.length} log file${result.digest.logFiles.length === 1 ? "" : "s"} listed` : '';
      io.stdout(`${file}: ${result.kind}, ${count} record${count === 1 ? '' : 's'}${extra}${result.gzipped ? ' (gzip)' : ''}\n`);
      for (const p of result.problems) io.stdout(`${file}:${p.line}:${p.column}: ${p.severity}: ${p.message}\n`);
    }
  }
  return errors ? EXIT_PROBLEMS : EXIT_OK;
}
