/**
 * Hostile inputs: each must give a clear, one-line error (a PackageReadError with a stable code
 * from the core) — no crash, no hang, nothing inflated beyond the limits. The CLI's answer to the
 * same files is checked in test/integration/hostileCli.test.ts.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import JSZip from 'jszip';
import { PackageReadError } from '../../src/core/errors';
import { openPackage } from '../../src/core/nupkg/package';
import { CASES } from '../helpers/hostileCases';
import { BASIC_METADATA, nuspecXml } from '../helpers/rawZip';
import { writeTemp } from '../helpers/temp';

describe('hostile packages', () => {
  for (const testCase of CASES) {
    it(`${testCase.name}: a clear error from the core`, async () => {
      const path = writeTemp('hostile.nupkg', await testCase.file());
      await assert.rejects(openPackage(path), (error: unknown) => {
        assert.ok(error instanceof PackageReadError, `expected PackageReadError, got ${String(error)}`);
        assert.equal(error.code, testCase.code, error.message);
        assert.match(error.message, testCase.message);
        assert.ok(error.fix.length > 0, 'names a fix');
        return true;
      });
    });
  }
  it('reads a valid jszip-made package (jszip writes, our reader reads)', async () => {
    const zip = new JSZip();
    zip.file('Contoso.Sample.nuspec', nuspecXml(BASIC_METADATA));
    zip.file('README.md', '# hi');
    zip.file('icon.png', Buffer.from([1, 2, 3]));
    zip.file('lib/net8.0/Contoso.Sample.dll', Buffer.alloc(5000, 7));
    const path = writeTemp('ok.nupkg', await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
    const pkg = await openPackage(path);
    try {
      assert.equal(pkg.nuspec.nuspec.metadata.id, 'Contoso.Sample');
      assert.deepEqual(pkg.files.map((file) => file.path).sort(), ['Contoso.Sample.nuspec', 'README.md', 'icon.png', 'lib/net8.0/Contoso.Sample.dll'].sort());
      assert.deepEqual(await pkg.readFile('lib/net8.0/Contoso.Sample.dll', 10_000), Buffer.alloc(5000, 7));
      await assert.rejects(pkg.readFile('lib/net8.0/Contoso.Sample.dll', 100), /more than the 100 bytes/);
    } finally {
      await pkg.close();
    }
  });
});
