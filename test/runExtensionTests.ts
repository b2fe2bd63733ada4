/**
 * Runs test/suite inside a real VS Code: code-server 1.100.3 loads out/test-extension (this
 * extension built with its test recorders, see esbuild.mjs) as the extension under development
 * (payload extensionDevelopmentPath) and runs out/test/suite/index.js in its Node extension host;
 * Chromium hosts the workbench and receives the exit code.
 * Prints "N passed, N failed" and exits non-zero on failure.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium, newContext, startCodeServer } from './codeServer';
import { testCertificates } from './helpers/squid';
import { REPO_ROOT } from './helpers/dotnetFixtures';
import { createSampleWorkspace } from './helpers/sampleWorkspace';
import { tempDir } from './helpers/temp';

const TIMEOUT_MS = 8 * 60_000;

interface Result {
  readonly title: string;
  readonly state: 'passed' | 'failed' | 'skipped';
  readonly error?: string;
}

async function main(): Promise<number> {
  const workspace = createSampleWorkspace(tempDir('np-ws-'));
  const stateDir = tempDir('np-cs-');
  const resultsFile = join(stateDir, 'results.json');
  // A CA of the tests' own that the extension host trusts through NODE_EXTRA_CA_CERTS (as a user
  // behind TLS inspection sets it), and the feed.test certificate it signed, for the proxy suite.
  const certificates = testCertificates();
  const server = await startCodeServer({
    stateDir, workspace: workspace.folder,
    env: {
      NUGET_PUBLISHER_TEST_RESULTS: resultsFile, NODE_EXTRA_CA_CERTS: certificates.caFile, NP_TEST_TLS_KEY: certificates.keyFile, NP_TEST_TLS_CERT: certificates.certFile,
      ...(process.env.NP_GREP ? { NP_GREP: process.env.NP_GREP } : {}),
    },
    verbose: process.env.NP_VERBOSE === '1',
  });
  const browser = await launchChromium();
  try {
    const page = await (await newContext(browser)).newPage();
    const exited = new Promise<number>((resolve) => {
      void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code));
    });
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
      if (process.env.NP_VERBOSE === '1') {
        console.log(`[vscode ${type}]`, ...args);
      }
    });
    if (process.env.NP_VERBOSE === '1') {
      page.on('console', (message) => console.log(`[browser ${message.type()}] ${message.text()}`));
      page.on('pageerror', (error) => console.log(`[browser pageerror] ${error.message}`));
    }
    const remote = (path: string): string => `vscode-remote://127.0.0.1:${server.port}${path}`;
    const payload = [
      ['extensionDevelopmentPath', remote(join(REPO_ROOT, 'out', 'test-extension'))],
      ['extensionTestsPath', remote(join(REPO_ROOT, 'out', 'test', 'suite', 'index.js'))],
    ];
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace.folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    if (process.env.NP_SHOTS) {
      let shot = 0;
      setInterval(() => {
        const name = `shot-${String(shot++).padStart(3, '0')}`;
        void page.screenshot({ path: join(process.env.NP_SHOTS!, `${name}.png`) }).catch(() => undefined);
        // A string, so this file needs no DOM types: which webview iframes exist and their size.
        void page.evaluate("[...document.querySelectorAll('iframe.webview')].map((f) => f.className + ' ' + Math.round(f.getBoundingClientRect().width) + 'x' + Math.round(f.getBoundingClientRect().height)).join(' | ')")
          .then((text) => console.log(`[${name}] webviews: ${String(text)}`)).catch(() => undefined);
      }, 3000).unref();
    }
    const timeout = new Promise<number>((resolve) => setTimeout(() => resolve(-1), TIMEOUT_MS).unref());
    const code = await Promise.race([exited, timeout]);
    const { results, warnings } = existsSync(resultsFile) ? (JSON.parse(readFileSync(resultsFile, 'utf8')) as { results: Result[]; warnings: string[] }) : { results: [], warnings: [] };
    for (const result of results) {
      console.log(`${result.state === 'passed' ? 'ok' : result.state === 'skipped' ? 'ok # SKIP' : 'not ok'} - ${result.title}`);
      if (result.error) {
        console.log(result.error.split('\n').map((line) => `    ${line}`).join('\n'));
      }
    }
    const passed = results.filter((result) => result.state === 'passed').length;
    const skipped = results.filter((result) => result.state === 'skipped').length;
    const failed = results.length - passed - skipped;
    if (code === -1) {
      console.log(`extension-host tests timed out after ${TIMEOUT_MS / 1000} s`);
    }
    for (const warning of warnings) {
      console.log(`warning: ${warning}`);
    }
    console.log(`extension-host: ${passed} passed, ${failed} failed, ${skipped} skipped, ${warnings.length} warnings`);
    return code === 0 && failed === 0 && passed > 0 ? 0 : 1;
  } finally {
    await browser.close();
    await server.stop();
  }
}

main().then((code) => process.exit(code), (error: unknown) => {
  console.error(error);
  process.exit(1);
});
