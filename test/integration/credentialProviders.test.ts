/**
 * Credential provider plugins (NuGet's cross-platform plugin protocol, as CredentialProvider.Microsoft
 * speaks it for Azure Artifacts). The real provider is not in the package registry this machine can
 * reach, so a small fake plugin (test/fixtures/credentialPlugin) stands in; it is first checked
 * against NuGet's own client: the real `dotnet restore` reads an auth-only feed with its
 * credentials. Then ours: discovery as NuGet does it, the protocol, failures named, and the CLI
 * reading and pushing with what the plugin gives, the token never printed.
 */
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { CredentialProviders, findCredentialPlugins, pluginCredentials, type PluginAnswer } from '../../src/core/keys/credentialProviders';
import { FeedClient } from '../../src/core/feeds/feedClient';
import { publish } from '../../src/core/publish/publish';
import { runCliAsync } from '../helpers/cli';
import { withEnv } from '../helpers/env';
import { REPO_ROOT } from '../helpers/paths';
import { makePackage } from '../helpers/makePackage';
import { tempDir } from '../helpers/temp';
import { startV3Server, type V3Server } from '../servers/v3Server';

const PLUGIN_FOLDER = join(REPO_ROOT, 'test', 'fixtures', 'credentialPlugin');
const USER = 'VssSessionToken';
const TOKEN = 'azdo-session-token-0123456789abcdef';
const BASIC = `Basic ${Buffer.from(`${USER}:${TOKEN}`).toString('base64')}`;
const execFileAsync = promisify(execFile);

/** The environment under which the fake plugin is "installed" (on PATH, as a dotnet tool would be) and answers for `host`. */
function pluginEnv(host: string, record: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    PATH: `${PLUGIN_FOLDER}${delimiter}${process.env.PATH}`,
    HOME: tempDir(), // no ~/.nuget/plugins of the machine's
    NUGET_PLUGIN_PATHS: '',
    NUGET_NETCORE_PLUGIN_PATHS: '',
    FAKE_PLUGIN_HOSTS: host,
    FAKE_PLUGIN_USER: USER,
    FAKE_PLUGIN_TOKEN: TOKEN,
    FAKE_PLUGIN_RECORD: record,
    ...extra,
  };
}

function recorded(record: string): { Type: string; Method: string; Payload: Record<string, unknown> }[] {
  return existsSync(record) ? readFileSync(record, 'utf8').trim().split('\n').map((line) => JSON.parse(line)) : [];
}

