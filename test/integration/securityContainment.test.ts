/**
 * Security: folder feeds stay contained. A package id is a folder name, so ids such as
 * "../outside" or "." must be refused before any file-system call, and a symbolic link inside the
 * feed must not lead a write elsewhere. Feed-supplied links open only when https.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { NuGetPublisherError } from '../../src/core/errors';
import { pushToFolder } from '../../src/core/feeds/folderFeed';
import { folderFeedLocation } from '../../src/core/feeds/packagePaths';
import { npError } from '../helpers/assertions';
import { runCliMeasured } from '../helpers/cli';
import { buildZip, nuspecXml } from '../helpers/rawZip';
import { tempDir } from '../helpers/temp';

function packageWithId(folder: string, id: string, version = '1.0.0'): string {
  const path = join(folder, 'hostile.nupkg');
  writeFileSync(path, buildZip([
    { name: 'x.nuspec', data: nuspecXml(`<id>${id}</id><version>${version}</version><authors>a</authors><description>d</description>`) },
    { name: 'lib/net8.0/a.dll', data: 'x' },
  ]));
  return path;
}

/** Every path below `root`, for "nothing was written" checks. */
function tree(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: false }) as string[];
}

const HOSTILE_IDS = ['../outside', '../../t/t', '..', '.', 'a/b', 'a\\b', '/abs/olute', 'C:evil', 'x\u0000y', 'a'.repeat(101), ''];

describe('folder feed containment', () => {
  for (const id of HOSTILE_IDS) {
    it(`refuses the id ${JSON.stringify(id.slice(0, 20))} before writing anything (core and CLI)`, async () => {
      const sandbox = tempDir();
      const feed = join(sandbox, 'feeds', 'feed');
      const pkg = packageWithId(sandbox, id.replace('\u0000', '&#0;'));
      const before = tree(sandbox);
      await assert.rejects(pushToFolder(pkg, feed), (error: unknown) => error instanceof NuGetPublisherError && /NP202[02]|NP09/.test(error.code));
      const cli = await runCliMeasured(['push', pkg, '--source', feed]);
      assert.equal(cli.code, 2, cli.stderr);
      assert.match(cli.stderr, /^NP(202[02]|09\d\d): /m);
      assert.deepEqual(tree(sandbox), before, 'nothing was created anywhere in the sandbox, not even the feed folder');
    });
  }

  it('refuses a bad version before writing', async () => {
    const sandbox = tempDir();
    const pkg = packageWithId(sandbox, 'Contoso.Good', '../../1.0.0');
    await assert.rejects(pushToFolder(pkg, join(sandbox, 'feed')), npError('NP2023'));
    assert.deepEqual(tree(sandbox), ['hostile.nupkg']);
  });

  it('does not follow a symbolic link from the feed to another folder', async () => {
    const sandbox = tempDir();
    const feed = join(sandbox, 'feed');
    const elsewhere = join(sandbox, 'elsewhere');
    mkdirSync(feed);
    mkdirSync(elsewhere);
    symlinkSync(elsewhere, join(feed, 'contoso.linked'));
    const pkg = packageWithId(sandbox, 'Contoso.Linked');
    await assert.rejects(pushToFolder(pkg, feed), npError('NP2024', /outside/));
    assert.deepEqual(readdirSync(elsewhere), []);
  });

  it('keeps ordinary ids working, Unicode letters included, inside the feed', async () => {
    const sandbox = tempDir();
    const feed = join(sandbox, 'feed');
    const result = await pushToFolder(packageWithId(sandbox, 'Contoso.Ünïcode_1'), feed);
    assert.equal(result.folder, join(feed, 'contoso.ünïcode_1', '1.0.0'));
    assert.equal((await folderFeedLocation(feed, 'Contoso.Ünïcode_1', '1.0.0')).nupkg, join(feed, 'contoso.ünïcode_1', '1.0.0', 'contoso.ünïcode_1.1.0.0.nupkg'));
  });

});
