/**
 * Trusted publishing from GitHub Actions through the CLI: the OIDC token and the token service are
 * our stand-ins (GitHub and nuget.org cannot run here; test/servers/oidcServer.ts follows the
 * NuGet/login protocol), the push goes to the V3 test server, which accepts only the exchanged key.
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { runCliAsync } from '../helpers/cli';
import { makePackage } from '../helpers/makePackage';
import { tempDir } from '../helpers/temp';
import { startOidcServer, type OidcServer } from '../servers/oidcServer';
import { startV3Server, type V3Server } from '../servers/v3Server';

const REQUEST_TOKEN = 'ghs_request-token-0123456789';

describe('trusted publishing (OIDC) from the CLI', () => {
  let oidc: OidcServer;
  let feed: V3Server;
  let folder: string;
  before(async () => {
    oidc = await startOidcServer({ policyUser: 'contoso', requestToken: REQUEST_TOKEN });
    feed = await startV3Server({ validKeys: oidc.keys });
    folder = tempDir();
  });
  after(async () => {
    await oidc?.close();
    await feed?.close();
  });

  const actions = (extra: Record<string, string> = {}): Record<string, string> => ({
    GITHUB_ACTIONS: 'true', ACTIONS_ID_TOKEN_REQUEST_URL: oidc.requestUrl, ACTIONS_ID_TOKEN_REQUEST_TOKEN: REQUEST_TOKEN, ...extra,
  });

  it('exchanges the OIDC token for a key, masks both before anything else, and pushes with that key', async () => {
    const pkg = makePackage(folder, 'Contoso.Trusted', '1.0.0');
    feed.requests.length = 0;
    const result = await runCliAsync(['push', pkg, '--source', feed.index, '--trusted-publishing', 'contoso', '--token-service', oidc.tokenService], actions());
    assert.equal(result.code, 0, result.stderr);
    const [token] = oidc.tokens.slice(-1);
    const [key] = oidc.keys.slice(-1);
    assert.ok(token && key);
    const lines = result.stdout.split('\n');
    assert.deepEqual(lines.slice(0, 2), [`::add-mask::${token}`, `::add-mask::${key}`], 'both secrets are masked first');
    const rest = [...lines.slice(2), ...result.stderr.split('\n')].join('\n');
    for (const secret of [token, key, REQUEST_TOKEN]) {
      assert.ok(!rest.includes(secret), 'no secret is printed anywhere else');
    }
    assert.match(result.stderr, /trusted publishing: a short-lived API key for contoso/);
    assert.match(result.stdout, /Contoso\.Trusted 1\.0\.0: created \(201\)/);
    const pushes = feed.requests.filter((request) => request.method === 'PUT');
    assert.equal(pushes.length, 1);
    assert.equal(pushes[0].headers['x-nuget-apikey'], key, 'the push carried the exchanged key');
    assert.equal(oidc.requests.find((request) => request.method === 'GET')?.url.includes('audience=https%3A%2F%2Fwww.nuget.org'), true, 'the default audience is nuget.org');
  });

  it('a token service that issues a key with CR/LF cannot split the mask: the whole key is masked on one line, then refused', async () => {
    const hostile = await startOidcServer({ policyUser: 'contoso', requestToken: REQUEST_TOKEN, issueKey: () => 'oy2tpFIRSTPART\r\n::warning::SECONDPART%0Aend' });
    try {
      const pkg = makePackage(folder, 'Contoso.Split', '1.0.0');
      feed.requests.length = 0;
      const result = await runCliAsync(['push', pkg, '--source', feed.index, '--trusted-publishing', 'contoso', '--token-service', hostile.tokenService], { ...actions(), ACTIONS_ID_TOKEN_REQUEST_URL: hostile.requestUrl });
      assert.notEqual(result.code, 0);
      const lines = result.stdout.split('\n');
      // Escaped as @actions/core escapes command data: the runner unescapes it to the whole key.
      assert.equal(lines[1], '::add-mask::oy2tpFIRSTPART%0D%0A::warning::SECONDPART%250Aend');
      const rest = [...lines.slice(2), ...result.stderr.split('\n')].join('\n');
      assert.ok(!rest.includes('FIRSTPART') && !rest.includes('SECONDPART'), rest);
      assert.ok(!result.stdout.split('\n').some((line) => line.startsWith('::warning::')), 'no workflow command was injected');
      assert.match(result.stderr, /NP2077: The token service returned an API key with a control character/);
      assert.equal(feed.requests.filter((request) => request.method === 'PUT').length, 0, 'the key was never used');
    } finally {
      await hostile.close();
    }
  });

  it('without id-token permission (no Actions variables): a clear error naming `permissions: id-token: write`, nothing sent', async () => {
    const pkg = makePackage(folder, 'Contoso.NoPermission', '1.0.0');
    feed.requests.length = 0;
    const result = await runCliAsync(['push', pkg, '--source', feed.index, '--trusted-publishing', 'contoso', '--token-service', oidc.tokenService], { GITHUB_ACTIONS: 'true' });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /NP2070: Trusted publishing needs the GitHub Actions OIDC variables .*permissions: id-token: write/s);
    assert.equal(feed.requests.length, 0);
  });

  it('refused exchanges show the server\'s error and the policy hint: wrong user, wrong audience, expired, replayed token', async () => {
    const pkg = makePackage(folder, 'Contoso.Refused', '1.0.0');
    feed.requests.length = 0;
    const push = (extra: string[] = []): Promise<{ code: number; stdout: string; stderr: string }> => runCliAsync(['push', pkg, '--source', feed.index, '--token-service', oidc.tokenService, ...extra], actions());
    const wrongUser = await push(['--trusted-publishing', 'someone-else']);
    assert.equal(wrongUser.code, 2);
    assert.match(wrongUser.stderr, /NP2076: The token service refused the exchange for "someone-else": No trusted publishing policy of user "someone-else" matches this workflow\./);
    assert.match(wrongUser.stderr, /must be the nuget\.org account that created the trusted publishing policy.*workflow file name/s);
    // The token of the run above is spent: one token, one exchange.
    oidc.replay = true;
    const replayed = await push(['--trusted-publishing', 'contoso']);
    oidc.replay = false;
    assert.match(replayed.stderr, /NP2076: .*already been used/);
    const wrongAudience = await push(['--trusted-publishing', 'contoso', '--audience', 'https://example.com']);
    assert.match(wrongAudience.stderr, /NP2076: .*audience "https:\/\/example\.com" is not https:\/\/www\.nuget\.org/);
    oidc.issueExpired = true;
    const expired = await push(['--trusted-publishing', 'contoso']);
    oidc.issueExpired = false;
    assert.match(expired.stderr, /NP2076: .*The token has expired\./);
    assert.equal(feed.requests.length, 0, 'no push was attempted');
  });

  it('a plan dry run exchanges nothing; a token service over plain HTTP to another host is refused before anything is sent', async () => {
    const plan = tempDir();
    makePackage(plan, 'Contoso.Planned', '1.0.0');
    const before = oidc.requests.length;
    const dry = await runCliAsync(['publish-plan', plan, '--source', feed.index, '--dry-run', '--trusted-publishing', 'contoso', '--token-service', oidc.tokenService], actions());
    assert.equal(dry.code, 0, dry.stderr);
    assert.equal(oidc.requests.length, before, 'the one-time token was not spent on a dry run');
    const real = await runCliAsync(['publish-plan', plan, '--source', feed.index, '--trusted-publishing', 'contoso', '--token-service', oidc.tokenService], actions());
    assert.equal(real.code, 0, real.stderr);
    assert.match(real.stdout, /Contoso\.Planned 1\.0\.0: published/);
    const plain = await runCliAsync(['push', makePackage(folder, 'Contoso.Plain', '1.0.0'), '--source', feed.index, '--trusted-publishing', 'contoso', '--token-service', 'http://tokens.example.com/api/v2/token'], actions());
    assert.equal(plain.code, 2);
    assert.match(plain.stderr, /NP2073: The token service http:\/\/tokens\.example\.com uses plain HTTP/);
  });
});