describe('credential provider plugins', () => {
  let server: V3Server;
  let host: string;
  before(async () => {
    server = await startV3Server({ readAuthorization: BASIC });
    host = new URL(server.index).host;
    const pushed = makePackage(tempDir(), 'Contoso.Azure', '1.0.0');
    await publish({ feed: { name: 'Azure', source: server.index, kind: 'v3' }, packagePath: pushed, credential: { basic: { username: USER, password: TOKEN }, apiKey: 'az' } });
  });
  after(async () => server?.close());

  it('the fake plugin is faithful: the real dotnet restore reads the auth-only feed with its credentials', async () => {
    const project = tempDir();
    const record = join(tempDir(), 'record.jsonl');
    writeFileSync(join(project, 'Probe.csproj'), '<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup><ItemGroup><PackageDownload Include="Contoso.Azure" Version="[1.0.0]" /></ItemGroup></Project>');
    writeFileSync(join(project, 'nuget.config'), `<configuration><packageSources><clear /><add key="azure" value="${server.index}" allowInsecureConnections="true" /></packageSources></configuration>`);
    const packages = tempDir();
    await execFileAsync('dotnet', ['restore', join(project, 'Probe.csproj'), '--packages', packages], { env: { ...process.env, ...pluginEnv(host, record), DOTNET_CLI_HOME: tempDir() }, timeout: 180_000 });
    assert.ok(existsSync(join(packages, 'contoso.azure', '1.0.0', 'contoso.azure.1.0.0.nupkg')), 'dotnet restore got the package');
    const methods = recorded(record).filter((message) => message.Type === 'Request').map((message) => message.Method);
    assert.ok(methods.includes('Handshake') && methods.includes('GetAuthenticationCredentials'), `NuGet asked the plugin: ${methods.join(', ')}`);
  });

  it('the fake plugin\'s failure modes, checked with the real dotnet restore: another host, a fault and silence all leave NuGet without credentials', async () => {
    // Each mode ends in a plain 401 for NuGet's own client too (it asked the plugin, got nothing
    // usable, and went on without credentials), which is what our side reports as "no credentials".
    const restore = async (extra: NodeJS.ProcessEnv): Promise<{ code: number; output: string; methods: string[]; got: boolean }> => {
      const project = tempDir();
      const record = join(tempDir(), 'record.jsonl');
      writeFileSync(join(project, 'Probe.csproj'), '<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup><ItemGroup><PackageDownload Include="Contoso.Azure" Version="[1.0.0]" /></ItemGroup></Project>');
      writeFileSync(join(project, 'nuget.config'), `<configuration><packageSources><clear /><add key="azure" value="${server.index}" allowInsecureConnections="true" /></packageSources></configuration>`);
      const packages = tempDir();
      // NuGet's own deadline for a plugin request (NUGET_PLUGIN_REQUEST_TIMEOUT_IN_SECONDS), short for the silent plugin.
      const env = { ...process.env, ...pluginEnv(host, record, extra), DOTNET_CLI_HOME: tempDir(), NUGET_PLUGIN_REQUEST_TIMEOUT_IN_SECONDS: '5' };
      const ended = await execFileAsync('dotnet', ['restore', join(project, 'Probe.csproj'), '--packages', packages], { env, timeout: 180_000 }).then(
        ({ stdout, stderr }) => ({ code: 0, output: stdout + stderr }),
        (error: { code?: unknown; stdout?: string; stderr?: string; message?: string }) => {
          if (typeof error.code !== 'number') {
            throw new Error(`the reference tool did not run to its own end (dotnet restore): ${error.message}`);
          }
          return { code: error.code, output: `${error.stdout ?? ''}${error.stderr ?? ''}` };
        });
      const methods = recorded(record).filter((message) => message.Type === 'Request').map((message) => message.Method);
      return { ...ended, methods, got: existsSync(join(packages, 'contoso.azure', '1.0.0', 'contoso.azure.1.0.0.nupkg')) };
    };
    for (const [mode, extra] of [['another host', { FAKE_PLUGIN_HOSTS: 'pkgs.dev.azure.com' }], ['a fault', { FAKE_PLUGIN_MODE: 'fault' }], ['silence', { FAKE_PLUGIN_MODE: 'silent' }]] as const) {
      const theirs = await restore(extra);
      assert.notEqual(theirs.code, 0, `${mode}: dotnet restore failed`);
      assert.equal(theirs.got, false, `${mode}: no package`);
      assert.ok(theirs.methods.includes('GetAuthenticationCredentials'), `${mode}: NuGet asked the plugin (${theirs.methods.join(', ')})`);
      assert.match(theirs.output, /401/, `${mode}: NuGet went on without credentials and got the feed's 401:\n${theirs.output}`);
      const ours = await withEnv(pluginEnv(host, join(tempDir(), 'record.jsonl'), extra), () => pluginCredentials(server.index, findCredentialPlugins(), { timeoutMs: 5_000 }));
      assert.equal(ours.credentials, undefined, `${mode}: we got no credentials either`);
      assert.ok(ours.why, `${mode}: and we say why`);
    }
  });

  it('finds plugins where NuGet does: the variables (absolute paths only), else ~/.nuget/plugins/netcore and nuget-plugin-* on PATH', () => {
    const home = tempDir();
    const provider = join(home, '.nuget', 'plugins', 'netcore', 'CredentialProvider.Microsoft');
    mkdirSync(provider, { recursive: true });
    writeFileSync(join(provider, 'CredentialProvider.Microsoft.dll'), '');
    mkdirSync(join(home, '.nuget', 'plugins', 'netcore', 'Empty'));
    const found = findCredentialPlugins({ PATH: `${PLUGIN_FOLDER}${delimiter}relative/bin` }, home);
    assert.deepEqual(found.map((plugin) => [plugin.name, plugin.command, plugin.args.at(-1)]), [
      ['CredentialProvider.Microsoft', 'dotnet', '-Plugin'],
      ['nuget-plugin-fake', join(PLUGIN_FOLDER, 'nuget-plugin-fake'), '-Plugin'],
    ]);
    assert.equal(found[0].args[0], join(provider, 'CredentialProvider.Microsoft.dll'), 'a .dll runs as `dotnet X.dll -Plugin`');
    const variable = join(tempDir(), 'Custom.dll');
    writeFileSync(variable, '');
    const configured = findCredentialPlugins({ NUGET_PLUGIN_PATHS: `${variable};relative/Other.dll;/missing/Gone.dll`, PATH: PLUGIN_FOLDER }, home);
    assert.deepEqual(configured.map((plugin) => plugin.path), [variable], 'the variable replaces the conventional places; relative and missing paths are ignored');
    assert.deepEqual(findCredentialPlugins({ NUGET_NETCORE_PLUGIN_PATHS: variable, NUGET_PLUGIN_PATHS: '/elsewhere/X.dll' }, home).map((plugin) => plugin.path), [variable], 'the .NET Core variable wins');
    assert.deepEqual(findCredentialPlugins({ PATH: '' }, tempDir()), []);
  });

  it('speaks the protocol: symmetric handshake, Initialize, claims, log level, then credentials; our side answers the plugin\'s requests', async () => {
    const record = join(tempDir(), 'record.jsonl');
    const logs: string[] = [];
    const answer = await withEnv(pluginEnv(host, record), () => pluginCredentials(server.index, findCredentialPlugins(), { onLog: (line) => logs.push(line) }));
    assert.deepEqual(answer, { credentials: { username: USER, password: TOKEN }, plugin: 'nuget-plugin-fake' });
    const messages = recorded(record);
    assert.deepEqual(messages.filter((message) => message.Type === 'Request').map((message) => message.Method), ['Handshake', 'Initialize', 'GetOperationClaims', 'SetLogLevel', 'GetAuthenticationCredentials', 'Close']);
    const ask = messages.find((message) => message.Method === 'GetAuthenticationCredentials')!;
    assert.deepEqual(ask.Payload, { Uri: server.index, IsRetry: false, IsNonInteractive: true, CanShowDialog: false });
    assert.deepEqual(messages.filter((message) => message.Type === 'Response').map((message) => [message.Method, message.Payload.ResponseCode]), [['Handshake', 'Success'], ['Log', 'Success']], 'we answered the plugin\'s handshake and its log request');
    assert.deepEqual(logs, ['nuget-plugin-fake: fake plugin: fetching a token']);
  });

  it('names why there are no credentials: another host, a fault, silence, not a plugin, none installed', async () => {
    const record = join(tempDir(), 'record.jsonl');
    const plugins = await withEnv(pluginEnv(host, record), async () => findCredentialPlugins());
    const ask = (extra: NodeJS.ProcessEnv, timeoutMs = 30_000): Promise<PluginAnswer> => withEnv(pluginEnv(host, record, extra), () => pluginCredentials(server.index, plugins, { timeoutMs }));
    assert.deepEqual(await ask({ FAKE_PLUGIN_HOSTS: 'pkgs.dev.azure.com' }), { why: 'the credential provider gave none (nuget-plugin-fake has none for this feed)' });
    assert.match((await ask({ FAKE_PLUGIN_MODE: 'fault' })).why ?? '', /nuget-plugin-fake failed: fake plugin: the token service is down/);
    // The product's own deadline for a plugin request (no Progress came), not a wait of the test.
    assert.match((await ask({ FAKE_PLUGIN_MODE: 'silent' }, 1500)).why ?? '', /nuget-plugin-fake did not answer GetAuthenticationCredentials within 1\.5 s/);
    const impostor = join(tempDir(), 'nuget-plugin-impostor');
    writeFileSync(impostor, '#!/bin/sh\necho "Usage: impostor [options]"\nsleep 30\n');
    chmodSync(impostor, 0o755);
    const notPlugin = await pluginCredentials(server.index, [{ path: impostor, name: 'nuget-plugin-impostor', command: impostor, args: ['-Plugin'] }]);
    assert.match(notPlugin.why ?? '', /nuget-plugin-impostor wrote something that is not a protocol message/);
    const none = await withEnv({ NUGET_PLUGIN_PATHS: '', NUGET_NETCORE_PLUGIN_PATHS: '' }, () => pluginCredentials(server.index, []));
    assert.deepEqual(none, { why: 'no NuGet credential provider is installed (looked in ~/.nuget/plugins/netcore and nuget-plugin-* on PATH)' });
  });

  it('a feed client answers the 401 with the provider\'s credentials, asking it once per feed', async () => {
    const record = join(tempDir(), 'record.jsonl');
    const feed = { name: 'Azure', source: server.index, kind: 'v3' as const };
    await withEnv(pluginEnv(host, record), async () => {
      const providers = new CredentialProviders();
      const client = new FeedClient(feed, undefined, (url, isRetry) => providers.authorizationFor(url, isRetry));
      server.requests.length = 0;
      assert.deepEqual(await client.versions('Contoso.Azure'), ['1.0.0']);
      assert.deepEqual((await client.packageVersions('Contoso.Azure')).map((info) => info.version), ['1.0.0']);
      assert.ok(server.requests.slice(1).every((request) => request.headers.authorization === BASIC), 'after the first refusal every read carried the provider\'s credentials');
      const second = new FeedClient(feed, undefined, (url, isRetry) => providers.authorizationFor(url, isRetry));
      assert.deepEqual(await second.versions('Contoso.Azure'), ['1.0.0']);
    });
    assert.equal(recorded(record).filter((message) => message.Method === 'GetAuthenticationCredentials' && message.Type === 'Request').length, 1, 'the plugin was started once');
  });

  it('CLI: publish-plan --dry-run and push with no key use the provider\'s credentials; the token is never printed', async () => {
    const record = join(tempDir(), 'record.jsonl');
    const folder = tempDir();
    makePackage(folder, 'Contoso.Azure', '1.0.0');
    makePackage(folder, 'Contoso.Azure', '1.1.0');
    const plan = await runCliAsync(['publish-plan', folder, '--source', server.index, '--dry-run'], pluginEnv(host, record));
    assert.equal(plan.code, 0, plan.stdout + plan.stderr);
    assert.match(plan.stdout, /1\. Contoso\.Azure 1\.0\.0 → \S+: skip \(already there\)/);
    assert.match(plan.stdout, /2\. Contoso\.Azure 1\.1\.0 → \S+: publish/);
    server.requests.length = 0;
    const pushed = await runCliAsync(['push', join(folder, 'Contoso.Azure.1.1.0.nupkg'), '--source', server.index], pluginEnv(host, record));
    assert.equal(pushed.code, 0, pushed.stdout + pushed.stderr);
    assert.match(pushed.stderr, /using credentials for \S+ from the credential provider nuget-plugin-fake/);
    const put = server.requests.find((request) => request.method === 'PUT');
    assert.equal(put?.headers.authorization, BASIC, 'the push carried the provider\'s Basic credentials');
    assert.equal(put?.headers['x-nuget-apikey'], 'az', 'and the placeholder API key Azure Artifacts documents');
    for (const output of [plan.stdout, plan.stderr, pushed.stdout, pushed.stderr]) {
      assert.ok(!output.includes(TOKEN) && !output.includes(BASIC.slice(6)), output);
    }
  });

  it('CLI: without a provider the refusal says none is installed and how to go on', async () => {
    const folder = tempDir();
    copyFileSync(makePackage(tempDir(), 'Contoso.Azure', '1.2.0'), join(folder, 'Contoso.Azure.1.2.0.nupkg'));
    const env = { ...pluginEnv(host, join(tempDir(), 'record.jsonl')), PATH: process.env.PATH };
    const plan = await runCliAsync(['publish-plan', folder, '--source', server.index, '--dry-run'], env);
    assert.match(plan.stdout, /could not check the feed \(NP3006: .*wants credentials.*no NuGet credential provider is installed \(looked in ~\/\.nuget\/plugins\/netcore and nuget-plugin-\* on PATH\)\. Store a personal access token with NuGet: Add Key…/);
    const pushed = await runCliAsync(['push', join(folder, 'Contoso.Azure.1.2.0.nupkg'), '--source', server.index], env);
    assert.equal(pushed.code, 2);
    assert.match(pushed.stderr, /no key was given \(NUGET_API_KEY or --api-key-env\), and no NuGet credential provider is installed/);
  });
});
