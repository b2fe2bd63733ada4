// Two builds: the extension + CLI (cjs, node, `vscode` external) and the webview (esm, browser).
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, rmSync } from 'node:fs';

const watch = process.argv.includes('--watch');
// Every build is what ships: minified, with external source maps (never on the start path; node
// reads them only with --enable-source-maps). `--watch` keeps names readable while developing.
const minify = !watch;

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
};

const builds = [
  { ...node, entryPoints: { extension: 'src/extension.ts' }, outdir: 'dist' },
  // The CLI: a tiny entry that picks a bundle per verb (src/cli.ts), the full CLI, and the quick
  // `inspect` bundle that loads only the package reader (see src/cli/inspectMain.ts).
  { ...node, entryPoints: { cli: 'src/cli.ts' }, outdir: 'dist', external: ['./cli-main.js', './cli-inspect.js'] },
  { ...node, entryPoints: { 'cli-main': 'src/cli/main.ts', 'cli-inspect': 'src/cli/inspectMain.ts' }, outdir: 'dist' },
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
}
