// The list of integration test files, generated at bundle time by test/harness/esbuild-tests.mjs.
declare module 'cloudtrail-lens:integration-tests' {
  const tests: { file: string; load: () => unknown }[];
  export = tests;
}
