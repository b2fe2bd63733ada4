/** Which published version a release is compared with (Compare with Published Version, Show Changes); what Add Feed takes as a feed kind. */
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

describe('a feed kind given to Add Feed', () => {
  it('only a real feed kind counts: the Feeds view passes its focused row ({ kind: "feed" }), which is not one', async () => {
    const { asFeedKind } = await import('../../src/core/feeds/feed');
    assert.deepEqual(['nuget.org', 'v3', 'v2', 'folder', 'nuget-server'].map(asFeedKind), ['nuget.org', 'v3', 'v2', 'folder', 'nuget-server']);
    assert.deepEqual(['feed', 'package', 'version', '', undefined, 3, { kind: 'v3' }].map(asFeedKind), [undefined, undefined, undefined, undefined, undefined, undefined, undefined]);
  });
});

describe('the SDK a generated workflow sets up', () => {
  it('the newest .NET the projects target; .NET Framework, netstandard and old netcoreapp build with the 8.0 SDK', async () => {
    const { dotnetVersionFor } = await import('../../src/core/ci/workflow');
    assert.equal(dotnetVersionFor(['<Project><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup></Project>']), '10.0.x');
    assert.equal(dotnetVersionFor(['<TargetFrameworks>netstandard2.0;net9.0;net8.0-windows</TargetFrameworks>', '<TargetFramework>net8.0</TargetFramework>']), '9.0.x');
    assert.equal(dotnetVersionFor(['<TargetFrameworks>net472;netstandard2.0;netcoreapp3.1</TargetFrameworks>']), '8.0.x');
    assert.equal(dotnetVersionFor([]), '8.0.x');
  });
});
