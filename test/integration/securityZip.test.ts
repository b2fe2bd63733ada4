/**
 * Security: zip tricks NuGet refuses are refused here too. Overlapping entries (a "non-recursive"
 * zip bomb: many entries sharing one deflate stream), an end record that hides entries, and local
 * headers that disagree with the central directory.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { PackageReadError } from '../../src/core/errors';
import { openPackage } from '../../src/core/nupkg/package';
import { runCliMeasured } from '../helpers/cli';
import { BASIC_METADATA, buildZip, nuspecXml, samplePackage } from '../helpers/rawZip';
import { writeTemp } from '../helpers/temp';

/**
 * Fifield's overlapping construction, simplified: one 1 MB deflate stream stored once, then
 * `count` central-directory entries whose local headers all point at it.
 */
function overlappingBomb(count: number): Buffer {
  const nuspec = Buffer.from(nuspecXml(BASIC_METADATA));
  const kernel = Buffer.alloc(1024 * 1024, 0x61);
  const zip = buildZip([{ name: 'Contoso.Sample.nuspec', data: nuspec }, { name: 'lib/net8.0/k.bin', data: kernel }]);
  const centralStart = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  const endStart = zip.length - 22;
  const central = zip.subarray(centralStart, endStart);
  const secondEntry = central.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), 4);
  const template = central.subarray(secondEntry);
  const entries: Buffer[] = [central.subarray(0, secondEntry)];
  for (let i = 0; i < count; i++) {
    const name = Buffer.from(`lib/net8.0/k${String(i).padStart(4, '0')}.bin`);
    const entry = Buffer.concat([template.subarray(0, 46), name]);
    entry.writeUInt16LE(name.length, 28);
    entries.push(entry);
  }
  const directory = Buffer.concat(entries);
  const end = Buffer.from(zip.subarray(endStart));
  end.writeUInt16LE(count + 1, 8);
  end.writeUInt16LE(count + 1, 10);
  end.writeUInt32LE(directory.length, 12);
  return Buffer.concat([zip.subarray(0, centralStart), directory, end]);
}

async function refused(file: Buffer, code: string, message: RegExp): Promise<void> {
  const path = writeTemp('crafted.nupkg', file);
  await assert.rejects(openPackage(path).then(async (pkg) => {
    // Some checks run when an entry is read: read every file.
    for (const entry of pkg.files) {
      await pkg.readFile(entry.path, 64 * 1024 * 1024);
    }
    await pkg.close();
  }), (error: unknown) => error instanceof PackageReadError && error.code === code && message.test(error.message));
  const cli = await runCliMeasured(['inspect', path]);
  assert.equal(cli.code, 2, cli.stdout);
  assert.ok(cli.maxRssMb < 256 && cli.cpuMs < 3000, `${Math.round(cli.maxRssMb)} MB, ${Math.round(cli.cpuMs)} ms CPU`);
}

describe('zip structure tricks', () => {
  it('refuses 2,000 entries sharing one deflate stream (a 2 GB non-recursive bomb)', async () => {
    const bomb = overlappingBomb(2000);
    assert.ok(bomb.length < 200 * 1024);
    await refused(bomb, 'NP0914', /overlap/);
  });

  it('refuses an end record whose count hides entries (e.g. ../../evil.txt)', async () => {
    const zip = samplePackage({ extra: [{ name: 'zz/evil.txt', data: 'x' }] });
    // Rename the hidden last entry to a traversal name (same length), then declare one entry fewer.
    const at = zip.lastIndexOf(Buffer.from('zz/evil.txt'));
    Buffer.from('../evil.txt').copy(zip, at);
    const end = zip.length - 22;
    zip.writeUInt16LE(zip.readUInt16LE(end + 8) - 1, end + 8);
    zip.writeUInt16LE(zip.readUInt16LE(end + 10) - 1, end + 10);
    await refused(zip, 'NP0914', /declares \d+ entries, but its central directory holds more/);
  });

  it('refuses a local header whose name differs from the central directory', async () => {
    const zip = samplePackage();
    // The first occurrence is the nuspec's local header (the central directory comes last).
    const local = zip.indexOf(Buffer.from('Contoso.Sample.nuspec'));
    Buffer.from('Contoso.Sample.nuspek').copy(zip, local);
    await refused(zip, 'NP0915', /disagrees with the central directory \(name\)/);
  });

  it('still reads a package whose directory lists entries out of offset order', async () => {
    const zip = buildZip([{ name: 'x.nuspec', data: nuspecXml(BASIC_METADATA) }, { name: 'a.txt', data: 'a' }, { name: 'b.txt', data: 'b', method: 0 }]);
    // Reverse the central directory (entries are 46 bytes + name: no extra fields, no comments).
    const centralStart = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    const end = zip.length - 22;
    const records: Buffer[] = [];
    for (let at = centralStart; at < end; at += 46 + zip.readUInt16LE(at + 28)) {
      records.push(zip.subarray(at, at + 46 + zip.readUInt16LE(at + 28)));
    }
    const reordered = Buffer.concat([zip.subarray(0, centralStart), ...records.reverse(), zip.subarray(end)]);
    const pkg = await openPackage(writeTemp('reordered.nupkg', reordered));
    assert.deepEqual(pkg.files.map((file) => file.path), ['b.txt', 'a.txt', 'x.nuspec']);
    assert.equal((await pkg.readFile('a.txt', 10)).toString(), 'a');
    assert.equal((await pkg.readFile('b.txt', 10)).toString(), 'b');
    await pkg.close();
  });
});
