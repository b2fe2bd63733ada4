/**
 * The indexing tracker (status bar, notifications, persistence) and the Feeds view, inside a real
 * VS Code, against the V3 test server (scripted availability) and the real nuget-server.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { TrackedPackage } from '../../src/core/track/tracker';
import type { TreeNode } from '../../src/vscode/explorer/feedTree';
import { withEnv } from '../helpers/env';
import { startNugetServer, type NugetServer } from '../servers/nugetServer';
import { startV3Server, type V3Server } from '../servers/v3Server';
import { answerWith, CONFIRM, dismissEverything, EXTENSION_ID, waitFor, workspaceFile } from './helpers';

let api: ExtensionApi;
let indexing: V3Server;
let nugetServer: NugetServer;
let folderFeed: string;

async function configure(section: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('nugetPublisher').update(section, value, vscode.ConfigurationTarget.Global);
}

function tracked(id: string): TrackedPackage | undefined {
  return api.services.tracker.list().find((pkg) => pkg.id === id);
}

async function children(node?: TreeNode): Promise<TreeNode[]> {
  return api.services.feedTree.getChildren(node);
}

async function feedNode(name: string): Promise<TreeNode> {
  const node = (await children()).find((candidate) => candidate.kind === 'feed' && candidate.name === name);
  assert.ok(node, `feed ${name} in the tree`);
  return node;
}

/** A package node of a feed, loading more pages until it shows up. */
async function findPackage(feedName: string, id: string): Promise<TreeNode> {
  const feed = await feedNode(feedName);
  for (let pages = 0; pages < 10; pages++) {
    const nodes = await children(feed);
    const found = nodes.find((node) => node.kind === 'package' && node.id === id);
    if (found) {
      return found;
    }
    const more = nodes.find((node) => node.kind === 'more');
    assert.ok(more, `${id} is not in ${feedName}`);
    await api.services.feedTree.loadMore(more as Extract<TreeNode, { kind: 'more' }>);
  }
  throw new Error(`${id} not found in 10 pages`);
}

function label(node: TreeNode): string {
  const item = api.services.feedTree.getTreeItem(node);
  return typeof item.label === 'string' ? item.label : item.label?.label ?? '';
}

/** The feeds this suite works with (set at the start, and again after a test that changes them). */
function trackFeeds(): { name: string; source: string; kind: string; owners?: string[] }[] {
  return [
    { name: 'Indexing', source: indexing.index, kind: 'v3' },
    { name: 'Owned', source: indexing.index, kind: 'nuget.org', owners: ['fabrikam'] },
    { name: 'Team', source: nugetServer.base, kind: 'nuget-server' },
    { name: 'Local', source: folderFeed, kind: 'folder' },
    { name: 'Down', source: 'http://127.0.0.1:9/v3/index.json', kind: 'v3' },
  ];
}

