/**
 * Extension host: VS Code's http.proxy setting. A real squid, and a feed served over HTTPS as
 * feed.test (a name only squid resolves) with a certificate from the tests' CA, which this
 * extension host trusts through NODE_EXTRA_CA_CERTS (set by test/runExtensionTests.ts, as a user
 * behind TLS inspection sets it). With http.proxy the Feeds view's reads and a publish reach the
 * feed; without it they cannot.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { PublishReport } from '../../src/core/publish/publish';
import { makePackage } from '../helpers/makePackage';
import { FEED_HOST, startSquid, type Squid } from '../helpers/squid';
import { startV3Server, type V3Server } from '../servers/v3Server';
import { answerWith, CONFIRM, dismissEverything, EXTENSION_ID } from './helpers';

const KEY = 'proxied-key';

suite('VS Code\'s http.proxy in a real VS Code', () => {
  let api: ExtensionApi;
  let squid: Squid;
  let feed: V3Server;
  let folder: string;

  suiteSetup(async function () {
    this.timeout(60_000);
    api = await vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID)!.activate();
    squid = await startSquid();
    feed = await startV3Server({ validKeys: [KEY], tls: { key: readFileSync(process.env.NP_TEST_TLS_KEY!, 'utf8'), cert: readFileSync(process.env.NP_TEST_TLS_CERT!, 'utf8'), hostName: FEED_HOST } });
    folder = mkdtempSync(join(tmpdir(), 'np-proxied-'));
    await vscode.workspace.getConfiguration('nugetPublisher').update('feeds', [{ name: 'Proxied', source: feed.index, kind: 'v3' }], vscode.ConfigurationTarget.Global);
    await api.services.keys.add({ label: 'proxied', origin: new URL(feed.index).origin, feedName: 'Proxied', scheme: 'apikey', scopes: ['push'], glob: '*', created: new Date().toISOString() }, KEY);
    answerWith(api, { press: CONFIRM });
  });

  suiteTeardown(async () => {
    dismissEverything(api);
    await vscode.workspace.getConfiguration('http').update('proxy', undefined, vscode.ConfigurationTarget.Global);
    for (const key of api.services.keys.list()) {
      await api.services.keys.remove(key);
    }
    await vscode.workspace.getConfiguration('nugetPublisher').update('feeds', undefined, vscode.ConfigurationTarget.Global);
    await feed?.close();
    await squid?.stop();
  });

  test('with http.proxy, the Feeds view reads and a publish go through the proxy; without it feed.test cannot be reached', async function () {
    this.timeout(120_000);
    const client = (): ReturnType<ExtensionApi['services']['keys']['clientFor']> => api.services.keys.clientFor({ name: 'Proxied', source: feed.index, kind: 'v3' });
    await vscode.workspace.getConfiguration('http').update('proxy', squid.url, vscode.ConfigurationTarget.Global);
    const before = squid.accessLog().length;
    const report = await vscode.commands.executeCommand<PublishReport | undefined>('nugetPublisher.publishPackage', vscode.Uri.file(makePackage(folder, 'Contoso.Proxied', '1.0.0')), { feed: 'Proxied' });
    assert.equal(report?.outcome, 'created');
    assert.deepEqual(await client().versions('Contoso.Proxied'), ['1.0.0']);
    assert.ok((await client().packages('', 0)).items.some((item) => item.id === 'Contoso.Proxied'));
    assert.ok(squid.accessLog().slice(before).some((line) => line.includes(`CONNECT ${FEED_HOST}:`) && line.includes('TCP_TUNNEL/200')), squid.accessLog().join('\n'));
    assert.match(String(feed.requests.at(-1)?.headers['user-agent']), /^NuGetPublisher\/[\d.]+ \(VS Code \d+\.\d+/);
    await vscode.workspace.getConfiguration('http').update('proxy', undefined, vscode.ConfigurationTarget.Global);
    await assert.rejects(client().versions('Contoso.Proxied'), /feed\.test.*cannot be reached|ENOTFOUND|EAI_AGAIN/);
  });
});
