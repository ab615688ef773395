/**
 * `cloudtrail-lens query PATH... --sql "…" [--format table|json|csv]`: SQL over the `cloudtrail` table, on
 * embedded DuckDB for local files and folders, or on Amazon Athena with --athena.
 */
import { DuckQueryEngine, formatCsv, formatJson, formatTable, QUERY_LIBRARY, QueryError, QueryResult, renderQuery, summaryLine } from '../core/query';
import { CliIo, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE } from './io';

export const HELP = `Usage: cloudtrail-lens query PATH... --sql "SQL" [--format table|json|csv]
       cloudtrail-lens query --athena --database D --table T [--workgroup W]
                             [--output s3://…] [--region R] [--profile P] --sql "SQL"
       cloudtrail-lens query --library [ID]

Runs SQL over a table named "cloudtrail" with the columns of AWS's documented
Athena table for CloudTrail (eventtime, eventname, useridentity.arn, …) plus the
partition columns account, region and timestamp (yyyy/MM/dd) and "$path".

Local PATHs (folders in the AWSLogs layout, log files, JSON Lines or other
exports) are read with embedded DuckDB. Bounds on eventtime in the SQL (>=, <,
BETWEEN with ISO strings) make it read only the files delivered in that range;
--from/--to set them explicitly.

Options:
  --sql SQL          The query (or --sql-file FILE).
  --query ID         A query from the built-in library (see --library); --param name=value fills its parameters.
  --format F         table (default), json (one object per line) or csv.
  --from/--to ISO    Only read files that can hold events in this range.
  --max-rows N       Rows returned at most (default 10000).
  --memory-limit M   DuckDB memory limit, e.g. 2GB.    --threads N   DuckDB threads.
  --temp-dir DIR     Where DuckDB spills and normalised copies go.
  --cache-dir DIR    Read folders through a Parquet cache kept in DIR (built on the first query, refreshed
                     when files are added, changed or removed; delete DIR to remove it).
  --athena           Run on Athena (needs --database and --table; --workgroup, --output, --region, --profile,
                     --endpoint-url, --price-per-tb USD).
  --library          List the investigation queries (with ID: print its SQL).

Exit codes: 0 ok, 1 the query failed, 2 usage error.
`;

interface Args {
  paths: string[];
  opts: Map<string, string>;
  flags: Set<string>;
  params: Record<string, string>;
}

const VALUED = new Set(['--sql', '--sql-file', '--format', '--from', '--to', '--max-rows', '--memory-limit', '--threads', '--temp-dir', '--cache-dir', '--database', '--table', '--workgroup', '--output', '--region', '--profile', '--endpoint-url', '--price-per-tb', '--query', '--catalog']);

function parse(argv: string[]): Args | string {
  const a: Args = { paths: [], opts: new Map(), flags: new Set(), params: {} };
  for (let i = 0; i < argv.length; i++) {
    const x = argv[i];
    if (x === '--param') {
      const v = argv[++i];
      const eq = v?.indexOf('=') ?? -1;
      if (!v || eq < 1) return '--param takes name=value';
      a.params[v.slice(0, eq)] = v.slice(eq + 1);
    } else if (VALUED.has(x)) {
      const v = argv[++i];
      if (v === undefined) return `${x} needs a value`;
      a.opts.set(x, v);
    } else if (x.startsWith('--') && x.includes('=') && VALUED.has(x.slice(0, x.indexOf('=')))) {
      a.opts.set(x.slice(0, x.indexOf('=')), x.slice(x.indexOf('=') + 1));
    } else if (x === '--athena' || x === '--library' || x === '--help' || x === '-h') {
      a.flags.add(x);
    } else if (x.startsWith('--')) {
      return `unknown option ${x}`;
    } else {
      a.paths.push(x);
    }
  }
  return a;
}

