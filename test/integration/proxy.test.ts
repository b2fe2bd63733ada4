/**
 * Behind a corporate proxy with TLS inspection: a real squid (test/helpers/squid.ts) on loopback,
 * and a feed served over HTTPS as feed.test with a certificate from a CA of the tests' own. The
 * name feed.test resolves only inside squid, so a request that does not go through the proxy
 * cannot reach the feed: every operation that succeeds went through it (squid's access log shows
 * the CONNECT tunnels). Checked for the CLI and for the core's doors in-process (Feeds view reads,
 * downloads, the tracker, Test Key, trusted publishing), with NO_PROXY, proxy credentials, a 407,
 * an untrusted certificate, and against the real `dotnet nuget push` case by case.
 */
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { FeedClient } from '../../src/core/feeds/feedClient';
import { ConditionalFetcher } from '../../src/core/http/conditionalFetch';
import { bypassesProxy, configureNetwork, networkFromEnvironment, userAgent } from '../../src/core/http/network';
import { testCredential } from '../../src/core/keys/testKey';
import { exchangeForApiKey, requestOidcToken } from '../../src/core/publish/trustedPublishing';
import { REPO_ROOT } from '../helpers/paths';
import { makePackage } from '../helpers/makePackage';
import { FEED_HOST, startSquid, testCertificates, type Squid, type TestCertificates } from '../helpers/squid';
import { tempDir } from '../helpers/temp';
import { startOidcServer, type OidcServer } from '../servers/oidcServer';
import { startV3Server, type V3Server } from '../servers/v3Server';

const run = promisify(execFile);
const KEY = 'proxy-feed-key';
const PROXY_USER = 'alice';
const PROXY_PASSWORD = 'Squid-Pass-7391';

interface Outcome {
  readonly code: number;
  readonly output: string;
}

