/**
 * Private feeds: a V3 server that wants Basic credentials for every read (as GitHub Packages and
 * Azure Artifacts do). The CLI's publish plan reads it with the same credentials it pushes with,
 * so existing versions are seen, not guessed; without credentials the plan says the feed wants them.
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
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
});
