#!/usr/bin/env node
// `npm start`: install what is missing, build, package the extension, install it into a local
// code-server (a real VS Code in the browser), create a sample workspace, and serve it on
// 127.0.0.1. Prints the URL; Ctrl+C stops it. PORT=8080 by default.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const require = createRequire(import.meta.url);

function step(label, command, args) {
  console.log(`[start] ${label}`);
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`[start] ${label} failed (exit ${result.status})`);
    process.exit(1);
  }
}

const installed = join(root, 'node_modules', '.package-lock.json');
if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(join(root, 'package-lock.json')).mtimeMs) {
  step('npm ci', 'npm', ['ci', '--no-audit', '--no-fund']);
}
step('real VS Code (code-server) and Chromium', 'bash', ['scripts/setup-vscode.sh']);
step('build', process.execPath, ['esbuild.mjs']);
step('compile helpers', 'npm', ['run', '--silent', 'compile-tests']);

const { startCodeServer } = require(join(root, 'out', 'test', 'codeServer.js'));
const { installVsix } = require(join(root, 'out', 'test', 'e2e', 'harness.js'));
const { createSampleWorkspace } = require(join(root, 'out', 'test', 'helpers', 'sampleWorkspace.js'));

// Outside the clone: a workspace inside a Git repository makes VS Code offer that repository
// ("A git repository was found in the parent folders") on the first screen.
const sample = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'nuget-publisher', 'sample');
const stateDir = join(sample, 'code-server');
const workspaceDir = join(sample, 'workspace');
mkdirSync(workspaceDir, { recursive: true });
console.log('[start] sample workspace (packages made by dotnet pack, hostile packages, a .nuspec)');
createSampleWorkspace(workspaceDir);
console.log('[start] packaging and installing the extension (.vsix)');
installVsix(stateDir);
// A local folder feed that needs nothing (no server, no key), next to nuget.org.
const feed = join(sample, 'local-feed');
mkdirSync(feed, { recursive: true });
const settings = {
  // A newcomer's first screen: the walkthrough (opened by the extension on its first run) and the
  // sample workspace's README, not the quiet workbench the tests use.
  'workbench.startupEditor': 'readme',
  'nugetPublisher.walkthrough.openOnFirstRun': true,
  'git.openRepositoryInParentFolders': 'never',
  'nugetPublisher.feeds': [
    { name: 'nuget.org', source: 'https://api.nuget.org/v3/index.json', kind: 'nuget.org' },
    { name: 'Local feed', source: feed, kind: 'folder' },
  ],
};
const port = Number(process.env.PORT ?? 8080);
const server = await startCodeServer({ stateDir, workspace: workspaceDir, port, settings });
console.log(`\nNuGet Publisher is running in VS Code at:\n\n  ${server.url}/?folder=${encodeURIComponent(workspaceDir)}\n\nOpen packages/Contoso.Utils.1.2.3-beta.1.nupkg to inspect it; "NuGet: Publish package" to the\nfolder feed "Local feed" (${feed}) needs no key. The NuGet icon in the activity bar shows the feeds.\nCtrl+C stops the server.`);
const stop = async () => {
  await server.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
setInterval(() => undefined, 1 << 30);
