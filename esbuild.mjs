// Two builds: the extension + CLI (cjs, node, `vscode` external) and the webview (esm, browser).
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, rmSync } from 'node:fs';

const watch = process.argv.includes('--watch');
// Every build is what ships: minified, with external source maps (never on the start path; node
// reads them only with --enable-source-maps). `--watch` keeps names readable while developing.
const minify = !watch;

/**
 * The signature reader (asn1js and the CMS/X.509 walk, about 80 kB) is its own file,
 * dist/core-signatures.js, required only when a package carries a signature: the extension and
 * the CLI start without it (src/core/nupkg/packageSignature.ts imports './signatures' lazily).
 * @type {esbuild.Plugin}
 */
const lazySignatures = {
  name: 'lazy-signatures',
  setup(build) {
    build.onResolve({ filter: /^\.\/signatures$/ }, (args) => (args.importer.endsWith('packageSignature.ts') ? { path: './core-signatures.js', external: true } : undefined));
  },
};

/** @type {esbuild.BuildOptions} */
const node = {
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  bundle: true,
  sourcemap: 'linked',
  minify,
  external: ['vscode'],
  logLevel: 'warning',
  plugins: [lazySignatures],
  // import() of the lazy parts becomes require(): the same in the extension host and in the CLI.
  supported: { 'dynamic-import': false },
};

/** The extension-host tests load this copy of the extension: the same bundle with its test recorders. */
const TEST_EXTENSION = 'out/test-extension';

const builds = [
  // NP_TEST_HOOKS (src/vscode/testHooks.ts): false here, so the recorders are not in what ships.
  { ...node, entryPoints: { extension: 'src/extension.ts' }, outdir: 'dist', define: { NP_TEST_HOOKS: 'false' } },
  // Package health and API diffs run on a worker thread in the extension (src/core/analysisWorkerClient.ts).
  { ...node, entryPoints: { analysisWorker: 'src/core/analysisWorker.ts' }, outdir: 'dist' },
  // The CLI: a tiny entry that picks a bundle per verb (src/cli.ts), the full CLI, and the quick
  // `inspect` bundle that loads only the package reader (see src/cli/inspectMain.ts).
  { ...node, entryPoints: { cli: 'src/cli.ts' }, outdir: 'dist', external: ['./cli-main.js', './cli-inspect.js'] },
  { ...node, entryPoints: { 'cli-main': 'src/cli/main.ts', 'cli-inspect': 'src/cli/inspectMain.ts', 'core-signatures': 'src/core/nupkg/signatures.ts' }, outdir: 'dist' },
  {
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    bundle: true,
    sourcemap: 'linked',
    minify,
    entryPoints: { inspector: 'webview/inspector/main.ts', keys: 'webview/keys/main.ts' },
    outdir: 'dist/webview',
    logLevel: 'warning',
  },
];

function copyAssets() {
  mkdirSync('dist/webview', { recursive: true });
  cpSync('node_modules/@vscode/codicons/dist/codicon.css', 'dist/webview/codicon.css');
  cpSync('node_modules/@vscode/codicons/dist/codicon.ttf', 'dist/webview/codicon.ttf');
}

/** out/test-extension: package.json, media and the webviews as shipped, and the extension with NP_TEST_HOOKS. */
async function buildTestExtension() {
  rmSync(TEST_EXTENSION, { recursive: true, force: true });
  await esbuild.build({ ...node, entryPoints: { extension: 'src/extension.ts' }, outdir: `${TEST_EXTENSION}/dist`, define: { NP_TEST_HOOKS: 'true' } });
  cpSync('package.json', `${TEST_EXTENSION}/package.json`);
  cpSync('media', `${TEST_EXTENSION}/media`, { recursive: true });
  cpSync('dist/webview', `${TEST_EXTENSION}/dist/webview`, { recursive: true });
  cpSync('dist/core-signatures.js', `${TEST_EXTENSION}/dist/core-signatures.js`);
  cpSync('dist/analysisWorker.js', `${TEST_EXTENSION}/dist/analysisWorker.js`);
}

if (watch) {
  copyAssets();
  for (const options of builds) {
    const context = await esbuild.context(options);
    await context.watch();
  }
  console.log('[esbuild] watching');
} else {
  rmSync('dist', { recursive: true, force: true });
  await Promise.all(builds.map((options) => esbuild.build(options)));
  copyAssets();
  await buildTestExtension();
}
