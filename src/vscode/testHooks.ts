/**
 * NP_TEST_HOOKS is replaced at build time (esbuild define): false in dist/extension.js, the bundle
 * that ships, so every recorder guarded by it is removed; true only in the extension-host test
 * build (out/test-extension), whose API hands the recorders to test/suite.
 */
declare global {
  const NP_TEST_HOOKS: boolean;
}

export {};
