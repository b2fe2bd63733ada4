/** What version number an API change needs (SemVer), and which framework of a newer package an older one's is compared with. */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { nearestFramework, versionBumpProblem } from '../../src/core/api/packageApi';

describe('the version number an API change needs', () => {
  it('a break needs a major version; added API a minor one; a patch needs nothing', () => {
    assert.match(versionBumpProblem('2.3.0', '2.4.0', 'major') ?? '', /2\.3\.0 → 2\.4\.0 is a minor version, but the release breaks the public API: it needs a new major version \(3\.0\.0\)/);
    assert.equal(versionBumpProblem('2.3.0', '3.0.0', 'major'), undefined);
    assert.match(versionBumpProblem('2.3.0', '2.3.1', 'minor') ?? '', /needs a new minor version \(2\.4\.0\)/);
    assert.equal(versionBumpProblem('2.3.0', '2.4.0', 'minor'), undefined);
    assert.equal(versionBumpProblem('2.3.0', '3.0.0', 'minor'), undefined);
    assert.equal(versionBumpProblem('2.3.0', '2.3.1', 'patch'), undefined);
  });

  it('0.y.z: a break needs only a new minor version', () => {
    assert.equal(versionBumpProblem('0.4.2', '0.5.0', 'major'), undefined);
    assert.match(versionBumpProblem('0.4.2', '0.4.3', 'major') ?? '', /needs a new minor version \(0\.5\.0\)/);
  });

  it('prereleases of the same version, and the release after them, may change anything; a prerelease of a later version is judged by its numbers', () => {
    assert.equal(versionBumpProblem('2.0.0-beta.1', '2.0.0-beta.2', 'major'), undefined);
    assert.equal(versionBumpProblem('2.0.0-rc.1', '2.0.0', 'major'), undefined);
    assert.match(versionBumpProblem('1.4.0', '1.5.0-beta.1', 'major') ?? '', /needs a new major version \(2\.0\.0\)/);
    assert.equal(versionBumpProblem('1.4.0', '2.0.0-beta.1', 'major'), undefined);
  });
});

describe('the framework an older package asset is compared with', () => {
  it('the same framework, else the nearest compatible one as NuGet picks it', () => {
    assert.equal(nearestFramework('net8.0', ['netstandard2.0', 'net8.0']), 'net8.0');
    assert.equal(nearestFramework('net6.0', ['netstandard2.0', 'net8.0']), 'netstandard2.0');
    assert.equal(nearestFramework('net7.0', ['net6.0', 'netstandard2.1']), 'net6.0');
    assert.equal(nearestFramework('net472', ['net462', 'netstandard2.0']), 'net462');
    assert.equal(nearestFramework('net45', ['netstandard2.0']), undefined);
    assert.equal(nearestFramework('netstandard1.1', ['netstandard2.0']), undefined);
    assert.equal(nearestFramework('portable-net45+win8+wp8+wpa81', ['netstandard1.0', 'netstandard2.0']), 'netstandard1.0');
    assert.equal(nearestFramework('portable-net40+sl5+win8+wp8+wpa81', ['netstandard1.0']), undefined);
  });
});