suite('Tracking and the Feeds view in a real VS Code', () => {
  suiteSetup(async function () {
    this.timeout(60_000);
    api = await vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID)!.activate();
    for (const pkg of api.services.tracker.list()) {
      api.services.tracker.stop(pkg.key); // left by other suites
    }
    indexing = await startV3Server();
    nugetServer = await startNugetServer({ users: [{ username: 'alice', password: 'Track-Pass-1', role: 'publish' }] });
    folderFeed = mkdtempSync(join(tmpdir(), 'np-track-folder-'));
    await configure('tracker.firstPollSeconds', 1);
    await configure('feeds', trackFeeds());
    await api.services.keys.add({ label: 'indexing', origin: new URL(indexing.index).origin, feedName: 'Indexing', scheme: 'apikey', scopes: [], glob: '*', created: new Date().toISOString() }, 'indexing-key-0001');
    await api.services.keys.add({ label: 'alice', origin: new URL(nugetServer.base).origin, feedName: 'Team', scheme: 'basic', username: 'alice', scopes: [], glob: '*', created: new Date().toISOString() }, 'Track-Pass-1');
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
    for (const section of ['feeds', 'tracker.firstPollSeconds', 'tracker.giveUpMinutes']) {
      await configure(section, undefined);
    }
    await indexing?.close();
    await nugetServer?.stop();
  });

  test('after a push the status bar follows the version stage by stage; one notification per stage; state saved', async function () {
    this.timeout(60_000);
    indexing.catalog.availability = { flatMs: 1500, registrationMs: 3000, searchMs: 4500 };
    const mark = api.shownMessages.length;
    const report = await vscode.commands.executeCommand<{ outcome: string }>('nugetPublisher.publishPackage', workspaceFile('packages', 'Contoso.Core.2.0.0.nupkg'), { feed: 'Indexing' });
    assert.equal(report?.outcome, 'created');
    assert.match(await waitFor('the status bar', () => api.services.tracker.statusText), /^\$\(sync~spin\) NuGet: Contoso\.Core 2\.0\.0 validating \(<1 min\)$/);
    assert.match(api.services.tracker.statusTooltip ?? '', /Pushed at .*\n- \$\(circle-large-outline\) Downloadable …/s);
    await waitFor('downloadable in the status bar', () => /downloadable, indexing/.test(api.services.tracker.statusText ?? ''));
    await waitFor('searchable', () => tracked('Contoso.Core')?.reached.searchable);
    await waitFor('the status bar to hide', () => api.services.tracker.statusText === undefined);
    const pkg = tracked('Contoso.Core')!;
    assert.ok(pkg.reached.downloadable! <= pkg.reached.metadata! && pkg.reached.metadata! <= pkg.reached.searchable!, JSON.stringify(pkg.reached));
    assert.ok(pkg.reached.downloadable! - pkg.pushedAt >= 1500);
    assert.ok(pkg.reached.searchable! - pkg.pushedAt >= 4500);
    const notes = await waitFor('both notifications', () => {
      const found = api.shownMessages.slice(mark).filter((message) => /Contoso\.Core 2\.0\.0 is now (downloadable|searchable)/.test(message));
      return found.length >= 2 ? found : undefined;
    });
    assert.equal(notes.length, 2, notes.join('\n'));
    assert.match(notes[0], /downloadable \(restore works\) on Indexing/);
    assert.match(notes[1], /searchable on Indexing/);
    const saved = api.services.context.globalState.get<TrackedPackage[]>('nugetPublisher.tracked') ?? [];
    assert.deepEqual(Object.keys(saved.find((entry) => entry.id === 'Contoso.Core')?.reached ?? {}).sort(), ['downloadable', 'metadata', 'searchable'], 'the state is in globalState for a reload');
    const stages = api.log.recent().filter((line) => line.includes('[tracker] Contoso.Core 2.0.0 on Indexing:')).map((line) => /: (.+) after/.exec(line)?.[1]);
    assert.deepEqual(stages, ['Downloadable', 'Metadata live', 'Searchable']);
  });

  test('warning colour past 15 minutes; error colour, a link and the mail hint at the give-up time', async function () {
    this.timeout(60_000);
    indexing.catalog.availability = { flatMs: null, registrationMs: null, searchMs: null };
    const feed = { name: 'Indexing', source: indexing.index, kind: 'v3' as const };
    const slow = api.services.tracker.track(feed, 'Contoso.Slow', '1.0.0', Date.now() - 16 * 60_000)!;
    await waitFor('the warning colour', () => api.services.tracker.statusColor === 'warning');
    assert.match(api.services.tracker.statusTooltip ?? '', /Taking longer than usual/);
    api.services.tracker.stop(slow.key);
    await configure('tracker.giveUpMinutes', 0.1);
    const mark = api.shownMessages.length;
    api.services.tracker.track(feed, 'Contoso.Never', '1.0.0');
    await waitFor('the error colour', () => api.services.tracker.statusColor === 'error', 30_000);
    assert.match(api.services.tracker.statusText ?? '', /^\$\(error\) NuGet: Contoso\.Never 1\.0\.0 not available after/);
    assert.match(api.services.tracker.statusTooltip ?? '', /nuget\.org e-mails the reason/);
    assert.match(api.services.tracker.statusTooltip ?? '', /\[Package page\]\(http:\/\/127\.0\.0\.1:\d+\/packages\/Contoso\.Never\/1\.0\.0\)/);
    assert.ok(api.shownMessages.slice(mark).some((message) => /Contoso\.Never 1\.0\.0 is not available on Indexing .*e-mails the reason/.test(message)));
    api.services.tracker.stop(tracked('Contoso.Never')!.key);
    await configure('tracker.giveUpMinutes', undefined);
    assert.equal(api.services.tracker.statusText, undefined);
  });

  test('"Track Package Version…" follows a version pushed elsewhere; nuget-server passes every stage at once', async function () {
    this.timeout(30_000);
    const published = await vscode.commands.executeCommand<{ outcome: string }>('nugetPublisher.publishPackage', workspaceFile('packages', 'Contoso.Utils.1.2.3-beta.1.nupkg'), { feed: 'Team' });
    assert.equal(published?.outcome, 'created');
    await waitFor('nuget-server: searchable', () => tracked('Contoso.Utils')?.reached.searchable);
    api.services.tracker.stop(tracked('Contoso.Utils')!.key);
    indexing.catalog.add('Contoso.FromCi', ['4.0.0']);
    const key = await vscode.commands.executeCommand<string>('nugetPublisher.trackVersion', { feed: 'Indexing', id: 'Contoso.FromCi', version: '4.0.0' });
    assert.ok(key);
    await waitFor('searchable', () => tracked('Contoso.FromCi')?.reached.searchable);
  });

  test('the Feeds view: search pages with "Load more", versions with unlisted greyed and deprecation, unlist greys a version', async function () {
    this.timeout(30_000);
    for (let n = 0; n < 130; n++) {
      indexing.catalog.add(`Bulk.Package${String(n).padStart(3, '0')}`, ['1.0.0']);
    }
    indexing.catalog.add('Contoso.Versions', [{ version: '1.0.0' }, { version: '1.1.0', listed: false }, { version: '2.0.0-beta.1+sha.5' }, { version: '0.9.0', deprecation: { reasons: ['Legacy'], message: 'Use 1.x' } }]);
    api.services.feedTree.refresh();
    const feed = await feedNode('Indexing');
    const first = await children(feed);
    assert.equal(first.filter((node) => node.kind === 'package').length, 100);
    const more = first[first.length - 1];
    assert.equal(more.kind, 'more');
    await vscode.commands.executeCommand('nugetPublisher.loadMore', more);
    const all = await children(feed);
    assert.ok(all.filter((node) => node.kind === 'package').length > 130, `${all.length} nodes after Load more`);
    const versionsPackage = all.find((node) => node.kind === 'package' && node.id === 'Contoso.Versions')!;
    const versions = await children(versionsPackage);
    assert.deepEqual(versions.map(label), ['2.0.0-beta.1+sha.5', '1.1.0', '1.0.0', '0.9.0']);
    const items = versions.map((node) => api.services.feedTree.getTreeItem(node));
    assert.match(String(items[0].description), /SemVer 2\.0\.0/);
    assert.match(String(items[1].description), /^unlisted/);
    assert.equal(items[1].contextValue, 'version-unlisted-v3');
    assert.equal(((items[1].iconPath as vscode.ThemeIcon).color as vscode.ThemeColor | undefined)?.id, 'disabledForeground');
    assert.match(String(items[3].description), /deprecated: Legacy: Use 1\.x/);
    assert.equal(await vscode.commands.executeCommand('nugetPublisher.unlistVersion', { ...versions[2] }), 204);
    const after = await children(await findPackage('Indexing', 'Contoso.Versions'));
    assert.equal(api.services.feedTree.getTreeItem(after[2]).contextValue, 'version-unlisted-v3', 'the unlisted version is greyed after a refresh');
  });

  test('an owner-scoped nuget.org feed, nuget-server, a folder feed and an unreachable feed', async function () {
    this.timeout(30_000);
    indexing.catalog.add('Fabrikam.Core', ['1.0.0'], { owners: ['fabrikam'], verified: true, downloads: 12_345 });
    api.services.feedTree.refresh();
    const owned = await children(await feedNode('Owned'));
    assert.deepEqual(owned.map(label), ['Fabrikam.Core']);
    const ownedItem = api.services.feedTree.getTreeItem(owned[0]);
    assert.equal((ownedItem.iconPath as vscode.ThemeIcon).id, 'verified-filled');
    assert.match(String(ownedItem.description), /12\.3K downloads/);
    const team = await children(await feedNode('Team'));
    const utils = team.find((node) => node.kind === 'package' && node.id === 'Contoso.Utils');
    assert.ok(utils, team.map(label).join(', '));
    assert.deepEqual((await children(utils)).map(label), ['1.2.3-beta.1+build.5']);
    // An empty folder feed says so (it used to expand to nothing).
    const empty = await children(await feedNode('Local'));
    assert.deepEqual(empty.map(label), ['No packages yet: publish one here']);
    assert.equal(api.services.feedTree.getTreeItem(empty[0]).command?.command, 'nugetPublisher.publishPackage');
    await vscode.commands.executeCommand('nugetPublisher.publishPackage', workspaceFile('packages', 'Contoso.Core.2.0.0.nupkg'), { feed: 'Local' });
    api.services.feedTree.refresh();
    // Nothing to track after a folder publish, and the tracker says why (not "followed automatically").
    for (const pkg of api.services.tracker.list()) {
      api.services.tracker.stop(pkg.key); // what the earlier tests followed
    }
    const mark = api.shownMessages.length;
    await vscode.commands.executeCommand('nugetPublisher.showTracked');
    assert.ok(api.shownMessages.slice(mark).some((message) => /Contoso\.Core 2\.0\.0 went to the folder feed Local, where a package is ready as soon as its file is written/.test(message)), api.shownMessages.slice(mark).join('\n'));
    const local = await children(await feedNode('Local'));
    assert.deepEqual(local.map(label), ['Contoso.Core']);
    assert.deepEqual((await children(local[0])).map(label), ['2.0.0']);
    // "Copy dotnet add package" names a feed that is not nuget.org with --source (NU1100 otherwise).
    const [localVersion] = await children(local[0]);
    const copied = await vscode.commands.executeCommand<string>('nugetPublisher.copyInstallCommand', localVersion);
    assert.match(copied, /^dotnet add package Contoso\.Core --version 2\.0\.0 --source \S+/);
    assert.equal(await vscode.env.clipboard.readText(), copied);
    const down = await children(await feedNode('Down'));
    assert.equal(down.length, 1);
    assert.equal(down[0].kind, 'message');
    assert.match(label(down[0]), /^Cannot load: NP3005: .*cannot be reached/);
  });

  test('"Set your owner names" asks for the names in an input box and writes them to the feed in the user settings', async function () {
    this.timeout(30_000);
    try {
      await configure('feeds', trackFeeds().map((feed) => (feed.name === 'Owned' ? { name: 'Owned', source: feed.source, kind: 'nuget.org' } : feed)));
      api.services.feedTree.refresh();
      const prompt = await children(await feedNode('Owned'));
      assert.deepEqual(prompt.map(label), ['Set your owner names to list your packages']);
      const item = api.services.feedTree.getTreeItem(prompt[0]);
      assert.equal(item.command?.command, 'nugetPublisher.setFeedOwners', 'the node opens the input box, not the settings JSON');
      // Scripted: the names the input box would take (duplicates folded, commas or spaces).
      const owners = await vscode.commands.executeCommand('nugetPublisher.setFeedOwners', { ...(item.command?.arguments?.[0] as object), owners: 'fabrikam, fabrikam' });
      assert.deepEqual(owners, ['fabrikam']);
      const saved = vscode.workspace.getConfiguration('nugetPublisher').inspect<{ name: string; owners?: string[] }[]>('feeds')?.globalValue;
      assert.deepEqual(saved?.find((feed) => feed.name === 'Owned')?.owners, ['fabrikam']);
      const mark = api.shownMessages.length;
      assert.equal(await vscode.commands.executeCommand('nugetPublisher.setFeedOwners', { feed: 'Owned', owners: 'not a/name' }), undefined);
      assert.ok(api.shownMessages.slice(mark).some((message) => /NP3023: "a\/name" is not a nuget\.org user or organization name/.test(message)), api.shownMessages.slice(mark).join('\n'));
      assert.deepEqual(vscode.workspace.getConfiguration('nugetPublisher').inspect<{ name: string; owners?: string[] }[]>('feeds')?.globalValue?.find((feed) => feed.name === 'Owned')?.owners, ['fabrikam'], 'nothing was written');
      api.services.feedTree.refresh();
      assert.deepEqual((await children(await feedNode('Owned'))).map(label), ['Fabrikam.Core']);
    } finally {
      await configure('feeds', trackFeeds());
      api.services.feedTree.refresh();
    }
  });

  test('a private feed that wants credentials to read: an Add Key… node without a key, browsing with one', async function () {
    this.timeout(60_000);
    const basic = `Basic ${Buffer.from('octocat:ghp_private-0001').toString('base64')}`;
    const privateFeed = await startV3Server({ readAuthorization: basic });
    try {
      privateFeed.catalog.add('Contoso.Private', ['1.0.0', '1.1.0']);
      await configure('feeds', [{ name: 'Private', source: privateFeed.index, kind: 'v3' }]);
      api.services.feedTree.refresh();
      const refused = await children(await feedNode('Private'));
      assert.equal(refused.length, 1);
      assert.match(label(refused[0]), /^Private wants credentials to read: Add Key…$/);
      assert.deepEqual(api.services.feedTree.getTreeItem(refused[0]).command?.command, 'nugetPublisher.addKey');
      await api.services.keys.add({ label: 'octocat', origin: new URL(privateFeed.index).origin, feedName: 'Private', scheme: 'basic', username: 'octocat', scopes: [], glob: '*', created: new Date().toISOString() }, 'ghp_private-0001');
      api.services.feedTree.refresh();
      const packages = await children(await feedNode('Private'));
      assert.deepEqual(packages.map(label), ['Contoso.Private']);
      assert.deepEqual((await children(packages[0])).map(label), ['1.1.0', '1.0.0']);
      assert.ok(privateFeed.catalog.reads.length > 0 && privateFeed.requests.every((request) => request.method !== 'GET' || request.url === '/v3/index.json'), 'reads carried the credentials after the key was added');
    } finally {
      await privateFeed.close();
      await configure('feeds', trackFeeds());
      api.services.feedTree.refresh();
    }
  });

  test('Azure Artifacts with its credential provider installed: the Feeds view browses and Publish pushes with no key stored', async function () {
    this.timeout(60_000);
    const token = 'azdo-session-token-for-the-extension-host';
    const basic = `Basic ${Buffer.from(`VssSessionToken:${token}`).toString('base64')}`;
    const azure = await startV3Server({ readAuthorization: basic });
    // The provider is "installed" as a dotnet tool would be (nuget-plugin-* on PATH); the extension
    // host reads the environment when it looks for providers, as NuGet does.
    const provider = { PATH: `${join(__dirname, '..', '..', '..', 'test', 'fixtures', 'credentialPlugin')}${delimiter}${process.env.PATH}`, FAKE_PLUGIN_HOSTS: new URL(azure.index).host, FAKE_PLUGIN_USER: 'VssSessionToken', FAKE_PLUGIN_TOKEN: token };
    try {
      await withEnv(provider, async () => {
        azure.catalog.add('Contoso.Azure', ['1.0.0']);
        await configure('feeds', [{ name: 'Azure', source: azure.index, kind: 'v3' }]);
        api.services.feedTree.refresh();
        const packages = await children(await feedNode('Azure'));
        assert.deepEqual(packages.map(label), ['Contoso.Azure']);
        assert.deepEqual((await children(packages[0])).map(label), ['1.0.0']);
        assert.equal(api.services.keys.list().filter((key) => key.origin === new URL(azure.index).origin).length, 0, 'no key is stored for the feed');
        const report = await vscode.commands.executeCommand<{ outcome: string } | undefined>('nugetPublisher.publishPackage', workspaceFile('packages', 'Contoso.Core.2.0.0.nupkg'), { feed: 'Azure' });
        assert.equal(report?.outcome, 'created');
      });
      const put = azure.requests.find((request) => request.method === 'PUT');
      assert.equal(put?.headers.authorization, basic, 'the push carried the provider\'s credentials');
      assert.ok(api.log.recent().some((line) => line.includes('using nuget-plugin-fake')), 'the log says where the credentials came from');
      assert.ok(!api.log.recent().join('\n').includes(token) && !api.shownMessages.join('\n').includes(token), 'the token never reached the log or a message');
    } finally {
      for (const pkg of api.services.tracker.list().filter((tracked) => tracked.feedName === 'Azure')) {
        api.services.tracker.stop(pkg.key);
      }
      await azure.close();
      await configure('feeds', trackFeeds());
      api.services.feedTree.refresh();
    }
  });

  test('Download and Inspect opens a feed\'s version in the inspector', async function () {
    this.timeout(60_000);
    const team = await children(await feedNode('Team'));
    const utils = team.find((node) => node.kind === 'package' && node.id === 'Contoso.Utils')!;
    const [version] = await children(utils);
    const file = await vscode.commands.executeCommand<vscode.Uri>('nugetPublisher.downloadAndInspect', version);
    assert.ok(file?.path.endsWith('/downloads/contoso.utils.1.2.3-beta.1.nupkg'), file?.path);
    await waitFor('the inspector', () => api.inspectorMessages.get(file.toString())?.type === 'inspection', 20_000);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
