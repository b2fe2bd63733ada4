/**
 * Robustness: nothing is left behind and every error has an NP code. An interrupted pack removes
 * its temporary file; stale folder-feed stages are swept; concurrent pushes of one version end in
 * one "created" and duplicates; file-system errors name a cause and a fix.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, readdirSync, truncateSync, utimesSync, watch, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pushToFolder, STALE_STAGE_MS, sweepStaleStages } from '../../src/core/feeds/folderFeed';
import { runCliMeasured } from '../helpers/cli';
import { makePackage } from '../helpers/makePackage';
import { tempDir } from '../helpers/temp';

describe('cleanup and concurrency', () => {
  it('SIGTERM during a pack removes the temporary package', async () => {
    const folder = tempDir();
    const out = join(folder, 'out');
    mkdirSync(out);
    // 2 GB of zeros (a sparse file: no disk) keeps the packer busy long enough to be interrupted.
    writeFileSync(join(folder, 'big.bin'), '');
    truncateSync(join(folder, 'big.bin'), 2 * 1024 * 1024 * 1024);
    writeFileSync(join(folder, 'Big.nuspec'), `<?xml version="1.0"?><package><metadata><id>Big</id><version>1.0.0</version><authors>a</authors><description>d</description><license type="expression">MIT</license></metadata><files><file src="big.bin" target="content" /></files></package>`);
    let sawTemp = false;
    const result = await runCliMeasured(['pack', join(folder, 'Big.nuspec'), '--output', out], {
      whileRunning: (child) => {
        // Signal as soon as the temporary file exists (a state, not a delay).
        const watcher = watch(out, () => {
          if (!sawTemp && readdirSync(out).some((name) => name.endsWith('.tmp'))) {
            sawTemp = true;
            watcher.close();
            child.kill('SIGTERM');
          }
        });
        child.on('close', () => watcher.close());
      },
    });
    assert.ok(sawTemp, `the pack finished before a temporary file was seen: ${result.stdout}`);
    assert.equal(result.code, 143, result.stderr);
    assert.deepEqual(readdirSync(out), [], 'no temporary file and no package left');
  });

  it('a folder push sweeps stages older than an hour and keeps recent ones', async () => {
    const feed = tempDir();
    const idFolder = join(feed, 'contoso.stale');
    const stale = join(idFolder, '.1.0.0.0123abcd.tmp');
    const fresh = join(idFolder, '.1.0.0.89abcdef.tmp');
    mkdirSync(stale, { recursive: true });
    mkdirSync(fresh);
    const old = (Date.now() - STALE_STAGE_MS - 60_000) / 1000;
    utimesSync(stale, old, old);
    await pushToFolder(makePackage(tempDir(), 'Contoso.Stale', '2.0.0'), feed);
    assert.deepEqual(readdirSync(idFolder).sort(), ['.1.0.0.89abcdef.tmp', '2.0.0']);
    assert.equal(await sweepStaleStages(idFolder, Date.now() + STALE_STAGE_MS + 60_000), 1);
  });

  it('five concurrent pushes of one version: one created, four skipped (--skip-duplicate) or NP2409', async () => {
    for (const skip of [true, false]) {
      const feed = tempDir();
      const pkg = makePackage(tempDir(), 'Contoso.Race', '1.0.0');
      const results = await Promise.all(Array.from({ length: 5 }, () => runCliMeasured(['push', pkg, '--source', feed, ...(skip ? ['--skip-duplicate'] : [])])));
      const created = results.filter((result) => result.code === 0 && /^pushed: /m.test(result.stdout));
      assert.equal(created.length, 1, results.map((result) => result.stdout + result.stderr).join('\n'));
      for (const other of results.filter((result) => !created.includes(result))) {
        if (skip) {
          assert.equal(other.code, 0, other.stderr);
          assert.match(other.stdout, /already there \(skipped\)/);
        } else {
          assert.equal(other.code, 2);
          assert.match(other.stderr, /^NP2409: /m);
        }
      }
      assert.deepEqual(readdirSync(join(feed, 'contoso.race')), ['1.0.0']);
    }
  });

  it('file-system failures carry an NP code, a cause and a fix', async () => {
    const folder = tempDir();
    const file = join(folder, 'a-file');
    writeFileSync(file, 'x');
    const nuspec = join(folder, 'X.nuspec');
    writeFileSync(nuspec, '<?xml version="1.0"?><package><metadata><id>X</id><version>1.0.0</version><authors>a</authors><description>d</description><license type="expression">MIT</license></metadata><files><file src="X.nuspec" target="content" /></files></package>');
    const pkg = makePackage(tempDir(), 'Contoso.Fs', '1.0.0');
    const cases: [string[], RegExp][] = [
      [['pack', nuspec, '--output', file], /^NP1032: Creating the output folder failed: .*already exists as a file.*\(EEXIST\)\. Remove or rename/m],
      [['push', pkg, '--source', join(file, 'feed')], /^NP2021: Creating the folder feed failed: .*is a file, not a folder \(ENOTDIR\)/m],
      [['push', pkg, '--source', join(folder, 'x'.repeat(300), 'feed')], /^NP2021: .*longer than the file system allows \(ENAMETOOLONG\)/m],
    ];
    for (const [args, expected] of cases) {
      const result = await runCliMeasured(args);
      assert.equal(result.code, 2, result.stdout);
      assert.match(result.stderr, expected);
    }
  });
});
