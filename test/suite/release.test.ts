/** Release diff, the publish plan and the walkthrough inside a real VS Code. */
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import YAML from 'yaml';
import type { ExtensionApi } from '../../src/extension';
import { publish } from '../../src/core/publish/publish';
import { makePackage } from '../helpers/makePackage';
import { apiFixtures } from '../helpers/apiFixtures';
import { startNugetServer, type NugetServer } from '../servers/nugetServer';
import { startV3Server, type V3Server } from '../servers/v3Server';
import { answerWith, CONFIRM, dismissEverything, EXTENSION_ID } from './helpers';

suite('Release diff, publish plan and walkthrough in a real VS Code', () => {
  let api: ExtensionApi;
  let gallery: V3Server;
  let team: NugetServer;
  let folder: string;

  suiteSetup(async function () {
    this.timeout(60_000);
    api = await vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID)!.activate();
    gallery = await startV3Server();
    team = await startNugetServer({ users: [{ username: 'alice', password: 'Release-Pass-1', role: 'publish' }] });
    folder = mkdtempSync(join(tmpdir(), 'np-release-'));
    await vscode.workspace.getConfiguration('nugetPublisher').update('feeds', [
      { name: 'Gallery', source: gallery.index, kind: 'v3' },
      { name: 'Team', source: team.base, kind: 'nuget-server' },
    ], vscode.ConfigurationTarget.Global);
    await api.services.keys.add({ label: 'gallery', origin: new URL(gallery.index).origin, feedName: 'Gallery', scheme: 'apikey', scopes: [], glob: '*', created: new Date().toISOString() }, 'release-gallery-key');
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
    await vscode.workspace.getConfiguration('nugetPublisher').update('feeds', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await gallery?.close();
    await team?.stop();
  });

  test('Compare Packages opens a side-by-side diff and flags a dropped framework as breaking', async () => {
    const older = makePackage(folder, 'Contoso.Release', '1.0.0', { files: { 'lib/net8.0/Contoso.Release.dll': 'a'.repeat(100), 'lib/netstandard2.0/Contoso.Release.dll': 'b'.repeat(100) } });
    mkdirSync(join(folder, 'v2'), { recursive: true });
    const newer = makePackage(join(folder, 'v2'), 'Contoso.Release', '2.0.0', { files: { 'lib/net8.0/Contoso.Release.dll': 'a'.repeat(120) } });
    const mark = api.shownMessages.length;
    const diff = await vscode.commands.executeCommand<{ droppedFrameworks: string[]; breaking: string[] }>('nugetPublisher.comparePackages', vscode.Uri.file(older), vscode.Uri.file(newer));
    assert.deepEqual(diff?.droppedFrameworks, ['netstandard2.0']);
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.ok(tab?.input instanceof vscode.TabInputTextDiff, 'a diff editor is open');
    assert.equal(tab.label, 'Contoso.Release: 1.0.0 ↔ 2.0.0 (1 breaking)');
    const right = await vscode.workspace.openTextDocument(tab.input.modified);
    assert.match(right.getText(), /^Contoso\.Release 2\.0\.0\n/);
    assert.match(right.getText(), /\[files\]\nicon\.png {2}4 B\nlib\/net8\.0\/Contoso\.Release\.dll {2}120 B\n/);
    assert.ok(api.shownMessages.slice(mark).some((message) => /^warning: Contoso\.Release 1\.0\.0 → 2\.0\.0: 1 breaking change: Target framework netstandard2\.0 is dropped/.test(message)));
  });

  test('Compare Packages says what the public API needs, from ApiCompat\'s rules, and when the version number is too small', async function () {
    this.timeout(120_000);
    const { older, newer } = apiFixtures().members;
    const mark = api.shownMessages.length;
    const diff = await vscode.commands.executeCommand<{ api?: { verdict: string; breaking: { diagnosticId: string; target: string }[] }; versionProblem?: string }>('nugetPublisher.comparePackages', vscode.Uri.file(older), vscode.Uri.file(newer));
    assert.equal(diff?.api?.verdict, 'major');
    assert.ok(diff?.api?.breaking.some((change) => change.diagnosticId === 'CP0009' && change.target === 'T:Ns.ToSeal'), JSON.stringify(diff?.api?.breaking));
    assert.ok(api.shownMessages.slice(mark).some((message) => /^warning: Api\.Members 1\.0\.0 → 1\.1\.0: .* API: needs a major version: 14 breaking changes, 3 APIs added\. 1\.0\.0 → 1\.1\.0 is a minor version/.test(message)), api.shownMessages.slice(mark).join('\n'));
  });

  test('Compare with Published Version downloads the feed\'s latest other version (real nuget-server)', async function () {
    this.timeout(60_000);
    const published = makePackage(mkdtempSync(join(tmpdir(), 'np-pub-')), 'Contoso.Served', '1.0.0', { dependencies: { 'Contoso.Core': '1.0.0' } });
    await publish({ feed: { name: 'Team', source: team.base, kind: 'nuget-server' }, packagePath: published, credential: { basic: { username: 'alice', password: 'Release-Pass-1' } } });
    const local = makePackage(mkdtempSync(join(tmpdir(), 'np-local-')), 'Contoso.Served', '1.1.0', { dependencies: { 'Contoso.Core': '2.0.0' } });
    const diff = await vscode.commands.executeCommand<{ before: { version: string }; dependencies: { id: string; change: string }[] }>('nugetPublisher.compareWithPublished', vscode.Uri.file(local), { feed: 'Team' });
    assert.equal(diff?.before.version, '1.0.0');
    assert.deepEqual(diff?.dependencies.map((change) => `${change.change} ${change.id}`), ['changed Contoso.Core']);
  });

  test('Publish Folder: dry run writes nothing; the run publishes three packages dependencies first, skipping one that exists', async function () {
    this.timeout(60_000);
    const plan = mkdtempSync(join(tmpdir(), 'np-plan-'));
    makePackage(plan, 'Plan.App', '1.0.0', { dependencies: { 'Plan.Lib': '1.0.0' } });
    makePackage(plan, 'Plan.Lib', '1.0.0', { dependencies: { 'Plan.Base': '1.0.0' } });
    makePackage(plan, 'Plan.Base', '1.0.0');
    makePackage(plan, 'Plan.Old', '3.0.0');
    gallery.catalog.add('Plan.Old', ['3.0.0']);
    gallery.requests.length = 0;
    const dry = await vscode.commands.executeCommand<{ plan: string[] }>('nugetPublisher.publishFolder', vscode.Uri.file(plan), { feed: 'Gallery', dryRun: true });
    assert.deepEqual(dry?.plan, [
      '1. Plan.Base 1.0.0 → Gallery: publish with key "gallery"',
      '2. Plan.Old 3.0.0 → Gallery: skip (already there)',
      '3. Plan.Lib 1.0.0 → Gallery: publish with key "gallery", after Plan.Base',
      '4. Plan.App 1.0.0 → Gallery: publish with key "gallery", after Plan.Lib',
    ]);
    assert.equal(gallery.requests.length, 0, 'the dry run wrote nothing');
    const run = await vscode.commands.executeCommand<{ results: { id: string; outcome: string }[] }>('nugetPublisher.publishFolder', vscode.Uri.file(plan), { feed: 'Gallery' });
    assert.deepEqual(run?.results.map((result) => `${result.id}: ${result.outcome}`), ['Plan.Base: published', 'Plan.Old: skipped', 'Plan.Lib: published', 'Plan.App: published']);
    assert.deepEqual(gallery.requests.map((request) => `${request.method} ${String(request.headers['x-nuget-apikey'])}`), ['PUT release-gallery-key', 'PUT release-gallery-key', 'PUT release-gallery-key']);
    assert.ok(['Plan.Base', 'Plan.Lib', 'Plan.App'].every((id) => api.services.tracker.list().some((pkg) => pkg.id === id)), 'the tracker follows all of them');
  });

  test('Publish Folder: an unreadable file is listed as not published with its reason, two versions of one id go in order, the rest is published', async function () {
    this.timeout(60_000);
    const plan = mkdtempSync(join(tmpdir(), 'np-plan-'));
    makePackage(plan, 'Plan.Two', '2.0.0');
    makePackage(plan, 'Plan.Two', '1.0.0');
    const broken = join(plan, 'Broken.1.0.0.nupkg');
    writeFileSync(broken, 'not a zip');
    gallery.requests.length = 0;
    const dry = await vscode.commands.executeCommand<{ plan: string[] }>('nugetPublisher.publishFolder', vscode.Uri.file(plan), { feed: 'Gallery', dryRun: true });
    assert.equal(dry?.plan.length, 3, dry?.plan.join('\n'));
    assert.deepEqual(dry?.plan.slice(0, 2), ['1. Plan.Two 1.0.0 → Gallery: publish with key "gallery"', '2. Plan.Two 2.0.0 → Gallery: publish with key "gallery"']);
    assert.ok(dry?.plan[2].startsWith(`3. ${broken} → not published: it cannot be read as a package (NP09`), dry?.plan[2]);
    // The user chooses "Publish, Continue on Error" in the plan dialog.
    answerWith(api, { press: ['Publish, Continue on Error'] });
    const run = await vscode.commands.executeCommand<{ results: { id: string; outcome: string }[] }>('nugetPublisher.publishFolder', vscode.Uri.file(plan), { feed: 'Gallery' }).then((result) => {
      answerWith(api, { press: CONFIRM });
      return result;
    });
    assert.deepEqual(run?.results.map((result) => `${result.id}: ${result.outcome}`), ['Plan.Two: published', 'Plan.Two: published', 'Broken.1.0.0.nupkg: failed']);
    assert.equal(gallery.requests.filter((request) => request.method === 'PUT').length, 2);
  });

  test('Publish Folder: a run cut short by a refusal offers Resume the next time, and pushes only what is left', async function () {
    this.timeout(60_000);
    const plan = mkdtempSync(join(tmpdir(), 'np-resume-'));
    // A chain, so that the pushes go one after another whatever the parallel setting: A, then B, then C.
    makePackage(plan, 'Resume.A', '1.0.0');
    makePackage(plan, 'Resume.B', '1.0.0', { dependencies: { 'Resume.A': '1.0.0' } });
    makePackage(plan, 'Resume.C', '1.0.0', { dependencies: { 'Resume.B': '1.0.0' } });
    gallery.requests.length = 0;
    // As on nuget.org, a pushed version is not readable for a while (indexing): only the journal
    // knows what the interrupted run published.
    const availability = gallery.catalog.availability;
    gallery.catalog.availability = { flatMs: 3_600_000, registrationMs: 3_600_000, searchMs: 3_600_000 };
    // The first push is accepted, the second refused: the run stops (Stop on Error).
    gallery.script.push({ status: 201 }, { status: 403, statusText: 'Forbidden' });
    const first = await vscode.commands.executeCommand<{ results: { id: string; outcome: string }[] }>('nugetPublisher.publishFolder', vscode.Uri.file(plan), { feed: 'Gallery' });
    assert.deepEqual(first?.results.map((result) => `${result.id}: ${result.outcome}`).sort(), ['Resume.A: published', 'Resume.B: failed', 'Resume.C: not-run']);
    gallery.requests.length = 0;
    const mark = api.askedQuestions.length;
    const second = await vscode.commands.executeCommand<{ results: { id: string; outcome: string }[] }>('nugetPublisher.publishFolder', vscode.Uri.file(plan), { feed: 'Gallery' });
    assert.match(api.askedQuestions.slice(mark).map((question) => question.message).join('\n'), /^Resume publishing to Gallery: 1 of 3 packages were published by an earlier run that did not finish; publish the other 2\?$/m, api.log.recent().filter((line) => line.includes('[plan]')).slice(-8).join('\n'));
    assert.deepEqual(second?.results.map((result) => `${result.id}: ${result.outcome}`).sort(), ['Resume.A: skipped', 'Resume.B: published', 'Resume.C: published']);
    assert.equal(gallery.requests.filter((request) => request.method === 'PUT').length, 2, 'only what was left');
    gallery.catalog.availability = availability;
    for (const id of ['Resume.A', 'Resume.B', 'Resume.C']) {
      gallery.catalog.reveal(id, '1.0.0'); // indexing done
    }
    // Finished: the journal is cleared, so no resume is offered any more.
    const third = api.askedQuestions.length;
    const again = await vscode.commands.executeCommand<{ plan: string[] }>('nugetPublisher.publishFolder', vscode.Uri.file(plan), { feed: 'Gallery', dryRun: true });
    assert.ok(again?.plan.every((line) => /skip \(already there\)/.test(line)), again?.plan.join('\n'));
    assert.ok(!api.askedQuestions.slice(third).some((question) => question.message.startsWith('Resume')));
  });

  test('Set Up Publishing from GitHub Actions writes a workflow that parses, with id-token: write and NuGet/login, and names the policy values', async () => {
    const root = vscode.workspace.workspaceFolders![0].uri;
    const project = vscode.Uri.joinPath(root, 'src', 'Contoso.Core', 'Contoso.Core.csproj');
    const nuspec = vscode.Uri.joinPath(root, 'nuspec', 'Contoso.Sample.nuspec');
    // The repository: a GitHub origin remote, and an older workflow that already uses NuGet/login.
    const gitConfig = vscode.Uri.joinPath(root, '.git', 'config');
    const exists = async (uri: vscode.Uri): Promise<boolean> => vscode.workspace.fs.stat(uri).then(() => true, () => false);
    assert.equal((await exists(vscode.Uri.joinPath(root, '.git'))) || (await exists(vscode.Uri.joinPath(root, '.github'))), false, 'the sample workspace has no .git or .github of its own (the test removes what it writes)');
    await vscode.workspace.fs.writeFile(gitConfig, Buffer.from('[core]\n\tbare = false\n[remote "origin"]\n\turl = git@github.com:contoso/contoso-core.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n'));
    const older = vscode.Uri.joinPath(root, '.github', 'workflows', 'release.yml');
    await vscode.workspace.fs.writeFile(older, Buffer.from('jobs:\n  p:\n    steps:\n      - uses: NuGet/login@v1\n'));
    try {
      const result = await vscode.commands.executeCommand<{ workflow: vscode.Uri; policy?: Record<string, string>; warnings: string[] }>('nugetPublisher.setUpCiPublishing', { packages: [project, nuspec], user: 'contoso-bot', mode: 'trusted' });
      assert.ok(result, 'the command wrote a workflow');
      assert.equal(result.workflow.path.endsWith('/.github/workflows/publish-nuget.yml'), true, result.workflow.path);
      const workflow = YAML.parse(Buffer.from(await vscode.workspace.fs.readFile(result.workflow)).toString('utf8')) as {
        on: { push: { tags: string[] }; release: { types: string[] } };
        jobs: { publish: { 'runs-on': string; permissions: Record<string, string>; defaults?: { run?: { shell?: string } }; steps: { uses?: string; id?: string; with?: Record<string, string>; run?: string; env?: Record<string, string> }[] } };
      };
      assert.deepEqual(workflow.on.push.tags, ['v*']);
      assert.deepEqual(workflow.on.release.types, ['published']);
      const job = workflow.jobs.publish;
      assert.equal(job.permissions['id-token'], 'write');
      assert.equal(job['runs-on'], 'windows-latest', 'a .nuspec is packed with NuGet.exe, on a Windows runner');
      const uses = job.steps.map((step) => step.uses).filter(Boolean);
      assert.deepEqual(uses, ['actions/checkout@v4', 'actions/setup-dotnet@v4', 'NuGet/login@v1']);
      const login = job.steps.find((step) => step.uses === 'NuGet/login@v1')!;
      assert.deepEqual([login.id, login.with?.user], ['login', 'contoso-bot']);
      // The paths reach the shell only as environment values (no path text in run:), under bash.
      const packStep = job.steps.find((step) => step.run?.includes('dotnet pack'))!;
      assert.deepEqual(packStep.env, { NP_PACKAGE_1: 'src/Contoso.Core/Contoso.Core.csproj', NP_PACKAGE_2: 'nuspec/Contoso.Sample.nuspec' });
      assert.match(packStep.run!, /dotnet pack "\$NP_PACKAGE_1" -c Release -o artifacts -p:IncludeSymbols=true -p:SymbolPackageFormat=snupkg/);
      assert.match(packStep.run!, /nuget pack "\$NP_PACKAGE_2" -OutputDirectory artifacts -Symbols -SymbolPackageFormat snupkg/);
      assert.equal(job.defaults?.run?.shell, 'bash');
      const push = job.steps[job.steps.length - 1].run!;
      assert.equal(push, 'dotnet nuget push "artifacts/*.nupkg" --api-key "${{ steps.login.outputs.NUGET_API_KEY }}" --source https://api.nuget.org/v3/index.json --skip-duplicate');
      assert.deepEqual(result.policy, { packageOwner: 'contoso-bot', repositoryOwner: 'contoso', repository: 'contoso-core', workflowFile: 'publish-nuget.yml', environment: '(none)' });
      assert.ok(result.warnings.some((warning) => warning.startsWith('release.yml already logs in with NuGet/login: a trusted publishing policy made for that file does not match publish-nuget.yml')), result.warnings.join('\n'));
      // A repository secret instead: no id-token permission, the key from secrets.NUGET_API_KEY.
      const secret = await vscode.commands.executeCommand<{ workflow: vscode.Uri }>('nugetPublisher.setUpCiPublishing', { packages: [project], user: 'contoso-bot', mode: 'secret' });
      const secretJob = (YAML.parse(Buffer.from(await vscode.workspace.fs.readFile(secret.workflow)).toString('utf8')) as typeof workflow).jobs.publish;
      assert.equal(secretJob.permissions, undefined);
      assert.equal(secretJob['runs-on'], 'ubuntu-latest');
      assert.ok(!secretJob.steps.some((step) => step.uses === 'NuGet/login@v1'));
      assert.match(secretJob.steps[secretJob.steps.length - 1].run!, /--api-key "\$\{\{ secrets\.NUGET_API_KEY \}\}"/);
    } finally {
      await vscode.workspace.fs.delete(vscode.Uri.joinPath(root, '.git'), { recursive: true });
      await vscode.workspace.fs.delete(vscode.Uri.joinPath(root, '.github'), { recursive: true });
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });

  test('the walkthrough\'s steps are done once the user has done them', () => {
    const walkthrough = (vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { contributes: { walkthroughs: { steps: { completionEvents: string[] }[] }[] } }).contributes.walkthroughs[0];
    const events = walkthrough.steps.map((step) => step.completionEvents[0]);
    // The page's own context key is part of each condition (see walkthrough.ts): a condition already
    // true when VS Code registers the walkthrough would otherwise never complete its step.
    assert.deepEqual(events, [
      ...['feedAdded', 'keyStored', 'packed', 'inspected', 'published', 'ciSetUp', 'tracked'].map((step) => `onContext:nugetPublisher.walkthrough.${step} && activeEditor == 'gettingStartedPage'`),
    ]);
    // Every step shows a picture (markdown media stayed blank in VS Code for the Web), described for screen readers.
    const steps = (vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { contributes: { walkthroughs: { steps: { media: { image?: string; altText?: string } }[] }[] } }).contributes.walkthroughs[0].steps;
    const root = vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
    for (const step of steps) {
      assert.ok(step.media.image && existsSync(join(root, step.media.image)) && (step.media.altText ?? '').length > 20, JSON.stringify(step.media));
    }
    // The earlier suites added feeds and keys, packed, inspected, published and tracked.
    const done = api.services.context.globalState.get<string[]>('nugetPublisher.walkthrough', []);
    // "Set Up Publishing from GitHub Actions" ran in this suite: its step is done too.
    assert.deepEqual([...done].sort(), ['ciSetUp', 'feedAdded', 'inspected', 'keyStored', 'packed', 'published', 'tracked']);
  });
});
