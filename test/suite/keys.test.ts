/** "Manage Keys and Owners" and expiry reminders inside a real VS Code: no secret ever reaches the webview. */
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { ToKeysWebview } from '../../src/shared/keysProtocol';
import { EXTENSION_ID, closeWebviews, openWebviewUntil, waitFor } from './helpers';

const SECRETS = ['oy2-panel-secret-0000000000000000000001', 'Panel-Basic-Password-9'];

function inDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

suite('Keys and owners panel in a real VS Code', () => {
  let api: ExtensionApi;
  suiteSetup(async () => {
    api = await vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID)!.activate();
    await vscode.workspace.getConfiguration('nugetPublisher').update('feeds', [
      { name: 'nuget.org', source: 'https://api.nuget.org/v3/index.json', kind: 'nuget.org' },
      { name: 'Team', source: 'https://pkgs.example.com/team/index.json', kind: 'nuget-server' },
    ], vscode.ConfigurationTarget.Global);
  });

  suiteTeardown(async () => {
    for (const key of api.services.keys.list()) {
      await api.services.keys.remove(key);
    }
    await vscode.workspace.getConfiguration('nugetPublisher').update('feeds', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('the panel shows key metadata with expiry, follows changes, and no message to it holds a secret', async function () {
    this.timeout(180_000);
    await api.services.keys.add({ label: 'CI push', origin: 'https://api.nuget.org', feedName: 'nuget.org', scheme: 'apikey', scopes: ['push'], glob: 'Contoso.*', expires: inDays(3), created: new Date().toISOString() }, SECRETS[0]);
    await api.services.keys.add({ label: 'team', origin: 'https://pkgs.example.com', feedName: 'Team', scheme: 'basic', username: 'alice', scopes: [], glob: '*', created: new Date().toISOString() }, SECRETS[1]);
    const before = api.keysPanelMessages.length;
    const table = (): ToKeysWebview | undefined => api.keysPanelMessages.slice(before).find((message) => message.type === 'state' && message.keys.length === 2);
    // The panel opens only once every earlier webview panel was disposed (see closeWebviews).
    await closeWebviews(api);
    const posted = (): string => {
      const since = api.keysPanelMessages.slice(before);
      const last = since.filter((message) => message.type === 'state').pop();
      return `${since.length} message(s) posted since, last state with ${last && last.type === 'state' ? last.keys.length : 'no'} key(s); ${api.services.keys.list().length} key(s) stored`;
    };
    const state = await openWebviewUntil(api, () => `the key table in the keys panel (${posted()})`, () => vscode.commands.executeCommand('nugetPublisher.manageKeys'), table);
    assert.ok(state.type === 'state');
    const ci = state.keys.find((row) => row.label === 'CI push');
    assert.deepEqual([ci?.expiryState, ci?.glob, ci?.feedName], ['soon', 'Contoso.*', 'nuget.org']);
    assert.match(ci?.expiryText ?? '', /^expires in [23] days$/);
    assert.equal(state.feeds.find((feed) => feed.kind === 'nuget.org')?.keysPage, 'https://www.nuget.org/account/apikeys');
    await api.services.keys.update(api.services.keys.find('https://api.nuget.org', 'CI push')!, { owner: 'contoso' });
    await waitFor('the table to follow the change', () => api.keysPanelMessages.slice(before).some((message) => message.type === 'state' && message.keys.some((row) => row.owner === 'contoso')));
    for (const message of api.keysPanelMessages) {
      const text = JSON.stringify(message);
      for (const secret of SECRETS) {
        assert.ok(!text.includes(secret), `a secret was posted to the webview: ${text.slice(0, 200)}`);
      }
    }
  });

  test('expiry reminders: once a day per key, for keys within the reminder window or expired', async () => {
    const mark = api.shownMessages.length;
    assert.deepEqual(await api.remindExpiringKeys(), ['CI push']);
    assert.ok(api.shownMessages.slice(mark).some((message) => /^warning: The key "CI push" for nuget\.org expires in [23] days\. Create a new one on nuget\.org and use Replace Key/.test(message)), api.shownMessages.slice(mark).join('\n'));
    assert.deepEqual(await api.remindExpiringKeys(), [], 'not twice the same day');
  });
});
