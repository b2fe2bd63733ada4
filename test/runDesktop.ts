/**
 * The same extension-host suite in desktop VS Code through @vscode/test-electron
 * (`npm run test:desktop`; needs internet to download VS Code, so it is not part of `npm test`).
 */
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { REPO_ROOT } from './helpers/dotnetFixtures';
import { createSampleWorkspace } from './helpers/sampleWorkspace';
import { tempDir } from './helpers/temp';

async function main(): Promise<void> {
  const workspace = createSampleWorkspace(tempDir('np-desktop-ws-'));
  await runTests({
    version: '1.100.3',
    extensionDevelopmentPath: join(REPO_ROOT, 'out', 'test-extension'),
    extensionTestsPath: join(REPO_ROOT, 'out', 'test', 'suite', 'index.js'),
    launchArgs: [workspace.folder, '--disable-extensions', '--disable-workspace-trust'],
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
