/**
 * A key goes only to the exact origin (scheme, host, port) it is stored for, plus nuget.org's one
 * documented pair (api.nuget.org ↔ www.nuget.org). Hostile peers of our own: a feed whose service
 * index names PackagePublish and SymbolPackagePublish on another origin of this machine (another
 * port; another host name for the same address), and a recorder on that other origin which must
 * receive nothing, for push, symbol push, unlist, relist and Test Key, with an API key and with
 * Basic credentials. Host names of the public internet are checked through the same rule function.
 */
import { strict as assert } from 'node:assert';
import { configureNetwork } from '../../src/core/http/network';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { NuGetPublisherError } from '../../src/core/errors';
import type { Feed } from '../../src/core/feeds/feed';
import { testCredential } from '../../src/core/keys/testKey';
import { assertKeyMayGo, endpointKeyOrigin, isPairedOrigin } from '../../src/core/http/keySafety';
import { changeListing } from '../../src/core/publish/listing';
import { publish } from '../../src/core/publish/publish';
import { dotnetFixtures } from '../helpers/dotnetFixtures';

const KEY = 'oy2-origin-key-000000000000000000001';

interface Peer {
  readonly server: Server;
  readonly port: number;
  readonly seen: string[];
}

/** A loopback server: answers `route` or records and answers 201 (as a push would be accepted). */
async function peer(route: (req: IncomingMessage, port: number) => { status: number; body?: unknown } | undefined = () => undefined): Promise<Peer> {
  const seen: string[] = [];
  let port = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const answer = route(req, port);
      if (!answer) {
        seen.push(`${req.method} ${req.url} key=${String(req.headers['x-nuget-apikey'] ?? '')} auth=${String(req.headers.authorization ?? '')}`);
      }
      res.writeHead(answer?.status ?? 201, { 'content-type': 'application/json' }).end(answer?.body === undefined ? '' : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  return { server, port, seen };
}

/** The feed's own server: its index names publish and symbol endpoints at `elsewhere`. */
function indexNaming(elsewhere: () => string): (req: IncomingMessage) => { status: number; body?: unknown } | undefined {
  return (req) => (req.url === '/v3/index.json'
    ? { status: 200, body: { version: '3.0.0', resources: [
      { '@id': `${elsewhere()}/api/v2/package`, '@type': 'PackagePublish/2.0.0' },
      { '@id': `${elsewhere()}/api/v2/symbolpackage`, '@type': 'SymbolPackagePublish/4.9.0' },
      { '@id': `${elsewhere()}/v3-flatcontainer/`, '@type': 'PackageBaseAddress/3.0.0' },
    ] } }
    : undefined);
}

describe('keys stay at their origin: two origins on this machine', () => {
  let attacker: Peer;
  const feeds: Peer[] = [];
  const cases: { name: string; feed: () => Feed; elsewhere: () => string }[] = [
    // Same address, another port (the old rule let any port of an IP address through).
    { name: 'another port', feed: () => ({ name: 'Port feed', source: `http://127.0.0.1:${feeds[0].port}/v3/index.json`, kind: 'v3' }), elsewhere: () => `http://127.0.0.1:${attacker.port}` },
    // Same port and address, another host name (localhost vs 127.0.0.1 are different origins).
    { name: 'another host name', feed: () => ({ name: 'Host feed', source: `http://127.0.0.1:${feeds[1].port}/v3/index.json`, kind: 'v3' }), elsewhere: () => `http://localhost:${feeds[1].port}` },
  ];

  before(async () => {
    attacker = await peer();
    feeds.push(await peer(indexNaming(() => cases[0].elsewhere())));
    feeds.push(await peer(indexNaming(() => cases[1].elsewhere())));
  });
  after(async () => {
    for (const server of [attacker, ...feeds]) {
      server?.server.close();
    }
  });

  /** The refusal: NP2001, naming the host the index tried to send the credential to. */
  function refusedNaming(host: string): (error: unknown) => boolean {
    return (error) => error instanceof NuGetPublisherError && error.code === 'NP2001' && error.message.includes(`(host ${host})`) && !error.message.includes(KEY);
  }

  for (const testCase of cases) {
    it(`${testCase.name}: push, symbol push, unlist, relist and Test Key send nothing there, with a key or Basic credentials`, async () => {
      const host = new URL(testCase.elsewhere()).host;
      const own = feeds[cases.indexOf(testCase)];
      own.seen.length = 0;
      attacker.seen.length = 0;
      for (const credential of [{ apiKey: KEY }, { basic: { username: 'alice', password: KEY } }]) {
        await assert.rejects(publish({ feed: testCase.feed(), packagePath: dotnetFixtures().core, credential, symbols: true, backoffMs: 1 }), refusedNaming(host));
        // A lone .snupkg: symbol failures are reported, not thrown (the package may be out already).
        const lone = await publish({ feed: testCase.feed(), packagePath: dotnetFixtures().coreSymbols, credential, backoffMs: 1 });
        assert.equal(lone.symbols?.outcome, 'failed');
        assert.ok(lone.symbols?.reason?.includes('NP2001') && lone.symbols.reason.includes(`(host ${host})`) && !lone.symbols.reason.includes(KEY), lone.symbols?.reason);
        for (const listed of [false, true]) {
          await assert.rejects(changeListing({ feed: testCase.feed(), id: 'Contoso.Core', version: '2.0.0', listed, apiKey: credential.apiKey, authorization: credential.basic ? `Basic ${Buffer.from(`alice:${KEY}`).toString('base64')}` : undefined }), refusedNaming(host));
        }
      }
      await assert.rejects(testCredential(testCase.feed(), { apiKey: KEY }, { id: 'Contoso.Core', version: '2.0.0' }), refusedNaming(host));
      assert.deepEqual(attacker.seen, [], 'the other origin received nothing');
      // The feed's own origin was asked only for its index.
      assert.deepEqual(own.seen, []);
    });
  }
});

describe('keys stay at their origin: public host names mapped to this machine in-process', () => {
  it('nuget.contoso.co.uk\'s index naming evil.co.uk and attacker.github.io: no request reaches them, the refusal names them', async () => {
    // Every host name resolves to 127.0.0.1 for this process's requests (the network door's lookup).
    type Lookup = (hostname: string, options: { all?: boolean }, callback: (error: Error | null, address: string | { address: string; family: number }[], family?: number) => void) => void;
    const lookup: Lookup = (_hostname, options, callback) => (options.all ? callback(null, [{ address: '127.0.0.1', family: 4 }]) : callback(null, '127.0.0.1', 4));
    configureNetwork({ lookup: lookup as never });
    const attacker = await peer();
    try {
      for (const elsewhere of ['evil.co.uk', 'attacker.github.io']) {
        const feedServer = await peer(indexNaming(() => `http://${elsewhere}:${attacker.port}`));
        try {
          const feed: Feed = { name: 'Contoso', source: `http://nuget.contoso.co.uk:${feedServer.port}/v3/index.json`, kind: 'v3' };
          const refused = (error: unknown): boolean => error instanceof NuGetPublisherError && error.code === 'NP2001' && error.message.includes(`(host ${elsewhere}:${attacker.port})`);
          await assert.rejects(publish({ feed, packagePath: dotnetFixtures().core, credential: { apiKey: KEY }, backoffMs: 1 }), refused);
          await assert.rejects(changeListing({ feed, id: 'Contoso.Core', version: '2.0.0', listed: false, apiKey: KEY }), refused);
          await assert.rejects(testCredential(feed, { apiKey: KEY }, { id: 'Contoso.Core', version: '2.0.0' }), refused);
          assert.deepEqual(feedServer.seen, [], 'the feed\'s own origin was only read');
        } finally {
          feedServer.server.closeAllConnections?.();
          feedServer.server.close();
        }
      }
    } finally {
      configureNetwork({});
      attacker.server.closeAllConnections?.();
      attacker.server.close();
    }
    assert.deepEqual(attacker.seen, [], 'nothing reached the other host names');
  });
});

describe('the origin rule itself (host names of the public internet)', () => {
  it('exact origins only: no "same site" by labels, no other port, no other scheme', () => {
    const refused: [string, string][] = [
      ['https://nuget.contoso.co.uk', 'https://evil.co.uk/api/v2/package'],
      ['https://contoso-feed.github.io', 'https://attacker.github.io/api/v2/package'],
      ['https://pkgs.contoso.com', 'https://evil.contoso.com/api/v2/package'],
      ['https://pkgs.contoso.com', 'https://pkgs.contoso.com:8443/api/v2/package'],
      ['https://pkgs.contoso.com', 'http://pkgs.contoso.com/api/v2/package'],
      ['https://10.1.2.3', 'https://10.1.2.3:444/api/v2/package'],
      ['https://api.nuget.org', 'https://evil.nuget.org/api/v2/package'],
      ['https://api.nuget.org', 'https://www.nuget.org.evil.com/api/v2/package'],
      ['https://api.nuget.org', 'http://www.nuget.org/api/v2/package'],
      ['https://www.nuget.org', 'https://int.nugettest.org/api/v2/package'],
    ];
    for (const [keyOrigin, endpoint] of refused) {
      const target = new URL(endpoint);
      assert.equal(endpointKeyOrigin(endpoint, keyOrigin), keyOrigin, `${endpoint} for a key of ${keyOrigin}`);
      assert.throws(() => assertKeyMayGo(endpoint, endpointKeyOrigin(endpoint, keyOrigin)), (error: NuGetPublisherError) => error.code === 'NP2001' && error.message.includes(`(host ${target.host})`));
    }
  });

  it('the documented pair: nuget.org\'s index (api.nuget.org) names www.nuget.org, both ways, https only', () => {
    assert.equal(endpointKeyOrigin('https://www.nuget.org/api/v2/package', 'https://api.nuget.org'), 'https://www.nuget.org');
    assert.equal(endpointKeyOrigin('https://api.nuget.org/v3/index.json', 'https://www.nuget.org'), 'https://api.nuget.org');
    assert.doesNotThrow(() => assertKeyMayGo('https://www.nuget.org/api/v2/symbolpackage', endpointKeyOrigin('https://www.nuget.org/api/v2/symbolpackage', 'https://api.nuget.org')));
    assert.equal(isPairedOrigin('https://api.nuget.org', 'http://www.nuget.org'), false);
    assert.equal(isPairedOrigin('https://pkgs.contoso.com', 'https://pkgs.contoso.com'), true);
  });
});
