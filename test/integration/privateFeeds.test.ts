/**
 * Private feeds: a V3 server that wants Basic credentials for every read (as GitHub Packages and
 * Azure Artifacts do). The CLI's publish plan reads it with the same credentials it pushes with,
 * so existing versions are seen, not guessed; without credentials the plan says the feed wants them.
 */
import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { latestPublished } from '../../src/core/diff/latestPublished';
import { FeedClient } from '../../src/core/feeds/feedClient';
import { publish } from '../../src/core/publish/publish';
import { runCliAsync } from '../helpers/cli';
import { makePackage } from '../helpers/makePackage';
import { tempDir } from '../helpers/temp';
import { startV3Server, type V3Server } from '../servers/v3Server';

const USER = 'octocat';
const TOKEN = 'ghp_private-feed-token-0123456789';
const BASIC = `Basic ${Buffer.from(`${USER}:${TOKEN}`).toString('base64')}`;

describe('private feeds: reads with credentials', () => {
  let server: V3Server;
  let folder: string;
  before(async () => {
    server = await startV3Server({ readAuthorization: BASIC });
    server.catalog.add('Contoso.Private', ['1.0.0']);
    folder = tempDir();
    makePackage(folder, 'Contoso.Private', '1.0.0');
    makePackage(folder, 'Contoso.Private', '1.1.0');
  });
  after(async () => server?.close());

  it('publish-plan --user U --api-key-env V --dry-run sees the versions an auth-only feed has', async () => {
    server.requests.length = 0;
    const result = await runCliAsync(['publish-plan', folder, '--source', server.index, '--user', USER, '--api-key-env', 'FEED_TOKEN', '--dry-run'], { FEED_TOKEN: TOKEN });
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /1\. Contoso\.Private 1\.0\.0 → \S+: skip \(already there\)/);
    assert.match(result.stdout, /2\. Contoso\.Private 1\.1\.0 → \S+: publish/);
    assert.ok(!result.stdout.includes(TOKEN) && !result.stderr.includes(TOKEN));
    assert.equal(server.requests.filter((request) => request.method === 'GET').length, 0, 'no read was refused');
    assert.equal(server.requests.filter((request) => request.method !== 'GET').length, 0, 'a dry run writes nothing');
  });

  it('without credentials the plan says the feed wants them (it does not guess)', async () => {
    const result = await runCliAsync(['publish-plan', folder, '--source', server.index, '--dry-run']);
    assert.match(result.stdout, /could not check the feed \(NP3006: .*wants credentials/);
  });

  it('one feed client does every read of the auth-only feed with its credentials: index, versions, browse, search, download, latest published', async () => {
    const feed = { name: 'Private', source: server.index, kind: 'v3' as const };
    const pushed = makePackage(tempDir(), 'Contoso.Browse', '2.0.0');
    await publish({ feed, packagePath: pushed, credential: { basic: { username: USER, password: TOKEN }, apiKey: TOKEN } });
    server.requests.length = 0;
    const asked: string[] = [];
    const client = new FeedClient(feed, (origin) => {
      asked.push(origin);
      return BASIC;
    });
    assert.ok((await client.serviceIndex()).resources.length > 0);
    assert.deepEqual(await client.versions('Contoso.Private'), ['1.0.0']);
    assert.equal(await client.hasVersion('contoso.private', '1.0.0.0'), true, 'versions compare as NuGet does');
    assert.deepEqual((await client.packageVersions('Contoso.Browse')).map((info) => info.version), ['2.0.0']);
    assert.ok((await client.packages('', 0)).items.some((info) => info.id === 'Contoso.Browse'), 'the Feeds view lists it');
    assert.ok((await client.search({ q: 'Contoso' })).data.some((hit) => hit.id === 'Contoso.Browse'));
    const downloads = tempDir();
    const latest = await latestPublished({ client, id: 'Contoso.Browse', excludingVersion: '3.0.0', downloadFolder: downloads });
    assert.equal(latest?.version, '2.0.0', 'Compare with Published Version finds and downloads it');
    assert.ok(latest && existsSync(latest.path) && latest.path.startsWith(downloads));
    assert.ok(asked.length > 0 && asked.every((origin) => origin === new URL(server.index).origin), `credentials were asked for the feed's origin only: ${asked.join(', ')}`);
    const anonymousReads = server.requests.filter((request) => request.method === 'GET' && request.headers.authorization !== BASIC);
    assert.equal(anonymousReads.length, 0, `every read the server recorded carried the credentials: ${anonymousReads.map((request) => request.url).join(', ')}`);
    // Without credentials the same client reads nothing, and says why.
    const anonymous = new FeedClient(feed);
    await assert.rejects(anonymous.versions('Contoso.Browse'), /wants credentials/);
  });
});
