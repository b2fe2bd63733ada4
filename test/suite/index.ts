/**
 * Extension-host test entry (the `run(): Promise<void>` contract of @vscode/test-electron and of
 * VS Code's extensionTestsPath). Runs every *.test.js beside it with mocha and, when
 * NUGET_PUBLISHER_TEST_RESULTS is set, writes the results there (the browser-hosted runner
 * reads them, since the extension host's console goes nowhere visible).
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import { dismissEverything, EXTENSION_ID, warnings } from './helpers';
import type { ExtensionApi } from '../../src/extension';

interface Result {
  readonly title: string;
  readonly state: 'passed' | 'failed' | 'skipped';
  readonly error?: string;
  readonly ms?: number;
}

export async function run(): Promise<void> {
  // Until a suite says otherwise, every question of the extension is dismissed: a real modal
  // dialog would wait for a click that never comes.
  const api = await vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID)?.activate();
  if (!api) {
    throw new Error('the extension under test returned no test API: is this the test build (out/test-extension)?');
  }
  dismissEverything(api);
  // NP_GREP=text runs only the tests whose title contains it (quicker local iterations).
  const mocha = new Mocha({ ui: 'tdd', timeout: 180_000, color: false, reporter: 'spec', ...(process.env.NP_GREP ? { grep: process.env.NP_GREP } : {}) });
  // The keys panel suite first: in code-server every webview shares one origin, and a webview
  // panel opened after other webviews came and went can wait forever for a service worker
  // ("Waiting for controllerchange"); opened first it loads every time (see README, Known issues).
  const first = (name: string): number => (name === 'keys.test.js' ? 0 : 1);
  for (const file of readdirSync(__dirname).filter((name) => name.endsWith('.test.js')).sort((a, b) => first(a) - first(b) || a.localeCompare(b))) {
    mocha.addFile(join(__dirname, file));
  }
  const results: Result[] = [];
  const failures = await new Promise<number>((resolve) => {
    const runner = mocha.run(resolve);
    runner.on('pass', (test) => results.push({ title: test.fullTitle(), state: 'passed', ms: test.duration }));
    runner.on('fail', (test, error: Error) => results.push({ title: test.fullTitle(), state: 'failed', error: `${error.message}\n${error.stack ?? ''}` }));
    // A skipped (pending) test is counted and shown, never dropped.
    runner.on('pending', (test) => results.push({ title: test.fullTitle(), state: 'skipped' }));
  });
  const target = process.env.NUGET_PUBLISHER_TEST_RESULTS;
  if (target) {
    writeFileSync(target, JSON.stringify({ results, warnings }, null, 2));
  }
  if (failures > 0) {
    throw new Error(`${failures} extension-host test(s) failed`);
  }
}
