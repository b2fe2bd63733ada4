/** Which published version a release is compared with (Compare with Published Version, Show Changes). */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { chooseBaseline } from '../../src/core/diff/latestPublished';

describe('the baseline of a release diff', () => {
  it('a stable release: the nearest lower stable version, never a newer prerelease', () => {
    // Newtonsoft.Json's shape: a local 12.0.1 against a feed that already has 14.0.1-beta2.
    assert.deepEqual(chooseBaseline(['11.0.2', '12.0.0', '12.0.1-beta1', '13.0.3', '14.0.1-beta2'], '12.0.1'), { version: '12.0.0', why: 'the nearest lower stable version' });
  });

  it('a prerelease: the nearest lower version of any kind', () => {
    assert.deepEqual(chooseBaseline(['1.0.0', '2.0.0-beta.1', '2.0.0'], '2.0.0-beta.2'), { version: '2.0.0-beta.1', why: 'the nearest lower version' });
  });

  it('only prereleases below a stable release: the nearest of them, said so', () => {
    assert.equal(chooseBaseline(['1.0.0-alpha', '1.0.0-beta'], '1.0.0')?.version, '1.0.0-beta');
    assert.match(chooseBaseline(['1.0.0-alpha', '1.0.0-beta'], '1.0.0')?.why ?? '', /no lower stable version/);
  });

  it('only higher versions: the lowest of them, named as a downgrade; none at all: nothing', () => {
    assert.deepEqual(chooseBaseline(['3.0.0', '2.5.0'], '2.0.0'), { version: '2.5.0', why: 'the lowest version on the feed, which is higher: 2.0.0 would be a downgrade' });
    assert.equal(chooseBaseline(['2.0.0'], '2.0.0'), undefined);
    assert.equal(chooseBaseline([], '1.0.0'), undefined);
  });
});
