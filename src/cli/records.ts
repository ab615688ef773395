/**
 * `cloudtrail-lens records FILE... [--json]`: reads CloudTrail files (any shape the core understands, gzip or
 * not) and prints what each file is, how many records it has and its problems.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CloudTrailRecord, DEFAULT_MAX_VALUE, ParseResult, Problem, StreamingParser, stringifyJson } from '../core/records';
import { minifyJson } from '../core/json';
import { CliIo, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE } from './io';

export const HELP = `Usage: cloudtrail-lens records FILE... [--json] [--max-value-mb N]

Reads CloudTrail files and reports, for each one, what it is, how many records it
holds and any problems. Understood shapes (detected from the content, gzip too):
CloudTrail log files {"Records": [...]}, a single event, a JSON array of events,
JSON Lines, saved "aws cloudtrail lookup-events" output, the console's Event
history JSON download, digest files, and the legacy AWS IoT example shape.
Use "-" as FILE to read standard input.

Options:
  --json     Print one JSON object per file (one per line):
             {"file", "records": [...], "kind", "problems": [...], "logFiles"?}
             Records are written as they are read (memory does not grow with
             the file), each with the text its numbers had in the file (0.0
             stays 0.0, long numbers keep every digit).
  --max-value-mb N
             Skip (with an error problem) any record, JSON Lines line or
             single event larger than N MB; its text is not kept in memory.
             Default ${DEFAULT_MAX_VALUE / 1048576}.
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
  count: number;
}

/** Receives each batch of records as soon as the parser hands it out. */
type Sink = (records: CloudTrailRecord[]) => void;

function readInto(parser: StreamingParser, fd: number, sink: Sink | undefined): number {
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
    let recs = parser.push(buf.subarray(0, n));
    count += recs.length;
    if (sink && recs.length) sink(recs);
    // Decided already (e.g. binary data): stop reading, so an endless input such as /dev/zero ends.
    if (parser.finished) break;
    // Compressed input the parser queued (it inflates a bounded amount per push).
    while (parser.backlog) {
      recs = parser.push(new Uint8Array(0));
      count += recs.length;
      if (sink && recs.length) sink(recs);
    }
  }
  return count;
}

function parseFile(file: string, io: CliIo, sink: Sink | undefined, maxValueSize: number): FileOutcome {
  try {
    return parseFileUnguarded(file, io, sink, maxValueSize);
  } catch (e) {
    // A bug must not end the run (nor exit with a code other than 0, 1, 2): this file gets an error problem.
    const problem: Problem = {
      severity: 'error',
      message: `Internal error while reading this file (${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}). Please report it; the other files were read.`,
      line: 1,
      column: 1,
      code: 'internal-error',
    };
    return { result: { kind: 'unknown', problems: [problem], gzipped: false, textLength: 0 }, count: 0 };
  }
}

function parseFileUnguarded(file: string, io: CliIo, sink: Sink | undefined, maxValueSize: number): FileOutcome {
  const parser = new StreamingParser({ fileName: file, maxValueSize });
  let fd: number | undefined;
  let count = 0;
  const held: CloudTrailRecord[] = [];
  const ends: number[] = [];
  try {
    if (file === '-') fd = 0;
    else {
      const full = path.resolve(io.cwd, file);
      if (fs.statSync(full).isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
      fd = fs.openSync(full, 'r');
    }
    // A gzip's records are held until its end: if the stream turns out damaged, those decoded past the point
    // where trust ends must not be printed (plain text streams straight through).
    const head = Buffer.alloc(2);
    const gzip = fd !== 0 && fs.readSync(fd, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b;
    const hold: Sink = (recs) => {
      for (const r of recs) {
        ends.push(r.range.endOffset);
        if (sink) held.push(r);
      }
    };
    count = readInto(parser, fd, gzip ? hold : sink);
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
    return { result: { kind: 'unknown', problems: [problem], gzipped: false, textLength: 0 }, count: 0 };
  }
  if (fd !== undefined && fd !== 0) fs.closeSync(fd);
  const end = parser.end();
  if (end.untrusted?.located) {
    // Gzip damage found: records already read that reach past the point where trust ends are not shown.
    const from = end.untrusted.from;
    let good = 0;
    while (good < ends.length && ends[good] <= from) good++;
    count = good;
    held.length = Math.min(held.length, good);
  }
  count += end.records.length;
  if (sink && held.length + end.records.length) sink(held.concat(end.records));
  const { records: _ignored, ...rest } = end;
  void _ignored;
  return { result: rest, count };
}

export async function run(args: string[], io: CliIo): Promise<number> {
  let json = false;
  const files: string[] = [];
  let onlyFiles = false;
  let maxValueSize = DEFAULT_MAX_VALUE;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!onlyFiles && (a === '--max-value-mb' || a.startsWith('--max-value-mb='))) {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : args[++i];
      const n = Number(v);
      if (v === undefined || !Number.isFinite(n) || n < 0.01 || n > 256) {
        io.stderr(`cloudtrail-lens records: --max-value-mb takes a number of MB between 0.01 and 256, not '${v ?? ''}'.\n`);
        return EXIT_USAGE;
      }
      maxValueSize = Math.round(n * 1048576);
    } else if (!onlyFiles && a === '--') onlyFiles = true;
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
    let sink: Sink | undefined;
    if (json) {
      // The kind is only final at the end of the file, so the records come first and are written as they are read.
      io.stdout(`{"file":${JSON.stringify(file)},"records":[`);
      let first = true;
      sink = (recs) => {
        let out = '';
        for (const r of recs) {
          out += (first ? '' : ',') + recordJson(r);
          first = false;
        }
        io.stdout(out);
      };
    }
    const { result, count } = parseFile(file, io, sink, maxValueSize);
    if (result.problems.some((p) => p.severity === 'error')) errors = true;
    if (json) {
      const parts = [
        `]`,
        `"kind":${JSON.stringify(result.kind)}`,
        `"problems":${JSON.stringify(result.problems.map((p) => ({ severity: p.severity, message: p.message, line: p.line, column: p.column, code: p.code })))}`,
      ];
      if (result.digest) parts.push(`"logFiles":${JSON.stringify(result.digest.logFiles)}`);
      io.stdout(parts[0] + ',' + parts.slice(1).join(',') + '}\n');
    } else {
      const extra = result.kind === 'digest' && result.digest ? `, ${result.digest.logFiles.length} log file${result.digest.logFiles.length === 1 ? "" : "s"} listed` : '';
      io.stdout(`${file}: ${result.kind}, ${count} record${count === 1 ? '' : 's'}${extra}${result.gzipped ? ' (gzip)' : ''}\n`);
      for (const p of result.problems) io.stdout(`${file}:${p.line}:${p.column}: ${p.severity}: ${p.message}\n`);
    }
  }
  return errors ? EXIT_PROBLEMS : EXIT_OK;
}
