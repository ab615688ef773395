/**
 * `cloudtrail-lens match SELECTORS LOGFILE... [--json]` — the selector dry run: which records of the log
 * files each advanced selector would log (AND inside a selector, OR across selectors), and which none would.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseBytes } from '../core/records';
import { analyze, dryRun, selectorsFromText, type AdvancedSelectorLike } from '../core/selectors';
import { EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, readFileCapped, type CliIo } from './io';

const HELP = `Usage: cloudtrail-lens match SELECTORS LOGFILE... [--target trail|event-data-store] [--json] [--show N]

Evaluates the advanced event selectors in SELECTORS (basic selectors are converted first) over the records
of each CloudTrail LOGFILE (.json, .json.gz, JSON Lines, lookup-events output…) and reports how many
records each selector would log and which records no selector logs.

  --json      One JSON object: {"selectors":[{"index","name","count"}],"total","logged","notLogged":[…]}.
  --show N    List up to N records that would not be logged (default 20; text output only).
`;

const MAX_BYTES = 512 * 1024 * 1024;

interface Row {
  file: string;
  index: number;
  event: Record<string, unknown>;
}

function describe(e: Record<string, unknown>): string {
  const s = (k: string) => (typeof e[k] === 'string' ? (e[k] as string) : '');
  return [s('eventTime'), s('eventSource'), s('eventName'), s('eventCategory') || '(no eventCategory)'].filter(Boolean).join('  ');
}

export async function run(args: string[], io: CliIo): Promise<number> {
  const positional: string[] = [];
  let json = false;
  let show = 20;
  let target: 'trail' | 'event-data-store' | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--help' || a === '-h') {
      io.stdout(HELP);
      return EXIT_OK;
    } else if (a === '--json') json = true;
    else if (a === '--show') {
      const n = Number(args[++i]);
      if (!Number.isInteger(n) || n < 0) {
        io.stderr('cloudtrail-lens match: --show needs a whole number.\n');
        return EXIT_USAGE;
      }
      show = n;
    } else if (a === '--target') {
      const v = args[++i];
      if (v !== 'trail' && v !== 'event-data-store') {
        io.stderr('cloudtrail-lens match: --target must be trail or event-data-store.\n');
        return EXIT_USAGE;
      }
      target = v;
    } else if (a.startsWith('-') && a !== '-') {
      io.stderr(`cloudtrail-lens match: unknown option '${a}'. Run 'cloudtrail-lens match --help'.\n`);
      return EXIT_USAGE;
    } else positional.push(a);
  }
  if (positional.length < 2) {
    io.stderr('cloudtrail-lens match: give a SELECTORS file and at least one LOGFILE.\n\n' + HELP);
    return EXIT_USAGE;
  }
  const [selFile, ...logFiles] = positional;
  let failed = false;

  let selectors: AdvancedSelectorLike[];
  try {
    const text = fs.readFileSync(path.resolve(io.cwd, selFile), 'utf8');
    const a = analyze(text, { fileName: path.basename(selFile).endsWith('.selectors.json') ? path.basename(selFile) : 'selectors.selectors.json', target });
    const errors = a.diagnostics.filter((d) => d.severity === 'error');
    for (const d of errors) io.stderr(`${selFile}:${d.line}:${d.column}: error: ${d.message} [${d.code}]\n`);
    if (errors.length) {
      io.stderr(`cloudtrail-lens match: ${selFile} has ${errors.length} error(s); CloudTrail would refuse these selectors. The dry run below shows what they would do if it accepted them.\n`);
      failed = true;
    }
    const r = selectorsFromText(text, 'selectors.selectors.json');
    selectors = r.selectors;
    if (r.basic) io.stderr(`cloudtrail-lens match: ${selFile} holds basic selectors; evaluating their advanced equivalents.\n`);
    if (!selectors.length) {
      io.stderr(`cloudtrail-lens match: no selectors found in ${selFile}.\n`);
      return EXIT_PROBLEMS;
    }
  } catch (e) {
    io.stderr(`cloudtrail-lens match: cannot read ${selFile}: ${(e as Error).message}\n`);
    return EXIT_PROBLEMS;
  }

  const rows: Row[] = [];
  for (const file of logFiles) {
    try {
      const full = path.resolve(io.cwd, file);
      const result = parseBytes(readFileCapped(full, MAX_BYTES), path.basename(file));
      for (const p of result.problems) {
        if (p.severity === 'error') failed = true;
        io.stderr(`${file}:${p.line}:${p.column}: ${p.severity}: ${p.message}\n`);
      }
      for (const r of result.records) rows.push({ file, index: r.index, event: r.event as Record<string, unknown> });
    } catch (e) {
      failed = true;
      io.stderr(`cloudtrail-lens match: cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}\n`);
    }
  }

  const summary = dryRun(selectors, rows.map((r) => r.event));
  if (json) {
    io.stdout(JSON.stringify({
      selectors: summary.perSelector.map((s) => ({ index: s.index, name: s.name ?? null, count: s.count })),
      total: summary.total,
      logged: summary.logged,
      notLogged: summary.notLogged.map((i) => ({ file: rows[i].file, index: rows[i].index, eventName: rows[i].event.eventName ?? null, eventSource: rows[i].event.eventSource ?? null })),
    }) + '\n');
  } else {
    io.stdout(`${summary.total} record(s) in ${logFiles.length} file(s); ${summary.logged} would be logged, ${summary.notLogged.length} would not.\n`);
    for (const s of summary.perSelector) {
      io.stdout(`  selector ${s.index + 1}${s.name ? ` (${s.name})` : ''}: ${s.count} record(s)\n`);
    }
    if (summary.notLogged.length && show > 0) {
      io.stdout('Not logged:\n');
      for (const i of summary.notLogged.slice(0, show)) io.stdout(`  ${rows[i].file}#${rows[i].index + 1}  ${describe(rows[i].event)}\n`);
      if (summary.notLogged.length > show) io.stdout(`  … and ${summary.notLogged.length - show} more (use --show N or --json)\n`);
    }
  }
  return failed ? EXIT_PROBLEMS : EXIT_OK;
}
