/**
 * Feeds, keys and "Publish package" inside a real VS Code (code-server), against a folder feed,
 * the real nuget-server and the V3 test server. Key entry through the password box is covered
 * by the end-to-end suite; here keys are stored through the extension's own key store.
 */
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { KeyRecord } from '../../src/core/keys/keys';
import type { PublishReport } from '../../src/core/publish/publish';
import { BASIC_METADATA, nuspecXml, samplePackage } from '../helpers/rawZip';
import { healthFixtures } from '../helpers/healthFixtures';
import { apiFixtures } from '../helpers/apiFixtures';
import { startNugetServer, type NugetServer } from '../servers/nugetServer';
import { startV3Server, type V3Server } from '../servers/v3Server';
import { answerWith, CONFIRM, dismissEverything, EXTENSION_ID, waitFor, workspaceFile } from './helpers';

const GALLERY_KEY = 'oy2-gallery-key-for-tests-000000000001';
const NS_PASSWORD = 'Alice-Server-Pass-77';
const ALL_SECRETS = [GALLERY_KEY, NS_PASSWORD];

let api: ExtensionApi;
let gallery: V3Server;
let otherHost: V3Server;
let nugetServer: NugetServer;
let folderFeed: string;

function messagesSince(mark: number): string[] {
  return api.shownMessages.slice(mark);
}

async function setFeeds(feeds: unknown[], target = vscode.ConfigurationTarget.Global): Promise<void> {
  await vscode.workspace.getConfiguration('nugetPublisher').update('feeds', feeds, target);
}

function record(label: string, origin: string, overrides: Partial<KeyRecord> = {}): KeyRecord {
  return { label, origin, feedName: label, scheme: 'apikey', scopes: ['push', 'unlist'], glob: '*', created: new Date().toISOString(), ...overrides };
}

async function publish(uri: vscode.Uri, args: Record<string, unknown>): Promise<PublishReport | undefined> {
  return vscode.commands.executeCommand<PublishReport | undefined>('nugetPublisher.publishPackage', uri, args);
}

/** The feeds this suite works with (set at the start, and again after a test that changes them). */
function publishFeeds(): unknown[] {
  return [
    { name: 'nuget.org', source: 'https://api.nuget.org/v3/index.json', kind: 'nuget.org' },
    { name: 'Local', source: folderFeed, kind: 'folder' },
    { name: 'Gallery', source: gallery.index, kind: 'v3' },
    { name: 'Gallery as nuget.org', source: gallery.index, kind: 'nuget.org' },
    { name: 'Team', source: nugetServer.base, kind: 'nuget-server' },
  ];
}

