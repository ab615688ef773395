// esbuild plugin for the integration-test bundle: the import 'cloudtrail-lens:integration-tests' becomes a list of
// every test/integration/*.test.ts (sorted), each loaded lazily so the runner can pick files by name. New test
// files need no registration anywhere; in --watch mode esbuild re-lists the folder when a file is added.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export const TESTS_MODULE = 'cloudtrail-lens:integration-tests';

export function integrationTestsPlugin(root) {
  const dir = join(root, 'test', 'integration');
  return {
    name: 'cloudtrail-lens-integration-tests',
    setup(build) {
      build.onResolve({ filter: /^cloudtrail-lens:integration-tests$/ }, () => ({ path: 'list', namespace: 'ctl-tests' }));
      build.onLoad({ filter: /.*/, namespace: 'ctl-tests' }, () => {
        const files = readdirSync(dir).filter((f) => f.endsWith('.test.ts')).sort();
        const entries = files.map(
          (f) => `  { file: ${JSON.stringify(`test/integration/${f}`)}, load: () => require(${JSON.stringify(join(dir, f))}) },`,
        );
        return { contents: `module.exports = [\n${entries.join('\n')}\n];\n`, loader: 'js', resolveDir: dir, watchDirs: [dir] };
      });
    },
  };
}
