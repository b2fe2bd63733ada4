/** What ships: the build (npm run build, as npm test runs it) writes minified bundles within budget. */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '../helpers/dotnetFixtures';

describe('shipped bundles', () => {
  it('dist/extension.js is minified and at most 1 MB, with its source map outside the start path', () => {
    const path = join(REPO_ROOT, 'dist', 'extension.js');
    const size = statSync(path).size;
    assert.ok(size <= 1024 * 1024, `dist/extension.js is ${size} bytes`);
    const text = readFileSync(path, 'utf8');
    // Minified: long lines, not one statement per line.
    assert.ok(text.split('\n').length < 2000, `dist/extension.js has ${text.split('\n').length} lines`);
    assert.match(text, /\/\/# sourceMappingURL=extension\.js\.map\s*$/);
    assert.ok(statSync(`${path}.map`).size > 0);
  });

  it('no test-only code ships: the recorders and the test API are only in the extension-host build', () => {
    const RECORDERS = ['shownMessages', 'keysPanelMessages', 'shownDiffs', 'inspectorMessages', 'liveWebviews', 'remindExpiringKeys', 'askedQuestions', 'answerQuestionsWith'];
    const shipped = readFileSync(join(REPO_ROOT, 'dist', 'extension.js'), 'utf8');
    assert.deepEqual(RECORDERS.filter((name) => shipped.includes(name)), [], 'dist/extension.js has none of them');
    // The same names are in the test build, so the check above looks for what would be there.
    const testBuild = readFileSync(join(REPO_ROOT, 'out', 'test-extension', 'dist', 'extension.js'), 'utf8');
    assert.deepEqual(RECORDERS.filter((name) => !testBuild.includes(name)), [], 'out/test-extension has all of them');
  });

  it('no command argument skips a confirmation or carries a secret: the shipped bundle reads none of the old door arguments', () => {
    // Property names survive minification (`args.yes` stays `e.yes`), so a read of any of them
    // in dist/extension.js is a door another extension could open. The behaviour itself is
    // shown in a real VS Code by test/suite/doors.test.ts.
    const DOORS = ['yes', 'publishAnyway', 'ifExists', 'noBrowser', 'overwrite', 'confirm', 'all'];
    const shipped = readFileSync(join(REPO_ROOT, 'dist', 'extension.js'), 'utf8');
    const readsIn = (text: string, name: string): string[] => [...text.matchAll(new RegExp(`[A-Za-z_$][\\w$]*\\.${name}\\b(?!\\()`, 'g'))].map((match) => match[0]);
    const reads = (name: string): string[] => readsIn(shipped, name);
    // Promise.all is a call, not a read; every other read of a door name is listed.
    assert.deepEqual(Object.fromEntries(DOORS.map((name) => [name, reads(name)]).filter(([, found]) => found.length > 0)), {});
    // The check would see a door: the same read in a bundle-shaped string is found.
    assert.deepEqual(readsIn('e.yes&&f(),Promise.all(p)', 'yes'), ['e.yes']);
    assert.deepEqual(readsIn('e.yes&&f(),Promise.all(p)', 'all'), []);
  });

  it('the CLI: a small entry with its shebang, and minified bundles; inspect loads neither the HTTP stack nor the packer', () => {
    const entry = readFileSync(join(REPO_ROOT, 'dist', 'cli.js'), 'utf8');
    assert.ok(entry.startsWith('#!/usr/bin/env -S node '), 'the CLI keeps its shebang (with its V8 options)');
    // Run as an installed bin runs it (the shebang, not `node file`): env -S and the options work here.
    const direct = spawnSync(join(REPO_ROOT, 'dist', 'cli.js'), ['--help'], { encoding: 'utf8' });
    assert.equal(direct.status, 0, direct.stderr);
    assert.match(direct.stdout, /nuget-publisher inspect/);
    for (const name of ['cli-main.js', 'cli-inspect.js']) {
      const text = readFileSync(join(REPO_ROOT, 'dist', name), 'utf8');
      assert.ok(text.split('\n').length < 2000, `dist/${name} has ${text.split('\n').length} lines`);
    }
    const inspect = readFileSync(join(REPO_ROOT, 'dist', 'cli-inspect.js'), 'utf8');
    assert.ok(!inspect.includes('undici'), 'the inspect bundle does not contain undici');
    assert.ok(statSync(join(REPO_ROOT, 'dist', 'cli-inspect.js')).size < statSync(join(REPO_ROOT, 'dist', 'cli-main.js')).size / 3);
  });
});
