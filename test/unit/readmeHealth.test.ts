/** The readme as nuget.org shows it (NP0054/NP0055), and Source Link's matching rules. */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { checkReadme, readmeReferences } from '../../src/core/validate/readmeRules';
import { checkSourceLink, isMapped, repositoryDisagreements } from '../../src/core/nupkg/sourceLink';

describe('the readme on nuget.org', () => {
  it('images from trusted domains and build badges pass; other hosts get NP0054 naming them', () => {
    const ok = '![b](https://img.shields.io/nuget/v/X) ![c](https://github.com/o/r/actions/workflows/ci.yml/badge.svg) <img src="https://raw.githubusercontent.com/o/r/main/logo.png">';
    assert.deepEqual(checkReadme(ok), []);
    const bad = checkReadme('![logo](https://example.com/logo.png)\n<img src="http://cdn.example.net/x.gif" />');
    assert.deepEqual(bad.map((finding) => finding.code), ['NP0054']);
    assert.match(bad[0].message, /"example\.com", "cdn\.example\.net".*trusted domains/);
  });

  it('relative links and images get NP0055; anchors, mailto and code are left alone', () => {
    const findings = checkReadme('See [docs](docs/usage.md) and ![shot](./media/shot.png).\n[ref]: CONTRIBUTING.md\n[top](#top) [mail](mailto:a@b.c)\n`[not](a link)`\n```\n![no](inside/fence.png)\n```\n');
    assert.deepEqual(findings.map((finding) => finding.code), ['NP0055']);
    assert.match(findings[0].message, /"docs\/usage\.md", "\.\/media\/shot\.png", "CONTRIBUTING\.md"/);
  });

  it('reads inline, reference and HTML targets', () => {
    assert.deepEqual(readmeReferences('[a](<x y.md>) ![b](c.png "title")\n[d]: https://e.f\n<a href="g.html">g</a>'), [
      { target: 'x y.md', image: false }, { target: 'c.png', image: true }, { target: 'https://e.f', image: false }, { target: 'g.html', image: false },
    ]);
  });
});

describe('Source Link', () => {
  const json = JSON.stringify({ documents: { '/_/*': 'https://raw.githubusercontent.com/o/r/abc123/*', '/gen/Exact.cs': 'https://raw.githubusercontent.com/o/r/abc123/Exact.cs' } });

  it('a key with * matches a prefix, others one path; case is ignored', () => {
    const mappings = [{ key: '/_/*', url: 'u/*' }, { key: '/gen/Exact.cs', url: 'u' }];
    assert.equal(isMapped('/_/src/A.cs', mappings), true);
    assert.equal(isMapped('/_/SRC/a.cs'.toUpperCase(), mappings), true);
    assert.equal(isMapped('/gen/Exact.cs', mappings), true);
    assert.equal(isMapped('/gen/Other.cs', mappings), false);
  });

  it('every document mapped or embedded; host and commit agree with the nuspec', () => {
    const repo = { url: 'https://github.com/o/r.git', commit: 'abc123' };
    assert.equal(checkSourceLink(json, ['/_/A.cs', '/gen/Exact.cs'], new Set(), repo).unmappedCount, 0);
    const unmapped = checkSourceLink(json, ['/_/A.cs', '/tmp/Generated.cs', '/tmp/Embedded.cs'], new Set([3]), repo);
    assert.deepEqual([unmapped.unmappedCount, unmapped.unmapped], [1, ['/tmp/Generated.cs']]);
    assert.equal(repositoryDisagreements([{ key: '/_/*', url: 'https://raw.githubusercontent.com/o/r/abc123/*' }], repo).length, 0);
    assert.equal(repositoryDisagreements([{ key: '/_/*', url: 'https://raw.githubusercontent.com/o/r/fff999/*' }], repo).length, 1);
    assert.equal(repositoryDisagreements([{ key: '/_/*', url: 'https://gitlab.com/o/r/-/raw/abc123/*' }], repo).length, 1);
    assert.equal(repositoryDisagreements([{ key: '/_/*', url: 'https://api.bitbucket.org/2.0/repositories/o/r/src/abc123/*' }], { url: 'https://bitbucket.org/o/r', commit: 'abc123' }).length, 0);
  });

  it('JSON that is not a documents map is invalid', () => {
    for (const bad of ['', '{', '[]', '{"documents": []}', '{"documents": {"a": 1}}', '{"other": {}}']) {
      assert.equal(checkSourceLink(bad, [], new Set(), {}).valid, false, bad);
    }
  });
});
