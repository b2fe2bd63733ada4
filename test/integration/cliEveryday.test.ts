/**
 * What a new user of the CLI ran into (issue "everyday use, round two", its CLI items): `--version`,
 * `inspect --help`, a plain-http source to another host refused as the editor refuses it, no stray
 * space before a colon, and `pack <project>` keeping stdout for the package paths.
 */
import { strict as assert } from 'node:assert';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCliAsync } from '../helpers/cli';
import { dotnetEnv } from '../helpers/dotnetFixtures';
import { makePackage } from '../helpers/makePackage';
import { REPO_ROOT } from '../helpers/paths';
import { tempDir } from '../helpers/temp';
import { startV3Server } from '../servers/v3Server';
import { inspectPackageFile } from '../../src/core/inspect';
import { corpusPackages } from '../helpers/corpus';

describe('the CLI for a new user', () => {
  it('--version prints the package version; inspect --help prints the usage and exits 0', async () => {
    const version = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    const printed = await runCliAsync(['--version']);
    assert.equal(printed.code, 0);
    assert.equal(printed.stdout, `${version}\n`);
    const help = await runCliAsync(['inspect', '--help']);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /^usage: nuget-publisher inspect/);
  });

  it('a plain http:// source on another host is refused before any request, as in the editor', async () => {
    const started = Date.now();
    const result = await runCliAsync(['push', makePackage(tempDir(), 'Http.Pkg', '1.0.0'), '--source', 'http://feed.invalid/v3/index.json'], { NUGET_API_KEY: 'k' });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^NP2002: http:\/\/feed\.invalid uses plain HTTP; packages and keys go only over HTTPS \(or to this machine\)\. Use the feed's https:\/\/ URL\./m);
    assert.doesNotMatch(result.stderr, /ENOTFOUND|getaddrinfo/);
    assert.ok(Date.now() - started < 10_000);
  });

  it('an unreadable file in a plan is named without a stray space before the colon', async () => {
    const server = await startV3Server();
    try {
      const folder = tempDir('np-everyday-');
      makePackage(folder, 'Every.Day', '1.0.0');
      writeFileSync(join(folder, 'Broken.1.0.0.nupkg'), 'not a zip');
      const result = await runCliAsync(['publish-plan', folder, '--source', server.index, '--continue-on-error'], { NUGET_API_KEY: 'k' });
      assert.match(result.stdout, /^Broken\.1\.0\.0\.nupkg: failed \(NP0901/m);
      assert.doesNotMatch(result.stdout, / : failed/);
    } finally {
      await server.close();
    }
  });

  it('pack <project>: stdout holds only the package paths, one a line; MSBuild\'s output goes to stderr', async () => {
    const work = tempDir('np-pack-project-');
    cpSync(join(REPO_ROOT, 'test', 'fixtures', 'projects'), work, { recursive: true });
    writeFileSync(join(work, 'NuGet.Config'), '<?xml version="1.0" encoding="utf-8"?>\n<configuration><packageSources><clear /></packageSources></configuration>\n');
    const output = join(work, 'out');
    const env = dotnetEnv(join(work, 'home'));
    const result = await runCliAsync(['pack', join(work, 'Contoso.Core', 'Contoso.Core.csproj'), '--output', output], env);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trim().split('\n');
    assert.ok(lines.length >= 1 && lines.every((line) => line.startsWith(output) && /\.s?nupkg$/.test(line)), result.stdout);
    assert.match(result.stderr, /Determining projects to restore|Successfully created package/, 'MSBuild spoke on stderr');
  });

  it('NP0005 (reserved prefix) is not raised on a package nuget.org countersigned, only on one of your own', async () => {
    const codes = async (path: string): Promise<string[]> => {
      const inspection = await inspectPackageFile(path);
      try {
        return inspection.diagnostics.map((diagnostic) => diagnostic.code);
      } finally {
        await inspection.pkg.close();
      }
    };
    const published = corpusPackages().filter((entry) => /^Microsoft\./i.test(entry.id));
    assert.ok(published.length >= 3, 'the corpus has Microsoft.* packages');
    for (const entry of published) {
      assert.ok(!(await codes(entry.path)).includes('NP0005'), `${entry.id} ${entry.version} came from nuget.org`);
    }
    const own = makePackage(tempDir(), 'Microsoft.Contoso.Mine', '1.0.0');
    assert.ok((await codes(own)).includes('NP0005'), 'an unsigned package under a reserved prefix still gets it');
  });
});
