/** Service index discovery, folder feeds (checked against dotnet nuget push and dotnet restore), CLI push/unlist/relist. */
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { NuGetPublisherError } from '../../src/core/errors';
import { dotnetAddPackage } from '../../src/core/feeds/feed';
import { pushToFolder } from '../../src/core/feeds/folderFeed';
import { discover, hasResource, parseServiceIndex, resourceUrl } from '../../src/core/feeds/serviceIndex';
import { dotnetEnv, dotnetFixtures } from '../helpers/dotnetFixtures';
import { tempDir } from '../helpers/temp';
import { runCliAsync } from '../helpers/cli';
import { nugetExe } from '../helpers/packFixtures';
import { startV3Server, type V3Server } from '../servers/v3Server';

const run = promisify(execFile);

const cli = runCliAsync;

function listTree(folder: string, prefix = ''): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => entry.isDirectory() ? listTree(join(folder, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`]).sort();
}

describe('service index', () => {
  it('matches @type as a string or an array, checks version 3, and names what a feed lacks', () => {
    const index = parseServiceIndex('https://feed/v3/index.json', JSON.stringify({
      version: '3.0.0', extra: true,
      resources: [
        { '@id': 'https://feed/reg/', '@type': ['RegistrationsBaseUrl', 'RegistrationsBaseUrl/3.6.0'] },
        { '@id': 'https://feed/reg-old/', '@type': 'RegistrationsBaseUrl/3.0.0-beta' },
        { '@id': 'https://feed/flat/', '@type': 'PackageBaseAddress/3.0.0', comment: 'ignored' },
        { '@type': 'PackagePublish/2.0.0' },
      ],
    }));
    assert.equal(resourceUrl(index, 'registrations'), 'https://feed/reg/');
    assert.equal(resourceUrl(index, 'packageBase'), 'https://feed/flat/');
    assert.equal(hasResource(index, 'publish'), false);
    assert.throws(() => resourceUrl(index, 'publish'), (error: unknown) => error instanceof NuGetPublisherError && error.code === 'NP3004' && /read-only/.test(error.message));
    assert.throws(() => parseServiceIndex('x', '<html>'), /did not return JSON/);
    assert.throws(() => parseServiceIndex('x', '{"version":"2.0.0","resources":[]}'), /version 2\.0\.0/);
  });

  let server: V3Server;
  before(async () => {
    server = await startV3Server();
  });
  after(async () => server?.close());

  it('discovers a live index over HTTP', async () => {
    const index = await discover(server.index);
    assert.equal(resourceUrl(index, 'publish'), `${server.base}/api/v2/package`);
    assert.equal(resourceUrl(index, 'symbolPublish'), `${server.base}/api/v2/symbolpackage`);
    await assert.rejects(discover(`${server.base}/missing/index.json`), /answered 201|answered 404|service index/);
  });

  it('CLI push sends the key from an environment variable (never an argument), then the symbols; unlist and relist', async () => {
    const fixtures = dotnetFixtures();
    server.requests.length = 0;
    const result = await cli(['push', fixtures.core, '--source', server.index, '--api-key-env', 'MY_FEED_KEY', '--symbols'], { MY_FEED_KEY: 'secret-from-env' });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /Contoso\.Core 2\.0\.0: created \(201\)/);
    assert.match(result.stdout, /symbols: created \(201\)/);
    assert.deepEqual(server.requests.map((request) => `${request.method} ${request.url} ${String(request.headers['x-nuget-apikey'])}`), [
      'PUT /api/v2/package secret-from-env', 'PUT /api/v2/symbolpackage secret-from-env',
    ]);
    assert.ok(!result.stdout.includes('secret-from-env') && !result.stderr.includes('secret-from-env'));
    const missing = await cli(['push', fixtures.core, '--source', server.index, '--api-key-env', 'NOT_SET_ANYWHERE']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /NOT_SET_ANYWHERE is empty or not set/);
    server.requests.length = 0;
    assert.equal((await cli(['unlist', 'Contoso.Core', '2.0.0', '--source', server.index], { NUGET_API_KEY: 'k' })).code, 0);
    assert.equal((await cli(['relist', 'Contoso.Core', '2.0.0', '--source', server.index], { NUGET_API_KEY: 'k' })).code, 0);
    assert.deepEqual(server.requests.map((request) => `${request.method} ${request.url}`), ['DELETE /api/v2/package/Contoso.Core/2.0.0', 'POST /api/v2/package/Contoso.Core/2.0.0']);
    server.script.push({ status: 409 });
    const duplicate = await cli(['push', fixtures.core, '--source', server.index], { NUGET_API_KEY: 'k' });
    assert.equal(duplicate.code, 2);
    assert.match(duplicate.stderr, /^NP2409: /);
  });
});

describe('folder feeds', () => {
  it('writes the layout NuGet.exe add writes, refuses duplicates, and dotnet restore consumes it', async () => {
    const fixtures = dotnetFixtures();
    const root = tempDir();
    const ours = join(root, 'ours');
    const theirs = join(root, 'theirs');
    mkdirSync(ours);
    mkdirSync(theirs);
    const home = join(root, 'home');
    mkdirSync(home);
    for (const pkg of [fixtures.core, fixtures.utils]) {
      assert.equal((await pushToFolder(pkg, ours)).outcome, 'created');
      // NuGet.exe add is the reference for hierarchical folders (dotnet nuget push writes a flat
      // folder when it is empty, and extracts packages into a hierarchical one).
      await run('mono', [nugetExe(), 'add', pkg, '-Source', theirs, '-NonInteractive'], { env: { ...process.env, HOME: home }, timeout: 120_000 });
    }
    assert.deepEqual(listTree(ours), listTree(theirs));
    const sha = 'contoso.core/2.0.0/contoso.core.2.0.0.nupkg.sha512';
    assert.equal(readFileSync(join(ours, sha), 'utf8'), readFileSync(join(theirs, sha), 'utf8'));
    assert.equal((await pushToFolder(fixtures.core, ours, { skipDuplicate: true })).outcome, 'skipped-duplicate');
    await assert.rejects(pushToFolder(fixtures.core, ours), /already has contoso\.core 2\.0\.0/);
    const app = join(root, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'App.csproj'), '<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><TargetFramework>net$(BundledNETCoreAppTargetFrameworkVersion)</TargetFramework></PropertyGroup><ItemGroup><PackageReference Include="Contoso.Utils" Version="1.2.3-beta.1" /></ItemGroup></Project>');
    writeFileSync(join(app, 'NuGet.Config'), `<?xml version="1.0" encoding="utf-8"?><configuration><packageSources><clear /><add key="folder" value="${ours}" /></packageSources></configuration>`);
    await run('dotnet', ['restore', join(app, 'App.csproj')], { env: dotnetEnv(home), timeout: 240_000 });
    const assets = JSON.parse(readFileSync(join(app, 'obj', 'project.assets.json'), 'utf8')) as { libraries: Record<string, unknown> };
    assert.deepEqual(Object.keys(assets.libraries).sort(), ['Contoso.Core/2.0.0', 'Contoso.Utils/1.2.3-beta.1']);
  });

  it('the copied "dotnet add package" command names a folder feed with --source, so it works with a <clear/> NuGet.Config (real dotnet)', async () => {
    const root = tempDir();
    const feed = join(root, 'our feed'); // a space: the path must be quoted
    mkdirSync(feed);
    await pushToFolder(dotnetFixtures().core, feed);
    const home = join(root, 'home');
    mkdirSync(home);
    const app = join(root, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'App.csproj'), '<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><TargetFramework>net$(BundledNETCoreAppTargetFrameworkVersion)</TargetFramework></PropertyGroup></Project>');
    writeFileSync(join(app, 'NuGet.Config'), '<?xml version="1.0" encoding="utf-8"?><configuration><packageSources><clear /></packageSources></configuration>');
    const command = dotnetAddPackage('Contoso.Core', '2.0.0', { kind: 'folder', source: feed });
    assert.equal(command, `dotnet add package Contoso.Core --version 2.0.0 --source "${feed}"`);
    assert.equal(dotnetAddPackage('Contoso.Core', '2.0.0', { kind: 'nuget.org', source: 'https://api.nuget.org/v3/index.json' }), 'dotnet add package Contoso.Core --version 2.0.0');
    // Without --source the same command fails here: that is what the user ran into.
    await assert.rejects(run('bash', ['-c', 'dotnet add package Contoso.Core --version 2.0.0'], { cwd: app, env: dotnetEnv(home), timeout: 240_000 }), (error: { stdout?: string; stderr?: string }) => /NU1101|NU1100|Unable to find package/.test(`${error.stdout}${error.stderr}`));
    await run('bash', ['-c', command], { cwd: app, env: dotnetEnv(home), timeout: 240_000 });
    assert.match(readFileSync(join(app, 'App.csproj'), 'utf8'), /<PackageReference Include="Contoso\.Core" Version="2\.0\.0" \/>/);
  });

  it('CLI push to a folder', async () => {
    const feed = tempDir();
    const result = await cli(['push', dotnetFixtures().core, '--source', feed]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /pushed: .*contoso\.core\/2\.0\.0/);
  });
});
