/**
 * What every E2E feature file gets: the page of a code-server window with the packaged extension,
 * the sample workspace, and the feeds it publishes to (a folder feed, the real nuget-server, and
 * a nuget.org-like V3 test server whose views show a push after delays).
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, newContext, startCodeServer, type CodeServer } from '../codeServer';
import { corpusPackages } from '../helpers/corpus';
import { makePackage } from '../helpers/makePackage';
import { createSampleWorkspace, type SampleWorkspace } from '../helpers/sampleWorkspace';
import { tempDir } from '../helpers/temp';
import { startNugetServer, type NugetServer } from '../servers/nugetServer';
import { startV3Server, type V3Server } from '../servers/v3Server';
import { ARTIFACTS, Steps, installVsix } from './harness';

export const TEAM_PASSWORD = 'E2E-Typed-Password-42';
export const GALLERY_KEY = 'oy2-e2e-gallery-key-000000000000000042';

export interface E2EContext {
  readonly page: Page;
  readonly steps: Steps;
  readonly browser: Browser;
  readonly server: CodeServer;
  readonly stateDir: string;
  readonly settings: Record<string, unknown>;
  readonly workspace: SampleWorkspace;
  readonly folderFeed: string;
  readonly planFolder: string;
  readonly releaseV1: string;
  readonly releaseV2: string;
  readonly nugetServer: NugetServer;
  readonly gallery: V3Server;
  close(): Promise<void>;
}

export async function createContext(): Promise<E2EContext> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const workspace = createSampleWorkspace(tempDir('np-e2e-ws-'));
  const stateDir = tempDir('np-e2e-cs-');
  installVsix(stateDir);
  const folderFeed = tempDir('np-e2e-feed-');
  // A release to plan (dependencies out of order, plus an older Contoso.Release) and a newer version to diff.
  const planFolder = join(workspace.folder, 'plan');
  const releaseFolder = join(workspace.folder, 'release');
  mkdirSync(planFolder);
  mkdirSync(releaseFolder);
  makePackage(planFolder, 'Plan.App', '1.0.0', { dependencies: { 'Plan.Lib': '1.0.0' } });
  makePackage(planFolder, 'Plan.Lib', '1.0.0', { dependencies: { 'Plan.Base': '1.0.0' } });
  makePackage(planFolder, 'Plan.Base', '1.0.0');
  const releaseV1 = makePackage(planFolder, 'Contoso.Release', '1.0.0', { files: { 'lib/net8.0/Contoso.Release.dll': 'a'.repeat(100), 'lib/netstandard2.0/Contoso.Release.dll': 'b'.repeat(100) } });
  const releaseV2 = makePackage(releaseFolder, 'Contoso.Release', '2.0.0', { dependencies: { 'Contoso.Core': '2.0.0' }, files: { 'lib/net8.0/Contoso.Release.dll': 'a'.repeat(140) } });
  // A package from nuget.org with an author signature and nuget.org's countersignature (the real-package corpus).
  const signedSource = corpusPackages().find((entry) => entry.id.toLowerCase() === 'newtonsoft.json' && entry.version === '12.0.1');
  if (!signedSource) {
    throw new Error('Newtonsoft.Json 12.0.1 is missing from the real-package corpus (test/fidelity/corpus.txt)');
  }
  mkdirSync(join(workspace.folder, 'signed'));
  copyFileSync(signedSource.path, join(workspace.folder, 'signed', 'Newtonsoft.Json.12.0.1.nupkg'));
  const nugetServer = await startNugetServer({ users: [{ username: 'alice', password: TEAM_PASSWORD, role: 'publish' }] });
  // A nuget.org-like feed. The tracker feature scripts when a push shows in each view.
  const gallery = await startV3Server({ validKeys: [GALLERY_KEY] });
  gallery.catalog.add('Contoso.Owned', ['1.0.0', '1.1.0'], { owners: ['contoso', 'alice'], verified: true, downloads: 4200 });
  const settings = {
    'workbench.colorTheme': 'Default Dark Modern',
    'nugetPublisher.feeds': [
      { name: 'nuget.org', source: 'https://api.nuget.org/v3/index.json', kind: 'nuget.org' },
      { name: 'Local', source: folderFeed, kind: 'folder' },
      { name: 'Team', source: nugetServer.base, kind: 'nuget-server' },
      { name: 'Gallery', source: gallery.index, kind: 'v3' },
      // A nuget.org stand-in (nuget.org itself cannot be reached here) for the owners view.
      { name: 'Contoso (nuget.org double)', source: gallery.index, kind: 'nuget.org', owners: ['contoso'] },
    ],
    'nugetPublisher.tracker.firstPollSeconds': 1,
  };
  const server = await startCodeServer({ stateDir, workspace: workspace.folder, settings });
  const browser = await launchChromium();
  const page = await (await newContext(browser, 'dark')).newPage();
  return {
    page, steps: new Steps(page, stateDir), browser, server, stateDir, settings, workspace, folderFeed, planFolder, releaseV1, releaseV2, nugetServer, gallery,
    close: async () => {
      await browser.close();
      await server.stop();
      await nugetServer.stop();
      await gallery.close();
    },
  };
}