suite('Publishing in a real VS Code', () => {
  suiteSetup(async function () {
    this.timeout(60_000);
    api = (await vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID)!.activate());
    gallery = await startV3Server({ validKeys: [GALLERY_KEY], ownedIds: ['Contoso.Core', 'Contoso.Utils'] });
    otherHost = await startV3Server();
    nugetServer = await startNugetServer({ users: [{ username: 'alice', password: NS_PASSWORD, role: 'publish' }] });
    folderFeed = mkdtempSync(join(tmpdir(), 'np-folder-feed-'));
    await setFeeds(publishFeeds());
    await api.services.keys.add(record('gallery push', new URL(gallery.index).origin, { glob: 'Contoso.*' }), GALLERY_KEY);
    await api.services.keys.add(record('alice', new URL(nugetServer.base).origin, { scheme: 'basic', username: 'alice', scopes: [] }), NS_PASSWORD);
    answerWith(api, { press: CONFIRM });
  });

  suiteTeardown(async () => {
    dismissEverything(api);
    for (const pkg of api.services.tracker.list()) {
      api.services.tracker.stop(pkg.key);
    }
    for (const key of api.services.keys.list()) {
      await api.services.keys.remove(key);
    }
    await setFeeds([], vscode.ConfigurationTarget.Workspace).catch(() => undefined);
    await vscode.workspace.getConfiguration('nugetPublisher').update('feeds', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.workspace.getConfiguration('nugetPublisher').update('feeds', undefined, vscode.ConfigurationTarget.Global);
    await gallery?.close();
    await otherHost?.close();
    await nugetServer?.stop();
  });

  test('the palette shows "NuGet: Publish package"', () => {
    const commands = (vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { contributes: { commands: { command: string; title: string; category: string }[] } }).contributes.commands;
    const publishCommand = commands.find((command) => command.command === 'nugetPublisher.publishPackage');
    assert.deepEqual([publishCommand?.category, publishCommand?.title], ['NuGet', 'Publish package']);
  });

  test('publishes to a local folder feed (no key needed); the second time is a clear duplicate, or skipped', async () => {
    const mark = api.shownMessages.length;
    const report = await publish(workspaceFile('packages', 'Contoso.Core.2.0.0.nupkg'), { feed: 'Local' });
    assert.equal(report?.outcome, 'created');
    assert.ok(existsSync(join(folderFeed, 'contoso.core', '2.0.0', 'contoso.core.2.0.0.nupkg')));
    assert.ok(existsSync(join(folderFeed, 'contoso.core', '2.0.0', 'contoso.core.2.0.0.nupkg.sha512')));
    assert.ok(messagesSince(mark).some((message) => /^info: Published Contoso\.Core 2\.0\.0 to Local\./.test(message)), messagesSince(mark).join('\n'));
    const again = await publish(workspaceFile('packages', 'Contoso.Core.2.0.0.nupkg'), { feed: 'Local' });
    assert.equal(again, undefined);
    assert.ok(messagesSince(mark).some((message) => /^error: Publishing Contoso\.Core 2\.0\.0 to Local failed\. NP2409: .*already has contoso\.core 2\.0\.0.*skip-duplicate/.test(message)), messagesSince(mark).join('\n'));
    const skipped = await publish(workspaceFile('packages', 'Contoso.Core.2.0.0.nupkg'), { feed: 'Local', skipDuplicate: true });
    assert.equal(skipped?.outcome, 'skipped-duplicate');
  });

  test('the confirmation lists the package health findings (a package built without symbols: NP0100)', async function () {
    this.timeout(120_000);
    const built = healthFixtures().None.nupkg;
    const mark = api.askedQuestions.length;
    const report = await publish(vscode.Uri.file(built), { feed: 'Local' });
    assert.equal(report?.outcome, 'created');
    const asked = api.askedQuestions.slice(mark).find((question) => question.message === 'Publish Health.None 1.0.0 to Local?');
    // Health was read on the worker thread, not the extension host's (thread 0).
    assert.ok((api.analysisThreadId() ?? 0) > 0, `health read on thread ${api.analysisThreadId()}`);
    assert.match(asked?.detail ?? '', /\nPackage health:\n• NP0100: lib\/net10\.0\/None\.dll has no symbols.*<DebugType>embedded<\/DebugType>/, JSON.stringify(asked));
  });

  test('the confirmation compares the public API with the published version and warns when the version number is too small for it', async function () {
    this.timeout(120_000);
    const { older, newer } = apiFixtures().members;
    assert.equal((await publish(vscode.Uri.file(older), { feed: 'Local' }))?.outcome, 'created');
    const mark = api.askedQuestions.length;
    assert.equal((await publish(vscode.Uri.file(newer), { feed: 'Local' }))?.outcome, 'created');
    const asked = api.askedQuestions.slice(mark).find((question) => question.message === 'Publish Api.Members 1.1.0 to Local?');
    assert.equal(asked?.level, 'warning', JSON.stringify(asked));
    assert.match(asked?.detail ?? '', /^1\.0\.0 → 1\.1\.0 is a minor version, but the release breaks the public API: it needs a new major version \(2\.0\.0\)\./);
    assert.match(asked?.detail ?? '', /Against 1\.0\.0 on Local \(the nearest lower stable version\): API: needs a major version: 14 breaking changes.*\n {2}CP0001 T:Ns\.Removed/s);
    // Compared on the worker thread, not the extension host's.
    assert.ok((api.analysisThreadId() ?? 0) > 0);
  });

  test('publishes to the real nuget-server with the stored Basic credentials, then reads it back', async function () {
    this.timeout(60_000);
    const report = await publish(workspaceFile('packages', 'Contoso.Utils.1.2.3-beta.1.nupkg'), { feed: 'Team' });
    assert.equal(report?.outcome, 'created');
    const flat = (await (await fetch(`${nugetServer.base}/v3/package/contoso.utils/index.json`)).json()) as { versions: string[] };
    assert.equal(flat.versions.length, 1);
    const search = (await (await fetch(`${nugetServer.base}/v3/query?q=Contoso.Utils&prerelease=true&semVerLevel=2.0.0`)).json()) as { data: { id: string }[] };
    assert.deepEqual(search.data.map((hit) => hit.id), ['Contoso.Utils']);
  });

  test('a V2 push URL feed: the package goes by PUT to the V2 endpoint; a lone .snupkg goes to the symbol server only', async function () {
    this.timeout(120_000);
    const v2 = await startV3Server({ mode: 'v2' });
    try {
      await setFeeds([
        { name: 'Old server', source: `${v2.base}/api/v2/package`, kind: 'v2' },
        { name: 'Gallery', source: gallery.index, kind: 'v3' },
      ]);
      await api.services.keys.add(record('old push', new URL(v2.base).origin, { glob: '*' }), 'old-server-key-0001');
      const report = await publish(workspaceFile('packages', 'Contoso.Utils.1.2.3-beta.1.nupkg'), { feed: 'Old server' });
      assert.equal(report?.outcome, 'created');
      assert.deepEqual(v2.requests.map((request) => `${request.method} ${request.url} ${String(request.headers['x-nuget-apikey'])}`), ['PUT /api/v2/package old-server-key-0001']);
      gallery.requests.length = 0;
      const symbols = await publish(workspaceFile('packages', 'Contoso.Core.2.0.0.snupkg'), { feed: 'Gallery' });
      assert.equal(symbols?.outcome, 'symbols-only');
      assert.deepEqual(gallery.requests.map((request) => `${request.method} ${request.url}`), ['PUT /api/v2/symbolpackage'], 'never sent as the package');
    } finally {
      await v2.close();
      await setFeeds(publishFeeds());
    }
  });

  test('publishes to a V3 feed with the key whose glob covers the id, symbols after the package, warnings shown', async () => {
    gallery.requests.length = 0;
    const mark = api.shownMessages.length;
    gallery.script.push({ status: 201, headers: { 'x-nuget-warning': 'Your API key expires in 5 days.' } }, { status: 201 });
    const report = await publish(workspaceFile('packages', 'Contoso.Core.2.0.0.nupkg'), { feed: 'Gallery', symbols: true });
    assert.equal(report?.outcome, 'created');
    assert.equal(report?.symbols?.outcome, 'created');
    assert.deepEqual(gallery.requests.map((request) => `${request.method} ${request.url} ${String(request.headers['x-nuget-apikey'])}`), [
      `PUT /api/v2/package ${GALLERY_KEY}`, `PUT /api/v2/symbolpackage ${GALLERY_KEY}`,
    ]);
    assert.equal(gallery.requests[0].parts.length, 1);
    assert.deepEqual(gallery.requests[0].parts[0].data, readFileSync(workspaceFile('packages', 'Contoso.Core.2.0.0.nupkg').fsPath));
    assert.ok(messagesSince(mark).includes('warning: Gallery warns about Contoso.Core 2.0.0: Your API key expires in 5 days.'), messagesSince(mark).join('\n'));
    const used = api.services.keys.list().find((key) => key.label === 'gallery push');
    assert.ok(used?.lastUsed, 'the key records when it was last used');
  });

  test('server refusals become a cause and a fix, with no key in them', async () => {
    const mark = api.shownMessages.length;
    gallery.script.push({ status: 403, statusText: 'The specified API key is invalid, has expired, or does not have permission to access the specified package.' });
    assert.equal(await publish(workspaceFile('packages', 'Contoso.Core.2.0.0.nupkg'), { feed: 'Gallery' }), undefined);
    const error = messagesSince(mark).find((message) => message.startsWith('error:'));
    assert.match(error ?? '', /NP2403: Gallery refused the key for Contoso\.Core 2\.0\.0 \(403\)\. The server said: "The specified API key is invalid.*Replace Key/);
  });

  test('rule errors block a nuget.org push before any request; other feeds may go on only when the user says so', async () => {
    const broken = workspaceFile('out', 'Broken.Package.1.0.0.nupkg');
    // The sample package, without a description: the one error nuget.org would refuse it for.
    const metadata = BASIC_METADATA.replace('<id>Contoso.Sample</id>', '<id>Contoso.Broken</id>').replace('    <description>A sample.</description>\n', '');
    await vscode.workspace.fs.writeFile(broken, samplePackage({ nuspec: nuspecXml(metadata) }));
    gallery.requests.length = 0;
    const mark = api.shownMessages.length;
    assert.equal(await publish(broken, { feed: 'Gallery as nuget.org' }), undefined);
    assert.ok(messagesSince(mark).some((message) => /^error: Contoso\.Broken 1\.0\.0 cannot go to nuget\.org: 1 check failed \(NP0020\)/.test(message)), messagesSince(mark).join('\n'));
    // The user dismisses "fails 1 check": nothing is sent.
    assert.equal(await publish(broken, { feed: 'Gallery' }), undefined);
    assert.ok(api.askedQuestions.at(-1)?.message.startsWith('Contoso.Broken 1.0.0 fails 1 check that nuget.org applies.'), JSON.stringify(api.askedQuestions.at(-1)));
    assert.equal(gallery.requests.length, 0, 'nothing was sent');
    answerWith(api, { press: ['Publish Anyway', ...CONFIRM] });
    try {
      const anyway = await publish(broken, { feed: 'Gallery' });
      assert.equal(anyway?.outcome, 'created');
    } finally {
      answerWith(api, { press: CONFIRM });
    }
  });

  test('a workspace setting that points a feed name at another host gets no key', async function () {
    this.timeout(30_000);
    otherHost.requests.length = 0;
    gallery.requests.length = 0;
    await setFeeds([{ name: 'Gallery', source: otherHost.index, kind: 'v3' }], vscode.ConfigurationTarget.Workspace);
    try {
      const mark = api.shownMessages.length;
      const pending = publish(workspaceFile('packages', 'Contoso.Core.2.0.0.nupkg'), { feed: 'Gallery' });
      await waitFor('the "no key" reason above the Add Key questions', () => messagesSince(mark).find((message) => message === `prompt: No key is stored for Gallery (${new URL(otherHost.index).origin}), and no NuGet credential provider is installed (looked in ~/.nuget/plugins/netcore and nuget-plugin-* on PATH).`));
      // Cancel the questions (the input box may not be on screen yet when the reason is recorded).
      let settled = false;
      const outcome = pending.finally(() => { settled = true; });
      await waitFor('the publish to end once the Add Key questions are cancelled', () => {
        void vscode.commands.executeCommand('workbench.action.closeQuickOpen');
        return settled;
      });
      assert.equal(await outcome, undefined);
      assert.equal(otherHost.requests.length, 0, 'nothing was sent to the other host');
      assert.equal(gallery.requests.length, 0);
    } finally {
      await vscode.workspace.getConfiguration('nugetPublisher').update('feeds', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  test('unlist and relist send DELETE and POST with the key that has the unlist scope', async () => {
    gallery.requests.length = 0;
    assert.equal(await vscode.commands.executeCommand('nugetPublisher.unlistVersion', { feed: 'Gallery', id: 'Contoso.Core', version: '2.0.0' }), 204);
    assert.equal(await vscode.commands.executeCommand('nugetPublisher.relistVersion', { feed: 'Gallery', id: 'Contoso.Core', version: '2.0.0' }), 200);
    assert.deepEqual(gallery.requests.map((request) => `${request.method} ${request.url} ${String(request.headers['x-nuget-apikey'])}`), [
      `DELETE /api/v2/package/Contoso.Core/2.0.0 ${GALLERY_KEY}`, `POST /api/v2/package/Contoso.Core/2.0.0 ${GALLERY_KEY}`,
    ]);
  });

  test('Test Key uses the verify-key pair on a gallery feed and records the result', async () => {
    const origin = new URL(gallery.index).origin;
    const result = await vscode.commands.executeCommand<{ ok: boolean | undefined; message: string }>('nugetPublisher.testKey', { origin, label: 'gallery push', packageId: 'Contoso.Core', version: '2.0.0' });
    assert.equal(result?.ok, true, result?.message);
    assert.equal(api.services.keys.find(origin, 'gallery push')?.lastTest?.ok, true);
  });

  test('imports feeds and clear-text credentials from a NuGet.Config, then publishes with them', async function () {
    this.timeout(60_000);
    const dir = mkdtempSync(join(tmpdir(), 'np-config-'));
    const config = join(dir, 'NuGet.Config');
    // A second nuget-server user whose password lives in NuGet.Config in clear text.
    writeFileSync(config, `<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="Imported Server" value="${nugetServer.index}" />
    <add key="Windows Feed" value="https://windows-only.example.com/v3/index.json" />
  </packageSources>
  <packageSourceCredentials>
    <Imported_x0020_Server>
      <add key="Username" value="alice" />
      <add key="ClearTextPassword" value="${NS_PASSWORD}" />
    </Imported_x0020_Server>
    <Windows_x0020_Feed>
      <add key="Username" value="dev" />
      <add key="Password" value="AQAAANCMnd8BFdERjHoAwE" />
    </Windows_x0020_Feed>
  </packageSourceCredentials>
</configuration>`);
    const mark = api.shownMessages.length;
    const result = await vscode.commands.executeCommand<{ feeds: { name: string; kind: string }[]; credentials: number; encrypted: string[] }>('nugetPublisher.importFeeds', { files: [config] });
    assert.deepEqual(result?.feeds.map((feed) => [feed.name, feed.kind]), [['Imported Server', 'v3'], ['Windows Feed', 'v3']]);
    assert.equal(result?.credentials, 1);
    assert.deepEqual(result?.encrypted, ['Windows Feed']);
    assert.ok(messagesSince(mark).some((message) => /Windows-only \(DPAPI\)/.test(message)));
    const imported = api.services.keys.list().find((key) => key.feedName === 'Imported Server');
    assert.equal(imported?.username, 'alice');
    assert.ok(!JSON.stringify(api.services.keys.list()).includes(NS_PASSWORD), 'the metadata holds no secret');
    const settings = JSON.stringify(vscode.workspace.getConfiguration('nugetPublisher').inspect('feeds'));
    assert.ok(!settings.includes(NS_PASSWORD), 'the settings hold no secret');
    // The imported feed is a nuget-server: make it one, and publish with the imported credentials.
    const feeds = (vscode.workspace.getConfiguration('nugetPublisher').inspect<{ name: string }[]>('feeds')?.globalValue ?? []).map((feed) => (feed.name === 'Imported Server' ? { ...feed, kind: 'nuget-server' } : feed));
    await setFeeds(feeds);
    const report = await publish(workspaceFile('packages', 'Contoso.Core.2.0.0.nupkg'), { feed: 'Imported Server', key: imported?.label });
    assert.equal(report?.outcome, 'created');
  });

  test('no secret ever reached the log, a notification, the key metadata or the settings', () => {
    const surfaces = [api.log.recent().join('\n'), api.shownMessages.join('\n'), JSON.stringify(api.services.keys.list()), JSON.stringify(vscode.workspace.getConfiguration('nugetPublisher'))];
    assert.ok(api.log.recent().some((line) => line.includes('[publish] publishing')), 'the log did record the publishes');
    for (const secret of ALL_SECRETS) {
      for (const surface of surfaces) {
        assert.ok(!surface.includes(secret), `a secret leaked into: ${surface.slice(0, 200)}`);
      }
    }
  });
});
