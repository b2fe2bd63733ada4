/**
 * Signing and verifying through the user's .NET SDK (core/signing/dotnetSigning.ts), with a test
 * CA and certificate made here and a private SDK view that trusts it (test/helpers/signingFixtures):
 * a certificate file whose password reaches dotnet through a named pipe (never an argument), a
 * certificate from the CurrentUser\My store by SHA-256 fingerprint, a wrong password named by
 * NuGet's code, and `dotnet nuget verify --all` on the result; our reader sees the same signer.
 */
import { strict as assert } from 'node:assert';
import { copyFileSync, existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { inspectPackageFile } from '../../src/core/inspect';
import { nugetFindings, runDotnet, signArgs, verifyArgs, withPassword } from '../../src/core/signing/dotnetSigning';
import { withEnv } from '../helpers/env';
import { makePackage } from '../helpers/makePackage';
import { makeSigningFixture, type SigningFixture } from '../helpers/signingFixtures';
import { tempDir } from '../helpers/temp';

async function signerOf(path: string): Promise<[string, string, string] | undefined> {
  const inspection = await inspectPackageFile(path);
  await inspection.pkg.close();
  const primary = inspection.signature.signatures[0];
  return primary ? [primary.type, primary.subject, primary.sha256] : undefined;
}

describe('signing with the .NET SDK', () => {
  let fixture: SigningFixture;
  let dotnet: string;
  before(() => {
    fixture = makeSigningFixture();
    dotnet = join(fixture.dotnetFolder, 'dotnet');
  });
  after(() => fixture?.remove());

  it('a certificate file: the password goes through a named pipe, never an argument, and the pipe is gone afterwards', async () => {
    const pkg = makePackage(tempDir(), 'Contoso.Signed', '1.0.0');
    let pipe = '';
    const run = await withPassword(fixture.password, async (extra) => {
      assert.equal(extra.length, 1);
      pipe = extra[0].slice(1);
      assert.ok(extra[0].startsWith('@') && statSync(pipe).isFIFO(), 'a response file that is a named pipe');
      const args = [...signArgs({ packagePath: pkg, certificatePath: fixture.pfx }), ...extra];
      assert.ok(!args.some((arg) => arg.includes(fixture.password)), 'the password is in no argument');
      return runDotnet(args, { dotnet });
    });
    assert.equal(run.code, 0, run.output);
    assert.ok(!existsSync(dirname(pipe)), 'the private folder of the pipe was removed');
    assert.ok(!run.output.includes(fixture.password));
    assert.deepEqual(await signerOf(pkg), ['author', fixture.subject, fixture.sha256]);
    const verified = await runDotnet(verifyArgs(pkg), { dotnet });
    assert.equal(verified.code, 0, verified.output);
    assert.ok(nugetFindings(verified.output).some((finding) => finding.code === 'NU3027' && finding.severity === 'warning'), 'no timestamp: NuGet warns');
  });

  it('a certificate from the CurrentUser\\My store by its SHA-256 fingerprint', async () => {
    const pkg = makePackage(tempDir(), 'Contoso.Store', '1.0.0');
    // .NET finds CurrentUser\My under HOME.
    const run = await withEnv({ HOME: fixture.storeHome }, () => runDotnet(signArgs({ packagePath: pkg, certificateFingerprint: fixture.sha256.replace(/(..)(?!$)/g, '$1:') }), { dotnet }));
    assert.equal(run.code, 0, run.output);
    assert.deepEqual(await signerOf(pkg), ['author', fixture.subject, fixture.sha256]);
  });

  it('a wrong password: NuGet\'s NU3001, and the package is left unsigned', async () => {
    const pkg = makePackage(tempDir(), 'Contoso.Wrong', '1.0.0');
    const copy = join(tempDir(), 'before.nupkg');
    copyFileSync(pkg, copy);
    const run = await withPassword('not the password', (extra) => runDotnet([...signArgs({ packagePath: pkg, certificatePath: fixture.pfx }), ...extra], { dotnet }));
    assert.notEqual(run.code, 0);
    assert.ok(nugetFindings(run.output).some((finding) => finding.code === 'NU3001' && finding.severity === 'error'), run.output);
    assert.equal(await signerOf(pkg), undefined);
    assert.ok(!run.output.includes('not the password'));
  });

  it('without the .NET SDK the run says so', async () => {
    const run = await runDotnet(['--version'], { dotnet: join(tempDir(), 'no-dotnet-here') });
    assert.equal(run.code, null);
    assert.match(run.output, /The \.NET SDK \(dotnet\) is not on PATH/);
  });
});