/** Our CLI with only the given network environment (no proxy or CA inherited from this machine). */
async function cli(args: readonly string[], env: NodeJS.ProcessEnv): Promise<Outcome> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(https?_proxy|all_proxy|no_proxy|ssl_cert_file|node_extra_ca_certs)$/i.test(name)));
  try {
    const { stdout, stderr } = await run(process.execPath, [join(REPO_ROOT, 'dist', 'cli.js'), ...args], { env: { ...clean, NUGET_API_KEY: KEY, ...env }, timeout: 120_000 });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : -1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

/** The real dotnet nuget push with the same environment (its CA bundle through SSL_CERT_FILE, as .NET on Linux reads it). */
async function dotnetPush(path: string, source: string, env: NodeJS.ProcessEnv): Promise<Outcome> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(https?_proxy|all_proxy|no_proxy|ssl_cert_file|node_extra_ca_certs)$/i.test(name)));
  const home = tempDir('np-dotnet-proxy-');
  try {
    const { stdout, stderr } = await run('dotnet', ['nuget', 'push', path, '--source', source, '--api-key', KEY], { env: { ...clean, HOME: home, DOTNET_CLI_HOME: home, DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_NOLOGO: '1', ...env }, timeout: 180_000 });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number | string; stdout?: string; stderr?: string };
    if (failed.code === 'ENOENT') {
      throw new Error('The .NET SDK (dotnet) is not on PATH; the proxy behaviour is checked against dotnet nuget push.');
    }
    return { code: typeof failed.code === 'number' ? failed.code : -1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

const tunnels = (squid: Squid): number => squid.accessLog().filter((line) => line.includes(`CONNECT ${FEED_HOST}:`) && line.includes('TCP_TUNNEL/200')).length;

describe('behind a proxy with TLS inspection (real squid, a feed only the proxy can reach)', () => {
  let certs: TestCertificates;
  let squid: Squid;
  let guarded: Squid;
  let feed: V3Server;
  let oidc: OidcServer;
  let folder: string;
  let bundle: string;

  before(async () => {
    certs = testCertificates();
    squid = await startSquid();
    guarded = await startSquid({ user: PROXY_USER, password: PROXY_PASSWORD });
    oidc = await startOidcServer({ policyUser: 'contoso', requestToken: 'job-request-token', tls: { key: certs.key, cert: certs.cert, hostName: FEED_HOST } });
    feed = await startV3Server({ validKeys: [KEY, ...oidc.keys], tls: { key: certs.key, cert: certs.cert, hostName: FEED_HOST } });
    folder = tempDir('np-proxy-');
    // .NET on Linux trusts what OpenSSL's store holds; SSL_CERT_FILE replaces it, so the bundle keeps the system's too.
    bundle = join(folder, 'bundle.pem');
    writeFileSync(bundle, `${readFileSync('/etc/ssl/certs/ca-certificates.crt', 'utf8')}\n${readFileSync(certs.caFile, 'utf8')}`);
  });

  after(async () => {
    configureNetwork({});
    await feed?.close();
    await oidc?.close();
    await squid?.stop();
    await guarded?.stop();
  });

  it('the CLI: push, unlist, relist and a publish plan (its reads and the download of the published version) go through the proxy', async () => {
    const env = { HTTPS_PROXY: squid.url, NODE_EXTRA_CA_CERTS: certs.caFile };
    const before = tunnels(squid);
    const first = makePackage(folder, 'Contoso.Proxied', '1.0.0');
    const pushed = await cli(['push', first, '--source', feed.index], env);
    assert.equal(pushed.code, 0, pushed.output);
    assert.match(pushed.output, /Contoso\.Proxied 1\.0\.0: created \(201\)/);
    const plans = tempDir('np-proxy-plan-');
    makePackage(plans, 'Contoso.Proxied', '1.1.0');
    const plan = await cli(['publish-plan', plans, '--source', feed.index, '--dry-run'], env);
    assert.equal(plan.code, 0, plan.output);
    // The plan read the feed's versions and downloaded 1.0.0 to compare the API with.
    assert.match(plan.output, /Contoso\.Proxied 1\.1\.0 → .*: publish; API against 1\.0\.0: patch/);
    assert.equal((await cli(['unlist', 'Contoso.Proxied', '1.0.0', '--source', feed.index], env)).code, 0);
    assert.equal((await cli(['relist', 'Contoso.Proxied', '1.0.0', '--source', feed.index], env)).code, 0);
    assert.ok(tunnels(squid) - before >= 4, squid.accessLog().slice(-8).join('\n'));
    assert.ok(feed.requests.every((request) => String(request.headers['user-agent'] ?? '').startsWith('NuGetPublisher/')), 'every request names the product');
    assert.match(String(feed.requests.at(-1)?.headers['user-agent']), /\(CLI; linux /);
  });

  it('the core in-process: Feeds view reads, downloads, the tracker, Test Key and trusted publishing go through the proxy, and fail without it', async () => {
    const withProxy = { httpsProxy: squid.url, extraCertificates: readFileSync(certs.caFile, 'utf8'), certificateSource: 'the test CA' };
    makePackage(folder, 'Contoso.Core.Proxied', '2.0.0');
    const client = (): FeedClient => new FeedClient({ name: 'Proxied', source: feed.index, kind: 'v3' });
    const doors = {
      'Feeds view': async () => (await client().packages('', 0)).items.length >= 0,
      versions: async () => (await client().versions('Contoso.Proxied')).includes('1.0.0'),
      download: async () => (await client().download('Contoso.Proxied', '1.0.0', join(tempDir('np-proxy-dl-'), 'x.nupkg'))).length > 0,
      tracker: async () => (await new ConditionalFetcher().get(feed.index)).status === 200,
      'Test Key': async () => (await testCredential({ name: 'Proxied', source: feed.index, kind: 'v3' }, { apiKey: KEY }, { id: 'Contoso.Proxied', version: '1.0.0' })).ok === true,
      'trusted publishing': async () => (await exchangeForApiKey({ tokenService: oidc.tokenService, oidcToken: await requestOidcToken({ requestUrl: oidc.requestUrl, requestToken: 'job-request-token', audience: 'https://www.nuget.org' }), username: 'contoso' })).startsWith('oy2tp'),
    };
    for (const [door, attempt] of Object.entries(doors)) {
      configureNetwork(withProxy);
      const before = tunnels(squid);
      assert.equal(await attempt(), true, `${door} through the proxy`);
      assert.ok(tunnels(squid) > before || squid.accessLog().some((line) => line.includes(FEED_HOST)), `${door}: squid saw the tunnel`);
      configureNetwork({ extraCertificates: withProxy.extraCertificates });
      await assert.rejects(attempt(), /cannot be reached|ENOTFOUND|EAI_AGAIN/, `${door} without the proxy cannot reach feed.test`);
    }
  });

  it('NO_PROXY sends the host direct (and feed.test then cannot be reached), as for dotnet; loopback never goes through the proxy (dotnet differs: named)', async () => {
    const ours = await cli(['push', makePackage(folder, 'Contoso.Direct', '1.0.0'), '--source', feed.index], { HTTPS_PROXY: squid.url, NO_PROXY: FEED_HOST, NODE_EXTRA_CA_CERTS: certs.caFile });
    assert.notEqual(ours.code, 0);
    assert.match(ours.output, /feed\.test.*(ENOTFOUND|EAI_AGAIN)/);
    const theirs = await dotnetPush(makePackage(folder, 'Contoso.Direct', '1.0.1'), feed.index, { HTTPS_PROXY: squid.url, NO_PROXY: FEED_HOST, SSL_CERT_FILE: bundle });
    assert.notEqual(theirs.code, 0, 'dotnet bypasses the proxy for NO_PROXY too');
    assert.deepEqual(['feed.test', 'a.feed.test', 'FEED.TEST'].map((host) => bypassesProxy(host, ['feed.test'])), [true, true, true]);
    assert.deepEqual(['feed.test', 'other.test', 'xfeed.test'].map((host) => bypassesProxy(host, ['.feed.test'])), [true, false, false]);
    assert.equal(bypassesProxy('127.0.0.1', []), true);
    // A loopback feed with a dead proxy set: we go direct. The difference, checked here: dotnet 10
    // sends even loopback requests through HTTP_PROXY / ALL_PROXY (and fails when the proxy cannot
    // reach them) unless NO_PROXY names the loopback address.
    const local = await startV3Server({ validKeys: [KEY] });
    try {
      const dead = 'http://127.0.0.1:9';
      assert.equal((await cli(['push', makePackage(folder, 'Contoso.Loop', '1.0.0'), '--source', local.index], { HTTPS_PROXY: dead, HTTP_PROXY: dead, ALL_PROXY: dead })).code, 0);
      const theirs = await dotnetPush(makePackage(folder, 'Contoso.Loop', '1.0.1'), local.index, { HTTP_PROXY: dead });
      assert.notEqual(theirs.code, 0);
      assert.match(theirs.output, /Connection refused \(127\.0\.0\.1:9\)/, 'dotnet went to the proxy for a loopback feed');
    } finally {
      await local.close();
    }
  });

  it('the proxy variables as dotnet reads them: https_proxy in lower case, and ALL_PROXY when no HTTPS_PROXY is set', async () => {
    for (const [name, env] of [['https_proxy', { https_proxy: squid.url }], ['ALL_PROXY', { ALL_PROXY: squid.url }]] as const) {
      const before = tunnels(squid);
      const ours = await cli(['push', makePackage(folder, `Contoso.Env.${name.replace('_', '')}`, '1.0.0'), '--source', feed.index], { ...env, NODE_EXTRA_CA_CERTS: certs.caFile });
      const theirs = await dotnetPush(makePackage(folder, `Contoso.Env.${name.replace('_', '')}`, '1.0.1'), feed.index, { ...env, SSL_CERT_FILE: bundle });
      assert.deepEqual({ ours: ours.code === 0, dotnet: theirs.code === 0 }, { ours: true, dotnet: true }, `${name}: ${ours.output}\n${theirs.output}`);
      assert.ok(tunnels(squid) - before >= 2);
    }
  });

  it('proxy credentials: from the proxy URL they work and never print; wrong ones are a 407 explained, for us and for dotnet', async () => {
    const good = `http://${PROXY_USER}:${PROXY_PASSWORD}@127.0.0.1:${guarded.port}`;
    const ours = await cli(['push', makePackage(folder, 'Contoso.Guarded', '1.0.0'), '--source', feed.index], { HTTPS_PROXY: good, NODE_EXTRA_CA_CERTS: certs.caFile });
    assert.equal(ours.code, 0, ours.output);
    assert.ok(!ours.output.includes(PROXY_PASSWORD) && !ours.output.includes(Buffer.from(`${PROXY_USER}:${PROXY_PASSWORD}`).toString('base64')));
    const refused = await cli(['push', makePackage(folder, 'Contoso.Guarded', '1.0.1'), '--source', feed.index], { HTTPS_PROXY: `http://${PROXY_USER}:wrong-${PROXY_PASSWORD}@127.0.0.1:${guarded.port}`, NODE_EXTRA_CA_CERTS: certs.caFile });
    assert.equal(refused.code, 2);
    assert.match(refused.output, /NP4020: The proxy 127\.0\.0\.1:\d+ wants credentials \(407 Proxy Authentication Required\).*the ones given were refused/s);
    assert.ok(!refused.output.includes(PROXY_PASSWORD));
    const none = await cli(['push', makePackage(folder, 'Contoso.Guarded', '1.0.2'), '--source', feed.index], { HTTPS_PROXY: guarded.url, NODE_EXTRA_CA_CERTS: certs.caFile });
    assert.match(none.output, /NP4020: The proxy .* wants credentials/);
    const theirs = await dotnetPush(makePackage(folder, 'Contoso.Guarded', '1.0.3'), feed.index, { HTTPS_PROXY: good, SSL_CERT_FILE: bundle });
    assert.equal(theirs.code, 0, `dotnet takes credentials from the proxy URL too: ${theirs.output}`);
    assert.ok(guarded.accessLog().some((line) => line.includes(PROXY_USER) && line.includes('TCP_TUNNEL/200')));
  });

  it('an untrusted certificate (the inspecting CA not given) is refused and explained; nothing is sent, as for dotnet', async () => {
    const before = feed.requests.length;
    const ours = await cli(['push', makePackage(folder, 'Contoso.Untrusted', '1.0.0'), '--source', feed.index], { HTTPS_PROXY: squid.url });
    assert.equal(ours.code, 2);
    assert.match(ours.output, /NP4022: The TLS certificate of https:\/\/feed\.test:\d+\S*, issued by "NuGet Publisher Test Inspection CA", is not trusted: (SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY).*Nothing was sent.*NODE_EXTRA_CA_CERTS/s);
    assert.equal(feed.requests.length, before, 'the feed received nothing');
    const theirs = await dotnetPush(makePackage(folder, 'Contoso.Untrusted', '1.0.1'), feed.index, { HTTPS_PROXY: squid.url });
    assert.notEqual(theirs.code, 0, 'dotnet refuses the certificate too');
    // SSL_CERT_FILE (a PEM bundle) is read by the CLI as by dotnet.
    const withFile = await cli(['push', makePackage(folder, 'Contoso.Untrusted', '1.0.2'), '--source', feed.index], { HTTPS_PROXY: squid.url, SSL_CERT_FILE: certs.caFile });
    assert.equal(withFile.code, 0, withFile.output);
  });

  it('the door refuses credentials that do not name their origin, or that would leave it; the lint rule keeps requests in src/core/http', async () => {
    const { boundedFetch } = await import('../../src/core/http/boundedFetch');
    const before = feed.requests.length;
    configureNetwork({ httpsProxy: squid.url, extraCertificates: readFileSync(certs.caFile, 'utf8') });
    await assert.rejects(boundedFetch(feed.index, { headers: { 'x-nuget-apikey': KEY }, maxBytes: 1024 }), /NP2001|without naming the origin/);
    await assert.rejects(boundedFetch(feed.index, { headers: { authorization: 'Bearer x' }, credentialOrigin: 'https://elsewhere.example', maxBytes: 1024 }), (error: unknown) => (error as { code?: string }).code === 'NP2001');
    assert.equal(feed.requests.length, before, 'nothing was sent');
    configureNetwork({});
    const { ESLint } = await import('eslint');
    const eslint = new ESLint({ cwd: REPO_ROOT });
    const verdict = async (file: string, text: string): Promise<string[]> => (await eslint.lintText(text, { filePath: join(REPO_ROOT, file) }))[0].messages.map((message) => `${message.ruleId}`);
    assert.deepEqual(await verdict('src/core/feeds/sneaky.ts', "import { fetch } from 'undici';\nexport const f = fetch;\n"), ['no-restricted-imports']);
    assert.deepEqual(await verdict('src/vscode/sneaky.ts', "import { request } from 'node:https';\nexport const r = request;\n"), ['no-restricted-imports']);
    assert.deepEqual(await verdict('src/cli/sneaky.ts', "import * as vscode from 'vscode';\nexport const v = vscode;\n"), ['no-restricted-imports']);
    assert.deepEqual(await verdict('webview/sneaky.ts', "import { parseVersion } from '../src/core/version';\nexport const p = parseVersion;\n"), ['no-restricted-imports']);
    assert.deepEqual(await verdict('src/core/http/fine.ts', "import { fetch } from 'undici';\nexport const f = fetch;\n"), []);
  });

  it('the network settings read from the environment, and the user agent', () => {
    const read = networkFromEnvironment({ HTTPS_PROXY: 'http://u:p@proxy:3128', http_proxy: 'http://plain:8080', NO_PROXY: 'a.example, .b.example ,' });
    assert.deepEqual([read.httpsProxy, read.httpProxy, read.noProxy], ['http://u:p@proxy:3128', 'http://plain:8080', ['a.example', '.b.example']]);
    assert.equal(networkFromEnvironment({ ALL_PROXY: 'http://all:1' }).httpsProxy, 'http://all:1');
    configureNetwork({ client: 'VS Code 1.100.3' });
    assert.match(userAgent(), /^NuGetPublisher\/[\d.]+ \(VS Code 1\.100\.3; linux /);
    configureNetwork({});
  });
});
