/** Key metadata, glob choice, scopes, presets and expiry (Test Key against servers: test/integration/testKey.test.ts). */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { Feed } from '../../src/core/feeds/feed';
import { checkExpiry, checkGlob, checkLabel, credentialFor, daysUntilExpiry, globMatches, keysFor, presetFor, probeIds, secretName, type KeyRecord } from '../../src/core/keys/keys';

function key(label: string, glob: string, overrides: Partial<KeyRecord> = {}): KeyRecord {
  return { label, origin: 'https://www.example.org', feedName: 'example', scheme: 'apikey', scopes: [], glob, created: '2026-01-01T00:00:00Z', ...overrides };
}

describe('key choice by glob', () => {
  it('matches nuget.org globs case-insensitively, with several patterns separated by commas', () => {
    assert.equal(globMatches('*', 'Anything.At.All'), true);
    assert.equal(globMatches('Contoso.*', 'contoso.utils'), true);
    assert.equal(globMatches('Contoso.*', 'Contoso'), false);
    assert.equal(globMatches('Contoso.*', 'ContosoX.Utils'), false);
    assert.equal(globMatches('Fabrikam.Core, Contoso.*', 'Fabrikam.Core'), true);
    assert.equal(globMatches('Fabrikam.Core', 'Fabrikam.Core.Extra'), false);
    assert.equal(globMatches('Contoso.U?ils', 'Contoso.Utils'), false, '? is literal in nuget.org globs');
  });

  it('picks only keys of the same origin whose glob covers the id, most specific first', () => {
    const records = [
      key('everything', '*'),
      key('contoso', 'Contoso.*'),
      key('utils', 'Contoso.Utils'),
      key('other host', '*', { origin: 'https://evil.example' }),
      key('fabrikam', 'Fabrikam.*'),
    ];
    assert.deepEqual(keysFor(records, 'https://www.example.org', 'Contoso.Utils').map((record) => record.label), ['utils', 'contoso', 'everything']);
    assert.deepEqual(keysFor(records, 'https://www.example.org', 'Fabrikam.Web').map((record) => record.label), ['fabrikam', 'everything']);
    assert.deepEqual(keysFor(records, 'https://www.example.org:8443', 'Contoso.Utils'), [], 'another port is another origin');
  });

  it('honours scopes: unlisting needs the unlist scope, pushing needs push or pushversion', () => {
    const records = [key('push only', '*', { scopes: ['push'] }), key('unlist only', '*', { scopes: ['unlist'] }), key('versions', '*', { scopes: ['pushversion'] })];
    assert.deepEqual(keysFor(records, 'https://www.example.org', 'A', 'push').map((record) => record.label), ['push only', 'versions']);
    assert.deepEqual(keysFor(records, 'https://www.example.org', 'A', 'unlist').map((record) => record.label), ['unlist only']);
  });

  it('validates labels, globs and expiry dates with messages that say what to do', () => {
    const preset = presetFor({ name: 'nuget.org', source: 'https://api.nuget.org/v3/index.json', kind: 'nuget.org' });
    const now = new Date('2026-11-23T12:00:00Z');
    assert.equal(checkExpiry('2027-11-20', preset, now), undefined);
    assert.match(checkExpiry('2027-12-31', preset, now) ?? '', /at most 365 days/);
    assert.match(checkExpiry('2026-11-01', preset, now) ?? '', /passed/);
    assert.match(checkExpiry('23/11/2027', preset, now) ?? '', /yyyy-mm-dd/);
    assert.equal(daysUntilExpiry({ expires: '2026-12-03' }, now), 10);
    assert.equal(daysUntilExpiry({ expires: '2026-11-22' }, now), -1);
    assert.match(checkGlob('Contoso.*,') ?? '', /pattern/);
    assert.match(checkGlob('Contoso/*') ?? '', /letters/);
    assert.equal(checkGlob('Contoso.*, Fabrikam.Core'), undefined);
    assert.match(checkLabel('everything', [key('Everything', '*')], 'https://www.example.org') ?? '', /exists/);
    assert.equal(checkLabel('everything', [key('Everything', '*')], 'https://other.example'), undefined);
  });

  it('names secrets by origin and label, and builds the right credential per preset', () => {
    assert.equal(secretName('https://api.nuget.org', 'CI'), 'nugetPublisher.key https://api.nuget.org CI');
    const azure: Feed = { name: 'az', source: 'https://pkgs.dev.azure.com/org/_packaging/feed/nuget/v3/index.json', kind: 'v3' };
    const github: Feed = { name: 'gh', source: 'https://nuget.pkg.github.com/contoso/index.json', kind: 'v3' };
    assert.equal(presetFor(azure).scheme, 'basic');
    assert.deepEqual(credentialFor(key('a', '*', { scheme: 'basic', username: 'me' }), 'PAT', presetFor(azure)), { basic: { username: 'me', password: 'PAT' }, apiKey: 'az' });
    assert.deepEqual(credentialFor(key('g', '*', { scheme: 'basic', username: 'me' }), 'ghp_x', presetFor(github)), { basic: { username: 'me', password: 'ghp_x' }, apiKey: 'ghp_x' });
    assert.match(presetFor({ name: 'a', source: 'https://contoso.jfrog.io/artifactory/api/nuget/v3/repo', kind: 'v3' }).hint, /user:password/);
    assert.deepEqual(credentialFor(key('k', '*'), 'secret', presetFor({ name: 'x', source: 'https://x.example/index.json', kind: 'v3' })), { apiKey: 'secret' });
  });
});


describe('ids to test a key with', () => {
  it('workspace packages the glob covers first, then the glob\'s literal ids, each once', () => {
    assert.deepEqual(probeIds('Contoso.*, Fabrikam.Core', ['Other.Lib', 'Contoso.Core', 'contoso.core', 'Contoso.Utils']), ['Contoso.Core', 'Contoso.Utils', 'Fabrikam.Core']);
    assert.deepEqual(probeIds('*', []), []);
    assert.deepEqual(probeIds('Fabrikam.Core', ['fabrikam.core']), ['fabrikam.core']);
  });
});
