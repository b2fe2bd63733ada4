import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { compareVersions, describeRange, fullVersion, isSemVer2, normalizeVersion, parseVersion, parseVersionRange, rangeIsSemVer2 } from '../../src/core/version';

function v(text: string): NonNullable<ReturnType<typeof parseVersion>> {
  const parsed = parseVersion(text);
  assert.ok(parsed, `${text} should parse`);
  return parsed;
}

describe('NuGet versions', () => {
  it('normalizes like NuGet: leading zeros, zero 4th part, missing parts, metadata dropped', () => {
    assert.equal(normalizeVersion(v('01.02.003')), '1.2.3');
    assert.equal(normalizeVersion(v('1.0.0.0')), '1.0.0');
    assert.equal(normalizeVersion(v('1.0.0.4')), '1.0.0.4');
    assert.equal(normalizeVersion(v('1.2')), '1.2.0');
    assert.equal(normalizeVersion(v('1')), '1.0.0');
    assert.equal(normalizeVersion(v('1.0.0-Beta.1+sha.abc')), '1.0.0-Beta.1');
    assert.equal(fullVersion(v('1.0.0-rc.1+build.5')), '1.0.0-rc.1+build.5');
  });

  it('rejects what is not a version', () => {
    for (const bad of ['', 'a.b.c', '1.0.0-', '1.0.0+', '1..0', '1.0.0.0.0', '1.0.0-beta..1', '-1.0.0', '1.0.0-bet@', '99999999999.0.0']) {
      assert.equal(parseVersion(bad), undefined, bad);
    }
  });

  it('detects SemVer 2.0.0', () => {
    assert.equal(isSemVer2(v('1.0.0-beta')), false);
    assert.equal(isSemVer2(v('1.0.0-beta.1')), true);
    assert.equal(isSemVer2(v('1.0.0+meta')), true);
  });

  it('orders versions as NuGet does (prerelease case-insensitive, metadata ignored, 4th part)', () => {
    assert.equal(compareVersions(v('1.0.0-alpha'), v('1.0.0')), -1);
    assert.equal(compareVersions(v('1.0.0-ALPHA'), v('1.0.0-alpha')), 0);
    assert.equal(compareVersions(v('1.0.0+a'), v('1.0.0+b')), 0);
    assert.equal(compareVersions(v('1.0.0.1'), v('1.0.0')), 1);
    assert.equal(compareVersions(v('1.0.0-beta.2'), v('1.0.0-beta.11')), -1);
    assert.equal(compareVersions(v('1.0.0-beta.11'), v('1.0.0-rc.1')), -1);
    assert.equal(compareVersions(v('2.0.0'), v('10.0.0')), -1);
  });

  it('parses version ranges', () => {
    const min = parseVersionRange('1.0');
    assert.ok(min?.min && min.minInclusive && !min.max);
    assert.equal(describeRange(min), '≥ 1.0.0');
    const between = parseVersionRange('[1.0, 2.0)');
    assert.equal(between && describeRange(between), '≥ 1.0.0 and < 2.0.0');
    const exact = parseVersionRange('[1.2.3]');
    assert.equal(exact && describeRange(exact), '= 1.2.3');
    const upTo = parseVersionRange('(,3.0]');
    assert.equal(upTo && describeRange(upTo), '≤ 3.0.0');
    for (const bad of ['[1.0', '(1.0)', '[2.0,1.0]', '[,]', '[1.0,2.0,3.0]', 'abc', '(1.0,1.0)']) {
      assert.equal(parseVersionRange(bad), undefined, bad);
    }
    assert.equal(rangeIsSemVer2(parseVersionRange('[1.0.0-rc.1,2.0.0)')!), true);
  });
});
