/**
 * `cloudtrail-lens` command-line entry point: a small dispatcher over a command table. Each command lives in
 * src/cli/<name>.ts and exports `run(args, io)`; add a row to COMMANDS to register one.
 */
import { CliCommand, CliIo, EXIT_USAGE, processIo, runGuarded } from './cli/io';
import * as records from './cli/records';
import * as validate from './cli/validate';

interface CommandEntry {
  summary: string;
  load: () => CliCommand | undefined;
}

// Commands owned by other modules are required inside try/catch: esbuild then bundles them when they exist and
// leaves a harmless runtime failure when they do not, so one missing command cannot break the others.
/* eslint-disable @typescript-eslint/no-require-imports */
const COMMANDS: Record<string, CommandEntry> = {
  records: { summary: 'Read CloudTrail files and list their records and problems', load: () => records },
  validate: { summary: 'Prove downloaded log files are untouched (digest chain, hashes, signatures)', load: () => validate },
  lint: {
    summary: 'Check advanced event selectors',
    load: () => {
      try {
        return require('./cli/lint') as CliCommand;
      } catch {
        return undefined;
      }
    },
  },
  query: {
    summary: 'SQL over CloudTrail logs (DuckDB for local folders, Athena for S3)',
    load: () => {
      try {
        return require('./cli/query') as CliCommand;
      } catch {
        return undefined;
      }
    },
  },
  match: {
    summary: 'Dry-run advanced event selectors against records',
    load: () => {
      try {
        return require('./cli/match') as CliCommand;
      } catch {
        return undefined;
      }
    },
  },
};
/* eslint-enable @typescript-eslint/no-require-imports */

declare const CLI_VERSION: string | undefined;

function version(): string {
  if (typeof CLI_VERSION === 'string') return CLI_VERSION;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('../package.json') as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

function usage(): string {
  const rows = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return [
    'Usage: cloudtrail-lens <command> [options]',
    '',
    'Commands:',
    ...rows,
    '',
    'Options:',
    '  --help       Show help (also: cloudtrail-lens <command> --help)',
    '  --version    Show the version',
    '',
    'Exit codes: 0 no errors, 1 errors were found (or an internal error), 2 usage error.',
    '',
  ].join('\n');
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    if (cmd === 'help' && rest[0] && COMMANDS[rest[0]]) return main([rest[0], '--help'], io);
    (cmd === undefined ? io.stderr : io.stdout)(usage());
    return cmd === undefined ? EXIT_USAGE : 0;
  }
  if (cmd === '--version' || cmd === '-V') {
    io.stdout(version() + '\n');
    return 0;
  }
  const entry = Object.prototype.hasOwnProperty.call(COMMANDS, cmd) ? COMMANDS[cmd] : undefined;
  if (!entry) {
    io.stderr(`cloudtrail-lens: unknown command '${cmd}'. Run 'cloudtrail-lens --help' for the list of commands.\n`);
    return EXIT_USAGE;
  }
  const mod = entry.load();
  if (!mod || typeof mod.run !== 'function') {
    io.stderr(`cloudtrail-lens: the '${cmd}' command is not available in this build.\n`);
    return EXIT_USAGE;
  }
  return mod.run(rest, io);
}

if (require.main === module) {
  const io = processIo();
  // Only 0, 1 and 2 are exit codes of this tool (see usage): an internal error ends with 1 and a message.
  void runGuarded(() => main(process.argv.slice(2), io), io).then((code) => {
    process.exitCode = code;
  });
}
