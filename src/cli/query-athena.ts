/** `cloudtrail-lens query --athena …`: runs the SQL on Amazon Athena (loaded only when asked for). */
import { bindTableName, createAthenaClient, hasPartitionFilter, runAthena } from '../core/query/athena';
import { QueryError } from '../core/query';
import { CliIo, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE } from './io';
import { printResult } from './query';

export async function runAthenaCli(opts: Map<string, string>, sql: string, format: string, maxRows: number | undefined, io: CliIo): Promise<number> {
  const database = opts.get('--database');
  const table = opts.get('--table');
  if (!database || !table) {
    io.stderr('cloudtrail-lens query: --athena needs --database and --table\n');
    return EXIT_USAGE;
  }
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(table)) {
    io.stderr(`cloudtrail-lens query: --table "${table}" is not a plain table name\n`);
    return EXIT_USAGE;
  }
  const region = opts.get('--region') ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (!region) {
    io.stderr('cloudtrail-lens query: name the Athena Region with --region (or AWS_REGION)\n');
    return EXIT_USAGE;
  }
  const price = opts.has('--price-per-tb') ? Number(opts.get('--price-per-tb')) : 5;
  // The notebook's table is always called "cloudtrail": point that name at the real table.
  const text = bindTableName(sql, database, table);
  if (!hasPartitionFilter(text)) io.stderr('warning: no filter on a partition column (timestamp, region, account): Athena will scan every log file under the table.\n');
  const client = await createAthenaClient(region, opts.get('--profile'), opts.get('--endpoint-url'));
  const ac = new AbortController();
  const onSig = () => ac.abort();
  process.once('SIGINT', onSig);
  try {
    const r = await runAthena(client, { sql: text, database, catalog: opts.get('--catalog'), workgroup: opts.get('--workgroup'), outputLocation: opts.get('--output'), pricePerTb: price, maxRows, signal: ac.signal });
    printResult(r, format, io);
    return EXIT_OK;
  } catch (err) {
    if (err instanceof QueryError) {
      io.stderr(`cloudtrail-lens query: ${err.message}\n`);
      return EXIT_PROBLEMS;
    }
    throw err;
  } finally {
    process.removeListener('SIGINT', onSig);
    client.destroy();
  }
}
