/** Paths from package ids and versions stay inside their folder; feed links open only when https. */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { packageDetailsUrl } from '../../src/core/feeds/feedReads';
import { checkPackageId, downloadPath, isValidPackageId, safeExternalUrl } from '../../src/core/feeds/packagePaths';
import { npError } from '../helpers/assertions';
import { tempDir } from '../helpers/temp';

describe('package paths and links', () => {
  it('accepts NuGet ids (Unicode letters too) and refuses anything that could be a path', () => {
    for (const id of ['Contoso.Utils', 'a', 'A_b-c.D9', 'Contoso.Ünïcode', 'x'.repeat(100)]) {
      assert.ok(isValidPackageId(id), id);
    }
    for (const id of ['', '.', '..', '../x', 'a/b', 'a\\b', '/abs', 'C:x', 'a..b', '.a', 'a.', 'a b', 'x'.repeat(101), 'a\u0000b']) {
      assert.ok(!isValidPackageId(id), JSON.stringify(id));
    }
    assert.throws(() => checkPackageId('../outside'), npError('NP2022', /"\.\.\/outside" is not a valid package id/));
  });

  it('builds download destinations only inside the download folder', () => {
    const folder = tempDir();
    assert.equal(downloadPath(folder, 'Contoso.Utils', '1.0.0-RC.1+meta'), join(folder, 'contoso.utils.1.0.0-rc.1.nupkg'));
    assert.throws(() => downloadPath(folder, '../../evil', '1.0.0'), npError('NP2022'));
    assert.throws(() => downloadPath(folder, 'Contoso.Utils', '../../../x'), npError('NP2023'));
  });

  it('opens feed-supplied links only when they are https (or http to this machine)', () => {
    for (const bad of ['javascript:alert(1)', 'file:///etc/passwd', 'command:workbench.action.terminal.new', 'vscode://x', 'data:text/html,x', 'http://example.com/p', 'not a url', undefined]) {
      assert.equal(safeExternalUrl(bad), undefined, String(bad));
    }
    assert.equal(safeExternalUrl('https://www.nuget.org/packages/X/1.0.0'), 'https://www.nuget.org/packages/X/1.0.0');
    assert.equal(safeExternalUrl('http://127.0.0.1:5000/p'), 'http://127.0.0.1:5000/p');
    const index = { source: 'https://feed.example/v3/index.json', resources: [{ id: 'javascript:alert("{id}")', types: ['PackageDetailsUriTemplate/5.1.0'] }] };
    assert.equal(packageDetailsUrl(index, 'X', '1.0.0'), undefined);
  });
});
