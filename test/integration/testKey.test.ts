/** "Test key" against the V3 test server (nuget.org's verify-key pair) and the real nuget-server. */
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import type { Feed } from '../../src/core/feeds/feed';
import { testCredential } from '../../src/core/keys/testKey';
import { startNugetServer, type NugetServer } from '../servers/nugetServer';
import { startV3Server, type V3Server } from '../servers/v3Server';

describe('Test key against a gallery-style V3 server (nuget.org verify-key pair)', () => {
  const GOOD = 'oy2-good-key-000000000000000000000000';
  let server: V3Server;
  let feed: Feed;
  before(async () => {
    server = await startV3Server({ validKeys: [GOOD], ownedIds: ['Contoso.Utils'] });
    feed = { name: 'gallery', source: server.index, kind: 'v3' };
  });
  after(async () => server?.close());

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
    assert.equal(result.needsProbe, true, 'Test Key then asks for them, on any gallery-style feed (not only nuget.org)');
    assert.match(result.message, /package id and a version/);
    assert.equal(server.requests.length, 0);
  });

  it('a feed whose index lists no PackagePublish: the real cause (it takes no pushes), not "cannot be checked"', async () => {
    const mirror = await startV3Server({ readOnly: true });
    try {
      const result = await testCredential({ name: 'Mirror', source: mirror.index, kind: 'v3' }, { apiKey: GOOD }, { id: 'Contoso.Utils', version: '1.2.3' });
      assert.equal(result.ok, false);
      assert.match(result.message, /^Mirror takes no pushes: its service index \(.*\/v3\/index\.json\) lists no PackagePublish resource/);
      assert.equal(mirror.requests.length, 0, 'the key was sent nowhere');
    } finally {
      await mirror.close();
    }
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
  after(async () => server?.stop());

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
