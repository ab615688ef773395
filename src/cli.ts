/** Placeholder until the CLI lands. */
process.stdout.write('cloudtrail-lens: not built yet\n');
