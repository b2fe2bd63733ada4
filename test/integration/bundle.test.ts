/** What ships: the build (npm run build, as npm test runs it) writes minified bundles within budget. */
import { strict as assert } from 'node:assert';
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

  it('the CLI: a small entry with its shebang, and minified bundles; inspect loads neither the HTTP stack nor the packer', () => {
    const entry = readFileSync(join(REPO_ROOT, 'dist', 'cli.js'), 'utf8');
    assert.ok(entry.startsWith('#!/usr/bin/env node'), 'the CLI keeps its shebang');
    for (const name of ['cli-main.js', 'cli-inspect.js']) {
      const text = readFileSync(join(REPO_ROOT, 'dist', name), 'utf8');
      assert.ok(text.split('\n').length < 2000, `dist/${name} has ${text.split('\n').length} lines`);
    }
    const inspect = readFileSync(join(REPO_ROOT, 'dist', 'cli-inspect.js'), 'utf8');
    assert.ok(!inspect.includes('undici'), 'the inspect bundle does not contain undici');
    assert.ok(statSync(join(REPO_ROOT, 'dist', 'cli-inspect.js')).size < statSync(join(REPO_ROOT, 'dist', 'cli-main.js')).size / 3);
  });
});