export function printResult(r: QueryResult, format: string, io: CliIo): void {
  if (format === 'json') io.stdout(formatJson(r));
  else if (format === 'csv') io.stdout(formatCsv(r));
  else io.stdout(formatTable(r));
  for (const w of r.warnings) io.stderr(`warning: ${w}\n`);
  io.stderr(summaryLine(r) + '\n');
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  const a = parse(argv);
  if (typeof a === 'string') {
    io.stderr(`cloudtrail-lens query: ${a}\n\n${HELP}`);
    return EXIT_USAGE;
  }
  if (a.flags.has('--help') || a.flags.has('-h')) {
    io.stdout(HELP);
    return EXIT_OK;
  }
  const engineName = a.flags.has('--athena') ? 'athena' : 'duckdb';
  if (a.flags.has('--library')) {
    const id = a.paths[0];
    if (id) {
      const lq = QUERY_LIBRARY.find((x) => x.id === id);
      if (!lq) {
        io.stderr(`cloudtrail-lens query: no library query '${id}'\n`);
        return EXIT_USAGE;
      }
      io.stdout(`-- ${lq.title}: ${lq.purpose}\n${renderQuery(lq, engineName, a.params)}\n`);
    } else {
      for (const lq of QUERY_LIBRARY) io.stdout(`${lq.id.padEnd(28)} ${lq.purpose}\n`);
    }
    return EXIT_OK;
  }
  let sql = a.opts.get('--sql');
  if (a.opts.has('--sql-file')) {
    const fs = await import('node:fs');
    const path = await import('node:path');
    try {
      sql = fs.readFileSync(path.resolve(io.cwd, a.opts.get('--sql-file')!), 'utf8');
    } catch (err) {
      io.stderr(`cloudtrail-lens query: cannot read ${a.opts.get('--sql-file')}: ${err instanceof Error ? err.message : String(err)}\n`);
      return EXIT_USAGE;
    }
  }
  if (a.opts.has('--query')) {
    const lq = QUERY_LIBRARY.find((x) => x.id === a.opts.get('--query'));
    if (!lq) {
      io.stderr(`cloudtrail-lens query: no library query '${a.opts.get('--query')}' (see --library)\n`);
      return EXIT_USAGE;
    }
    sql = renderQuery(lq, engineName, a.params);
  }
  if (!sql) {
    io.stderr(`cloudtrail-lens query: give the query with --sql, --sql-file or --query\n\n${HELP}`);
    return EXIT_USAGE;
  }
  const format = a.opts.get('--format') ?? 'table';
  if (!['table', 'json', 'csv'].includes(format)) {
    io.stderr(`cloudtrail-lens query: --format takes table, json or csv\n`);
    return EXIT_USAGE;
  }
  const maxRows = a.opts.has('--max-rows') ? Number(a.opts.get('--max-rows')) : undefined;
  if (maxRows !== undefined && !(Number.isInteger(maxRows) && maxRows > 0)) {
    io.stderr(`cloudtrail-lens query: --max-rows takes a positive whole number\n`);
    return EXIT_USAGE;
  }
  if (engineName === 'athena') {
    const { runAthenaCli } = await import('./query-athena');
    return runAthenaCli(a.opts, sql, format, maxRows, io);
  }
  if (a.paths.length === 0) {
    io.stderr(`cloudtrail-lens query: name at least one PATH (a log folder or file)\n`);
    return EXIT_USAGE;
  }
  const pathMod = await import('node:path');
  const threads = a.opts.has('--threads') ? Number(a.opts.get('--threads')) : undefined;
  const cacheDir = a.opts.get('--cache-dir');
  const engine = new DuckQueryEngine({ memoryLimit: a.opts.get('--memory-limit'), threads, tempDirectory: a.opts.get('--temp-dir'), cacheDirectory: cacheDir ? pathMod.resolve(io.cwd, cacheDir) : undefined });
  const range = a.opts.has('--from') || a.opts.has('--to') ? { from: a.opts.get('--from'), to: a.opts.get('--to') } : undefined;
  try {
    const r = await engine.query({ paths: a.paths.map((p) => pathMod.resolve(io.cwd, p)), sql, range, maxRows, cache: !!cacheDir });
    printResult(r, format, io);
    return EXIT_OK;
  } catch (err) {
    if (err instanceof QueryError) {
      const at = err.line ? ` (line ${err.line}, column ${err.column})` : '';
      io.stderr(`cloudtrail-lens query: ${err.message}${at}\n`);
      return EXIT_PROBLEMS;
    }
    throw err;
  } finally {
    engine.close();
  }
}
