/**
 * Names that are one file where packages are extracted (src/core/nupkg/entryNames.ts), judged by
 * NuGet's own rule: nuget.org's duplicate-entry check (NuGetGallery) over NuGet.Packaging's file
 * list with .NET's real StringComparer.OrdinalIgnoreCase, run by test/fidelity/NuGetReader. Each
 * pair goes into a real package; our reader must refuse it (NP0907) exactly when NuGet's rule
 * finds a duplicate. Trailing dots and spaces are ours on top (Win32 path normalization, which
 * .NET on Linux does not do), and the packer and the nupkg: file system follow the reader.
 */
import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { NuGetPublisherError } from '../../src/core/errors';
import { openPackage } from '../../src/core/nupkg/package';
import { collisionKey } from '../../src/core/nupkg/entryNames';
import { prepareBuffer, ZipWriter } from '../../src/core/pack/zipWriter';
import { galleryDuplicates } from '../helpers/corpus';
import { BASIC_METADATA, buildZip, nuspecXml } from '../helpers/rawZip';
import { tempDir } from '../helpers/temp';

/** A valid package holding the two names (and the nuspec, readme and icon it needs). */
function packageWith(folder: string, index: number, names: readonly [string, string]): string {
  const path = join(folder, `pair-${index}.nupkg`);
  writeFileSync(path, buildZip([
    { name: 'Contoso.Sample.nuspec', data: nuspecXml(BASIC_METADATA) },
    { name: 'README.md', data: '# Sample\n' },
    { name: 'icon.png', data: Buffer.from([0x89, 0x50, 0x4e, 0x47]) },
    ...names.map((name, at) => ({ name, data: `file ${at}`, utf8Flag: /[^\x20-\x7e]/.test(name) })),
  ]));
  return path;
}

/** Our reading: refused as a duplicate (NP0907), or read. */
async function oursRefuses(path: string): Promise<boolean> {
  try {
    const pkg = await openPackage(path);
    await pkg.close();
    return false;
  } catch (error) {
    if (error instanceof NuGetPublisherError && error.code === 'NP0907') {
      return true;
    }
    throw error;
  }
}

/** Letters that some rule or other folds together: each random pair picks from the same groups, so many pairs nearly collide. */
const GROUPS = [['a', 'A'], ['i', 'I', 'ı', 'İ'], ['s', 'S', 'ſ'], ['σ', 'ς', 'Σ'], ['ß', 'ẞ', 'SS', 'ss'], ['k', 'K', '\u212A'], ['µ', 'μ', 'Μ'], ['ǆ', 'ǅ', 'Ǆ'], ['é', 'É', 'e\u0301'], ['ω', 'Ω', '\u2126'], ['𐐨', '𐐀'], ['ﬁ', 'FI', 'fi'], ['ǰ', 'J\u030C']];

const NAMED: readonly [string, string][] = [
  ['lib/a/b.dll', 'lib/a\\b.dll'],
  ['lib/X.dll', 'lib/x.dll'],
  ['content/σ.txt', 'content/ς.txt'],
  ['content/σ.txt', 'content/Σ.txt'],
  ['content/ß.txt', 'content/SS.txt'],
  ['content/ß.txt', 'content/ẞ.txt'],
  ['content/K.txt', 'content/\u212A.txt'],
  ['content/ı.txt', 'content/I.txt'],
  ['content/ſ.txt', 'content/S.txt'],
  ['content/µ.txt', 'content/Μ.txt'],
  ['content/ǆ.txt', 'content/ǅ.txt'],
  ['content/İ.txt', 'content/i.txt'],
  ['content/𐐨.txt', 'content/𐐀.txt'],
  ['content/ﬁ.txt', 'content/FI.txt'],
  ['content/a.txt', 'content/b.txt'],
];

describe('entry names that are one file on Windows', () => {
  it('refused exactly when nuget.org\'s duplicate rule (NuGet.Packaging + .NET OrdinalIgnoreCase) says so: named pairs and 300 random ones', async () => {
    const folder = tempDir('np-names-');
    const letters = fc.array(fc.tuple(fc.nat(GROUPS.length - 1), fc.nat(3), fc.nat(3)), { minLength: 1, maxLength: 3 });
    const random = fc.sample(letters.map((picks) => {
      const name = (which: 1 | 2): string => picks.map(([group, first, second]) => GROUPS[group][(which === 1 ? first : second) % GROUPS[group].length]).join('');
      return [`content/${name(1)}.txt`, `content/${name(2)}.txt`] as [string, string];
    }), { seed: 20261206, numRuns: 300 }).filter(([a, b]) => a !== b);
    const pairs = [...NAMED, ...random];
    const paths = pairs.map((pair, index) => packageWith(folder, index, pair));
    const theirs = galleryDuplicates(paths);
    const disagreements: string[] = [];
    let duplicates = 0;
    for (const [index, path] of paths.entries()) {
      const reference = theirs.get(path);
      assert.ok(reference && reference.error === undefined, `NuGet read ${path}: ${reference?.error}`);
      const ours = await oursRefuses(path);
      duplicates += reference.duplicate ? 1 : 0;
      if (ours !== reference.duplicate) {
        disagreements.push(`${JSON.stringify(pairs[index])}: NuGet ${reference.duplicate ? 'duplicate' : 'distinct'}, ours ${ours ? 'refused' : 'read'}`);
      }
    }
    assert.deepEqual(disagreements, []);
    assert.ok(duplicates >= 30 && duplicates <= pairs.length - 30, `both outcomes were exercised (${duplicates} duplicates of ${pairs.length})`);
  });

  it('trailing dots and spaces (Windows drops them) are duplicates too, with the reason named', async () => {
    const folder = tempDir('np-names-');
    for (const [index, pair] of ([['lib/x.dll', 'lib/x.dll.'], ['lib/x.dll', 'lib/x.dll '], ['lib/dir/a.txt', 'lib/dir. /a.txt']] as [string, string][]).entries()) {
      await assert.rejects(openPackage(packageWith(folder, index, pair)), (error: NuGetPublisherError) => error.code === 'NP0907' && /trailing dots and spaces/.test(error.message));
    }
  });

  it('the packer refuses to write two names that collide (NP1012), naming why', async () => {
    const written: Buffer[] = [];
    const writer = new ZipWriter({ append: async (data) => void written.push(data), writeAt: async () => undefined }, new Date(0));
    await writer.addPrepared('content/σ.txt', await prepareBuffer(Buffer.from('1')));
    await assert.rejects(writer.addPrepared('content/ς.txt', await prepareBuffer(Buffer.from('2'))), (error: NuGetPublisherError) => error.code === 'NP1012' && /letter case/.test(error.message));
    await assert.rejects(writer.addPrepared('content\\σ.txt', await prepareBuffer(Buffer.from('3'))), (error: NuGetPublisherError) => error.code === 'NP1012' && /separator/.test(error.message));
    await assert.rejects(writer.addPrepared('content/σ.txt.', await prepareBuffer(Buffer.from('4'))), (error: NuGetPublisherError) => error.code === 'NP1012' && /trailing dots/.test(error.message));
    assert.equal(collisionKey('Lib/X.DLL. '), collisionKey('lib/x.dll'));
  });
});
