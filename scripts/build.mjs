// Bundles the extension host code, the CLI, worker threads and the webview UI with esbuild.
// Type checking is separate (`npm run typecheck`); this step only produces runnable bundles in out/.
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, existsSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const watch = args.has('--watch');

const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  absWorkingDir: root,
  // jsonc-parser's default (UMD) entry loads its parts with a dynamic require that esbuild cannot follow;
  // its ESM build bundles cleanly.
  mainFields: ['module', 'main'],
};

/** Node bundles: extension host, CLI and worker threads. */
const nodeEntries = {
  extension: 'src/extension.ts',
  cli: 'src/cli.ts',
  // The query feature (notebooks' SQL runs, query commands): required by src/query/index.ts on first use, so its
  // code is not parsed at activation. Modules with state (log channel, settings, viewer) come from the extension.
  query: 'src/query/feature.ts',
};
for (const f of existsSync(join(root, 'src/workers')) ? readdirSync(join(root, 'src/workers')) : []) {
  if (f.endsWith('.ts')) nodeEntries[`worker-${f.replace(/\.ts$/, '')}`] = `src/workers/${f}`;
}

/** Browser bundles for webviews: media/<name>/main.ts -> out/media/<name>.js */
const webEntries = {};
for (const d of readdirSync(join(root, 'media'), { withFileTypes: true })) {
  if (d.isDirectory() && existsSync(join(root, 'media', d.name, 'main.ts'))) {
    webEntries[d.name] = `media/${d.name}/main.ts`;
  }
}

/**
 * The AWS SDK is large (~2 MB bundled). The code reaches it only through dynamic `import()`, so it goes into its own
 * ESM bundles under out/aws-sdk/ (shared chunks, loaded on first AWS use) and the extension bundle stays small: parsing
 * it is part of activation time.
 */
const awsModules = {
  'client-cloudtrail': '@aws-sdk/client-cloudtrail',
  'client-s3': '@aws-sdk/client-s3',
  'client-athena': '@aws-sdk/client-athena',
  'client-glue': '@aws-sdk/client-glue',
  'credential-providers': '@aws-sdk/credential-providers',
  'smithy-config': '@smithy/core/config',
};
const awsBySpecifier = new Map(Object.entries(awsModules).map(([file, spec]) => [spec, file]));
const awsExternalPlugin = {
  name: 'aws-sdk-external',
  setup(build) {
    build.onResolve({ filter: /^@(aws-sdk|smithy)\// }, (args) => {
      const file = awsBySpecifier.get(args.path);
      if (!file || args.kind !== 'dynamic-import') return undefined;
      return { path: `./aws-sdk/${file}.mjs`, external: true };
    });
  },
};

const builds = [
  {
    ...common,
    entryPoints: nodeEntries,
    outdir: 'out',
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // DuckDB's binding is a native module in a per-platform npm package: required at run time, never bundled.
    external: ['vscode', '@duckdb/node-api'],
    plugins: [awsExternalPlugin],
  },
  {
    ...common,
    entryPoints: awsModules,
    outdir: 'out/aws-sdk',
    outExtension: { '.js': '.mjs' },
    platform: 'node',
    target: 'node20',
    format: 'esm',
    splitting: true,
    // CommonJS parts of the SDK call require() for Node built-ins; ESM output needs a real require for that.
    banner: { js: "import { createRequire as __ctlCreateRequire } from 'node:module'; const require = __ctlCreateRequire(import.meta.url);" },
  },
  {
    ...common,
    entryPoints: webEntries,
    outdir: 'out/media',
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
  },
];

// Integration tests run inside the extension host; bundled separately and never packaged.
if (!production && existsSync(join(root, 'test/integration/index.ts'))) {
  // Lists every test/integration/*.test.ts for index.ts, so new test files need no registration.
  const { integrationTestsPlugin } = await import('../test/harness/esbuild-tests.mjs');
  builds.push({
    plugins: [integrationTestsPlugin(root)],
    ...common,
    entryPoints: { 'test/index': 'test/integration/index.ts' },
    outdir: 'out',
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['vscode', 'mocha'],
  });
}

function copyAssets() {
  mkdirSync(join(root, 'out/media'), { recursive: true });
  const codicons = join(root, 'node_modules/@vscode/codicons/dist');
  cpSync(join(codicons, 'codicon.css'), join(root, 'out/media/codicon.css'));
  cpSync(join(codicons, 'codicon.ttf'), join(root, 'out/media/codicon.ttf'));
  // Record viewer stylesheet (media/viewer/viewer.css -> out/media/viewer.css).
  cpSync(join(root, 'media/viewer/viewer.css'), join(root, 'out/media/viewer.css'));
  // Terraform support: the tree-sitter runtime and the HCL grammar, loaded from next to the bundle (out/).
  cpSync(join(root, 'node_modules/web-tree-sitter/web-tree-sitter.wasm'), join(root, 'out/web-tree-sitter.wasm'));
  cpSync(join(root, 'node_modules/@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-hcl.wasm'), join(root, 'out/tree-sitter-hcl.wasm'));
}

copyAssets();
if (watch) {
  for (const b of builds) {
    const ctx = await esbuild.context(b);
    await ctx.watch();
  }
  console.log('esbuild: watching…');
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
  // The CLI is an executable script.
  const { chmodSync, readFileSync, writeFileSync } = await import('node:fs');
  const cli = join(root, 'out/cli.js');
  const text = readFileSync(cli, 'utf8');
  if (!text.startsWith('#!')) writeFileSync(cli, '#!/usr/bin/env node\n' + text);
  chmodSync(cli, 0o755);
}
