/** Key metadata, glob choice, presets, expiry, and "Test key" against the V3 test server and the real nuget-server. */
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import type { Feed } from '../../src/core/feeds/feed';
import { checkExpiry, checkGlob, checkLabel, credentialFor, daysUntilExpiry, globMatches, keysFor, presetFor, secretName, type KeyRecord } from '../../src/core/keys/keys';
import { testCredential } from '../../src/core/keys/testKey';
import { startNugetServer, type NugetServer } from '../servers/nugetServer';
import { startV3Server, type V3Server } from '../servers/v3Server';

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

describe('Test key against a gallery-style V3 server (nuget.org verify-key pair)', () => {
  const GOOD = 'oy2-good-key-000000000000000000000000';
  let server: V3Server;
  let feed: Feed;
  before(async () => {
    server = await startV3Server({ validKeys: [GOOD], ownedIds: ['Contoso.Utils'] });
    feed = { name: 'gallery', source: server.index, kind: 'v3' };
  });
  after(async () => server.close());

  it('a key that may push the id: create-verification-key, then verifykey with the temporary key', async () => {
    server.requests.length = 0;
    const result = await testCredential(feed, { apiKey: GOOD }, { id: 'Contoso.Utils', version: '1.2.3' });
    assert.equal(result.ok, true, result.message);
    assert.deepEqual(server.requests.map((request) => `${request.method} ${request.url}`), ['POST /api/v2/package/create-verification-key/Contoso.Utils/1.2.3', 'GET /api/v2/verifykey/Contoso.Utils/1.2.3']);
    assert.equal(server.requests[0].headers['x-nuget-apikey'], GOOD);
    assert.notEqual(server.requests[1].headers['x-nuget-apikey'], GOOD, 'the second call carries the temporary key, not the real one');
    assert.equal(server.requests.filter((request) => request.method === 'PUT').length, 0, 'nothing is pushed');
  });

  it('a valid key whose glob does not cover the id, and an unknown key', async () => {
    const notOwned = await testCredential(feed, { apiKey: GOOD }, { id: 'Fabrikam.Core', version: '1.0.0' });
    assert.equal(notOwned.ok, false);
    assert.match(notOwned.message, /glob pattern or owner/);
    const unknown = await testCredential(feed, { apiKey: 'oy2-wrong' }, { id: 'Contoso.Utils', version: '1.2.3' });
    assert.equal(unknown.ok, false);
    assert.match(unknown.message, /does not know this key, or it has expired/);
    assert.ok(!unknown.message.includes('oy2-wrong'));
  });

  it('asks for an id and version when none is given, sending nothing', async () => {
    server.requests.length = 0;
    const result = await testCredential(feed, { apiKey: GOOD });
    assert.equal(result.ok, undefined);
    assert.match(result.message, /package id and a version/);
    assert.equal(server.requests.length, 0);
  });

  it('refuses to send a key over plain HTTP to a host that is not this machine', async () => {
    await assert.rejects(testCredential({ name: 'plain', source: 'http://packages.example.com/v3/index.json', kind: 'nuget-server' }, { basic: { username: 'u', password: 'p' } }), /NP2002|only sent over HTTPS/);
  });
});

describe('Test key against the real nuget-server 1.11.0', () => {
  let server: NugetServer;
  let feed: Feed;
  before(async () => {
    server = await startNugetServer({ users: [{ username: 'alice', password: 'Alice-Pass-1', role: 'publish' }, { username: 'bob', password: 'Bob-Pass-1', role: 'read' }] });
    feed = { name: 'nuget-server', source: server.base, kind: 'nuget-server' };
  });
  after(async () => server.stop());

  it('accepts a publisher, refuses a wrong password (401) and a read-only user (403), publishing nothing', async () => {
    assert.equal((await testCredential(feed, { basic: { username: 'alice', password: 'Alice-Pass-1' } })).ok, true);
    const wrong = await testCredential(feed, { basic: { username: 'alice', password: 'nope' } });
    assert.equal(wrong.ok, false);
    assert.match(wrong.message, /401/);
    const reader = await testCredential(feed, { basic: { username: 'bob', password: 'Bob-Pass-1' } });
    assert.equal(reader.ok, false);
    assert.match(reader.message, /may not publish \(403\)/);
    const search = (await (await fetch(`${server.base}/v3/query?q=&take=10`)).json()) as { totalHits: number };
    assert.equal(search.totalHits, 0, 'the checks stored no package');
  });
});
