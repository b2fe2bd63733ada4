/**
 * No command argument skips a confirmation or carries a secret. Any installed extension can run
 * our commands with any arguments; earlier builds took `yes`, `publishAnyway`, `ifExists`,
 * `confirm: false`, `overwrite`, `noBrowser`, `all` and a certificate `password` from the caller.
 * Here each contributed command is called with exactly those arguments, as a hostile extension
 * would, while every question is recorded and dismissed: the question must still be asked, and
 * nothing may happen on the feed, in the key store, in the settings or on disk.
 */
import { strict as assert } from 'node:assert';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import { publish } from '../../src/core/publish/publish';
import { makePackage } from '../helpers/makePackage';
import { startV3Server, type V3Server } from '../servers/v3Server';
import { dismissEverything, EXTENSION_ID, workspaceFile } from './helpers';

const KEY = 'oy2-doors-key-for-tests-00000000000001';

suite('No test doors: command arguments never skip a question', () => {
  let api: ExtensionApi;
  let gallery: V3Server;
  let mirror: V3Server;
  let origin: string;

  /** Runs a command with a hostile caller's arguments; returns its result and the questions it asked. */
  async function asHostileCaller<T>(command: string, ...args: unknown[]): Promise<{ result: T | undefined; asked: { kind: string; message: string }[] }> {
    const mark = api.askedQuestions.length;
    const result = await vscode.commands.executeCommand<T>(command, ...args);
    return { result, asked: api.askedQuestions.slice(mark).map(({ kind, message }) => ({ kind, message })) };
  }

  function writes(): string[] {
    return gallery.requests.filter((request) => request.method !== 'GET').map((request) => `${request.method} ${request.url}`);
  }

  suiteSetup(async function () {
    this.timeout(60_000);
    api = (await vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID)!.activate())!;
    dismissEverything(api); // every question is recorded and dismissed, as a user who says no
    gallery = await startV3Server({ validKeys: [KEY] });
    mirror = await startV3Server({ readOnly: true });
    origin = new URL(gallery.index).origin;
    await vscode.workspace.getConfiguration('nugetPublisher').update('feeds', [
      { name: 'Gallery', source: gallery.index, kind: 'v3' },
      { name: 'Gallery as nuget.org', source: gallery.index, kind: 'nuget.org' },
    ], vscode.ConfigurationTarget.Global);
    await api.services.keys.add({ label: 'doors', origin, feedName: 'Gallery', scheme: 'apikey', scopes: ['push', 'unlist'], glob: '*', created: new Date().toISOString() }, KEY);
  });

  suiteTeardown(async () => {
    for (const key of api.services.keys.list()) {
      await api.services.keys.remove(key);
    }
    await vscode.workspace.getConfiguration('nugetPublisher').update('feeds', undefined, vscode.ConfigurationTarget.Global);
    await gallery?.close();
    await mirror?.close();
  });

  test('Publish package with { yes, publishAnyway, ifExists }: the "can never be deleted" confirmation is still asked, nothing is pushed', async () => {
    gallery.requests.length = 0;
    const { result, asked } = await asHostileCaller('nugetPublisher.publishPackage', workspaceFile('packages', 'Contoso.Core.2.0.0.nupkg'), { feed: 'Gallery as nuget.org', yes: true, publishAnyway: true, ifExists: 'push' });
    assert.equal(result, undefined);
    assert.deepEqual(asked, [{ kind: 'confirm', message: 'Publish Contoso.Core 2.0.0 to Gallery as nuget.org?' }]);
    assert.deepEqual(writes(), [], 'nothing was sent');
  });

  test('Publish package over a version the feed has, with { yes, ifExists: "push" }: "already has" is still asked', async () => {
    // The version is on the feed (pushed by the core directly, no command involved).
    await publish({ feed: { name: 'Gallery', source: gallery.index, kind: 'v3' }, packagePath: workspaceFile('packages', 'Contoso.Utils.1.2.3-beta.1.nupkg').fsPath, credential: { apiKey: KEY } });
    gallery.requests.length = 0;
    const { result, asked } = await asHostileCaller('nugetPublisher.publishPackage', workspaceFile('packages', 'Contoso.Utils.1.2.3-beta.1.nupkg'), { feed: 'Gallery', yes: true, ifExists: 'push' });
    assert.equal(result, undefined);
    assert.deepEqual(asked, [{ kind: 'confirm', message: 'Gallery already has Contoso.Utils 1.2.3-beta.1+build.5.' }]);
    assert.deepEqual(writes(), []);
  });

  test('Publish Folder with { yes, continueOnError }: the plan is still shown for confirmation, nothing is pushed', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'np-doors-plan-'));
    makePackage(folder, 'Doors.One', '1.0.0');
    makePackage(folder, 'Doors.Two', '1.0.0');
    gallery.requests.length = 0;
    const { result, asked } = await asHostileCaller<{ plan: string[]; results?: unknown[] }>('nugetPublisher.publishFolder', vscode.Uri.file(folder), { feed: 'Gallery', yes: true, continueOnError: true });
    assert.equal(result?.results, undefined, 'nothing ran');
    assert.deepEqual(asked, [{ kind: 'confirm', message: 'Publish 2 of 2 packages to Gallery?' }]);
    assert.deepEqual(writes(), []);
  });

  test('Unlist and Relist with { yes }: still confirmed, no DELETE or POST', async () => {
    gallery.requests.length = 0;
    for (const [command, verb] of [['nugetPublisher.unlistVersion', 'Unlist'], ['nugetPublisher.relistVersion', 'Relist']]) {
      const { result, asked } = await asHostileCaller(command, { feed: 'Gallery', id: 'Contoso.Utils', version: '1.2.3-beta.1', yes: true });
      assert.equal(result, undefined);
      assert.deepEqual(asked, [{ kind: 'confirm', message: `${verb} Contoso.Utils 1.2.3-beta.1 on Gallery?` }]);
    }
    assert.deepEqual(writes(), []);
  });

  test('Remove Key with { confirm: false }: still confirmed, the key stays', async () => {
    const { result, asked } = await asHostileCaller('nugetPublisher.removeKey', { origin, label: 'doors' }, { confirm: false });
    assert.equal(result, false);
    assert.deepEqual(asked, [{ kind: 'confirm', message: 'Remove the key "doors" for Gallery?' }]);
    assert.ok(api.services.keys.find(origin, 'doors'), 'the key is still stored');
  });

  test('Sign Package with a { password } argument: the password box is still asked, the argument is never used', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'np-doors-sign-'));
    const pkg = join(folder, 'Contoso.Core.2.0.0.nupkg');
    copyFileSync(workspaceFile('packages', 'Contoso.Core.2.0.0.nupkg').fsPath, pkg);
    const before = readFileSync(pkg);
    const logMark = api.log.recent().length;
    const { result, asked } = await asHostileCaller('nugetPublisher.signPackage', vscode.Uri.file(pkg), { certificatePath: join(folder, 'any.pfx'), password: 'caller-given-password-1' });
    assert.equal(result, false);
    assert.deepEqual(asked, [{ kind: 'secret', message: 'Sign Package: 2/3 — certificate password' }]);
    assert.ok(readFileSync(pkg).equals(before), 'the package is unchanged');
    assert.ok(!api.log.recent().slice(logMark).some((line) => line.includes('dotnet nuget sign')), 'dotnet was not run');
  });

  test('Set Up Publishing with { overwrite, noBrowser }: replacing an existing workflow is still confirmed, the file is unchanged', async () => {
    const root = vscode.workspace.workspaceFolders![0].uri;
    const github = vscode.Uri.joinPath(root, '.github');
    const workflow = vscode.Uri.joinPath(github, 'workflows', 'publish-nuget.yml');
    await vscode.workspace.fs.writeFile(workflow, Buffer.from('# mine\n'));
    try {
      const project = vscode.Uri.joinPath(root, 'src', 'Contoso.Core', 'Contoso.Core.csproj');
      const { result, asked } = await asHostileCaller('nugetPublisher.setUpCiPublishing', { packages: [project], user: 'contoso-bot', mode: 'secret', overwrite: true, noBrowser: true });
      assert.equal(result, undefined);
      assert.deepEqual(asked, [{ kind: 'confirm', message: '.github/workflows/publish-nuget.yml exists.' }]);
      assert.equal(Buffer.from(await vscode.workspace.fs.readFile(workflow)).toString('utf8'), '# mine\n');
    } finally {
      await vscode.workspace.fs.delete(github, { recursive: true });
    }
  });

  test('Import Feeds with { all }: the choice of feeds is still asked, nothing is imported', async () => {
    const config = join(mkdtempSync(join(tmpdir(), 'np-doors-config-')), 'NuGet.Config');
    writeFileSync(config, `<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources><add key="Elsewhere" value="https://elsewhere.example.com/v3/index.json" /></packageSources>
  <packageSourceCredentials><Elsewhere><add key="Username" value="u" /><add key="ClearTextPassword" value="caller-given-password-2" /></Elsewhere></packageSourceCredentials>
</configuration>`);
    const keysBefore = api.services.keys.list().length;
    const { result, asked } = await asHostileCaller('nugetPublisher.importFeeds', { files: [config], all: true });
    assert.equal(result, undefined);
    assert.deepEqual(asked, [{ kind: 'pick-many', message: 'Import which feeds from NuGet.Config?' }]);
    const feeds = vscode.workspace.getConfiguration('nugetPublisher').inspect<{ name: string }[]>('feeds')?.globalValue ?? [];
    assert.deepEqual(feeds.map((feed) => feed.name), ['Gallery', 'Gallery as nuget.org']);
    assert.equal(api.services.keys.list().length, keysBefore);
  });

  test('Add Feed with a { name }: the probe\'s warning is still confirmed; Remove Feed is always confirmed', async function () {
    this.timeout(60_000);
    const added = await asHostileCaller('nugetPublisher.addFeed', { name: 'Mirror', source: mirror.index, kind: 'v3' });
    assert.equal(added.result, undefined);
    assert.deepEqual(added.asked.map((question) => question.kind), ['confirm']);
    assert.match(added.asked[0].message, /^Mirror has no PackagePublish resource/);
    const removed = await asHostileCaller('nugetPublisher.removeFeed', 'Gallery');
    assert.equal(removed.result, false);
    assert.deepEqual(removed.asked, [{ kind: 'confirm', message: 'Remove the feed "Gallery" from your settings?' }]);
    const feeds = vscode.workspace.getConfiguration('nugetPublisher').inspect<{ name: string }[]>('feeds')?.globalValue ?? [];
    assert.deepEqual(feeds.map((feed) => feed.name), ['Gallery', 'Gallery as nuget.org']);
  });
});
