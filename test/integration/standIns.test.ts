/**
 * The V3 test server stands in for nuget.org's read side. Where NuGet's own client can read it
 * here, it does, and must see what the stand-in claims to serve: search (ids, owners, downloads)
 * through `dotnet package search`, deprecation through `dotnet list package --deprecated`, and
 * the flat container through `dotnet restore`. (The push side is checked by pushParity.test.ts;
 * what no real tool here reads is listed in the README under "Stand-ins".)
 */
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { dotnetEnv } from '../helpers/dotnetFixtures';
import { makePackage } from '../helpers/makePackage';
import { tempDir } from '../helpers/temp';
import { startV3Server, type V3Server } from '../servers/v3Server';

const execFileAsync = promisify(execFile);

/** Runs the reference client to its own end; not running at all fails the test with that cause. */
async function dotnet(args: string[], cwd: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await execFileAsync('dotnet', args, { cwd, env: dotnetEnv(join(cwd, 'home')), timeout: 240_000, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: unknown; message?: string; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') {
      throw new Error(`the reference tool did not run to its own end (dotnet ${args.join(' ')}): ${failed.message}`);
    }
    return { code: failed.code, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

describe('the V3 test server, read by NuGet\'s own client', () => {
  let server: V3Server;
  let project: string;

  before(async () => {
    server = await startV3Server();
    const folder = tempDir();
    // Two real packages: one deprecated with a reason and a message, one not.
    server.catalog.add('Contoso.Old', [{ version: '1.0.0', content: readFileSync(makePackage(folder, 'Contoso.Old', '1.0.0')), deprecation: { reasons: ['Legacy', 'CriticalBugs'], message: 'Use Contoso.New' } }], { owners: ['contoso', 'alice'], downloads: 4242 });
    server.catalog.add('Contoso.New', [{ version: '2.0.0', content: readFileSync(makePackage(folder, 'Contoso.New', '2.0.0')) }], { owners: ['contoso'], downloads: 17 });
    project = tempDir('np-standin-');
    writeFileSync(join(project, 'nuget.config'), `<configuration><packageSources><clear /><add key="standin" value="${server.index}" allowInsecureConnections="true" /></packageSources></configuration>`);
    writeFileSync(join(project, 'App.csproj'), '<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup><ItemGroup><PackageReference Include="Contoso.Old" Version="1.0.0" /><PackageReference Include="Contoso.New" Version="2.0.0" /></ItemGroup></Project>');
  });
  after(async () => server?.close());

  it('search: dotnet package search finds the ids with the owners and downloads the stand-in serves', async () => {
    const run = await dotnet(['package', 'search', 'Contoso', '--source', 'standin', '--format', 'json', '--verbosity', 'detailed'], project);
    assert.equal(run.code, 0, run.output);
    const result = JSON.parse(run.output.slice(run.output.indexOf('{'))) as { searchResult: { problems?: unknown[]; packages: { id: string; latestVersion: string; owners: string; totalDownloads: number }[] }[] };
    assert.deepEqual(result.searchResult[0].problems ?? [], []);
    const seen = result.searchResult[0].packages.map((pkg) => [pkg.id, pkg.latestVersion, pkg.owners, pkg.totalDownloads]).sort();
    assert.deepEqual(seen, [['Contoso.New', '2.0.0', 'contoso', 17], ['Contoso.Old', '1.0.0', 'contoso, alice', 4242]]);
  });

  it('flat container and registration: dotnet restore gets both packages; dotnet list package --deprecated reads the deprecation', async () => {
    const restore = await dotnet(['restore', 'App.csproj'], project);
    assert.equal(restore.code, 0, restore.output);
    const listed = await dotnet(['list', 'App.csproj', 'package', '--deprecated', '--format', 'json'], project);
    assert.equal(listed.code, 0, listed.output);
    const report = JSON.parse(listed.output.slice(listed.output.indexOf('{'))) as { projects: { frameworks?: { topLevelPackages: { id: string; resolvedVersion: string; deprecationReasons?: string[] }[] }[] }[] };
    const deprecated = report.projects[0].frameworks?.[0].topLevelPackages.map((pkg) => [pkg.id, pkg.resolvedVersion, pkg.deprecationReasons]);
    assert.deepEqual(deprecated, [['Contoso.Old', '1.0.0', ['Legacy', 'CriticalBugs']]], listed.output);
  });
});
