/** "Manage Keys and Owners": the message handlers, key rows, the glob tester and the owners view. */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { Feed } from '../../src/core/feeds/feed';
import type { KeyRecord } from '../../src/core/keys/keys';
import { KeysPanelController, keyRows, ownersFeed, testGlob, type KeysPanelHost } from '../../src/core/keys/keysPanel';
import type { ToKeysWebview } from '../../src/shared/keysProtocol';
import { isFromKeysWebview } from '../../src/shared/keysProtocol';

const NUGET: Feed = { name: 'nuget.org', source: 'https://api.nuget.org/v3/index.json', kind: 'nuget.org', owners: ['contoso'] };
const TEAM: Feed = { name: 'Team', source: 'https://pkgs.example.com/v3/index.json', kind: 'v3' };
const ORIGIN = 'https://api.nuget.org';

function record(label: string, glob: string, overrides: Partial<KeyRecord> = {}): KeyRecord {
  return { label, origin: ORIGIN, feedName: 'nuget.org', scheme: 'apikey', scopes: ['push'], glob, created: '2026-01-01T00:00:00Z', ...overrides };
}

/** A host that keeps everything in memory and records what the controller asked for. */
function host(records: KeyRecord[]): KeysPanelHost & { posted: ToKeysWebview[]; calls: string[]; errors: string[] } {
  const posted: ToKeysWebview[] = [];
  const calls: string[] = [];
  const errors: string[] = [];
  return {
    posted, calls, errors,
    records: () => records,
    feeds: () => [NUGET, TEAM],
    reminderDays: () => 10,
    post: (message) => posted.push(message),
    addKey: async (feed) => calls.push(`add ${feed ?? ''}`),
    replaceKey: async (key) => calls.push(`replace ${key.label}`),
    testKey: async (key) => calls.push(`test ${key.label}`),
    removeKey: async (key) => {
      calls.push(`remove ${key.label}`);
      records.splice(records.indexOf(key), 1);
    },
    updateKey: async (key, changes) => {
      calls.push(`update ${key.label} ${JSON.stringify(changes)}`);
      records[records.indexOf(key)] = { ...key, ...changes };
    },
    openExternal: async (url) => calls.push(`open ${url}`),
    owners: async () => [],
    showError: (message) => errors.push(message),
  };
}

describe('keys panel', () => {
  it('key rows carry metadata and expiry state, never a value', () => {
    const now = new Date('2026-11-23T12:00:00Z');
    const rows = keyRows([record('fresh', '*', { expires: '2027-06-01' }), record('soon', '*', { expires: '2026-11-30' }), record('old', '*', { expires: '2026-11-20' }), record('forever', '*')], 10, now);
    assert.deepEqual(rows.map((row) => [row.label, row.expiryState, row.expiryText]), [
      ['forever', 'none', 'no expiry'], ['fresh', 'ok', 'expires in 190 days'], ['old', 'expired', 'expired 3 days ago'], ['soon', 'soon', 'expires in 7 days'],
    ]);
  });

  it('the glob tester shows per feed which key would be chosen, and says when none covers the id', () => {
    const records = [record('all', '*'), record('contoso', 'Contoso.*'), record('team', '*', { origin: 'https://pkgs.example.com', feedName: 'Team' })];
    assert.deepEqual(testGlob(records, [NUGET, TEAM], 'Contoso.Utils').matches, [
      { feedName: 'nuget.org', origin: ORIGIN, labels: ['contoso', 'all'] },
      { feedName: 'Team', origin: 'https://pkgs.example.com', labels: ['team'] },
    ]);
    assert.deepEqual(testGlob([record('contoso', 'Contoso.*')], [NUGET], 'Fabrikam.Core').matches, [{ feedName: 'nuget.org', origin: ORIGIN, labels: [] }]);
    assert.match(testGlob(records, [NUGET], 'not an id!').problem ?? '', /not a valid package id/);
  });

  it('handles each message: ready, add, test, replace, remove, edit (validated), glob, pages', async () => {
    const records = [record('CI', 'Contoso.*', { expires: '2027-01-01' })];
    const fake = host(records);
    const controller = new KeysPanelController(fake);
    await controller.handle({ type: 'ready' });
    assert.equal(fake.posted.at(-1)?.type, 'state');
    await controller.handle({ type: 'addKey', feed: 'nuget.org' });
    await controller.handle({ type: 'testKey', origin: ORIGIN, label: 'CI' });
    await controller.handle({ type: 'replaceKey', origin: ORIGIN, label: 'CI' });
    await controller.handle({ type: 'editKey', origin: ORIGIN, label: 'CI', changes: { glob: 'Contoso.*, Fabrikam.*', owner: 'contoso', scopes: ['push', 'unlist'] } });
    await controller.handle({ type: 'editKey', origin: ORIGIN, label: 'CI', changes: { expires: '2030-01-01' } });
    assert.match(fake.errors.pop() ?? '', /at most 365 days/);
    await controller.handle({ type: 'editKey', origin: ORIGIN, label: 'CI', changes: { glob: 'bad/glob' } });
    assert.match(fake.errors.pop() ?? '', /letters, digits/);
    await controller.handle({ type: 'testGlob', packageId: 'Fabrikam.Core' });
    assert.deepEqual(fake.posted.at(-1), { type: 'globResult', packageId: 'Fabrikam.Core', matches: [{ feedName: 'nuget.org', origin: ORIGIN, labels: ['CI'] }] });
    await controller.handle({ type: 'openKeysPage' });
    await controller.handle({ type: 'removeKey', origin: ORIGIN, label: 'CI' });
    await controller.handle({ type: 'testKey', origin: ORIGIN, label: 'CI' });
    assert.match(fake.errors.pop() ?? '', /no longer exists/);
    assert.deepEqual(fake.calls, [
      'add nuget.org', 'test CI', 'replace CI', 'update CI {"glob":"Contoso.*, Fabrikam.*","owner":"contoso","scopes":["push","unlist"]}',
      'open https://www.nuget.org/account/apikeys', 'remove CI',
    ]);
    const last = fake.posted.at(-1);
    assert.ok(last?.type === 'state' && last.keys.length === 0, 'the table is refreshed after the removal');
  });

  it('refuses malformed messages from the webview', () => {
    assert.equal(isFromKeysWebview({ type: 'removeKey', origin: ORIGIN }), false);
    assert.equal(isFromKeysWebview({ type: 'openUrl', url: 'javascript:alert(1)' }), false);
    assert.equal(isFromKeysWebview({ type: 'testGlob', packageId: 'x'.repeat(500) }), false);
    assert.equal(isFromKeysWebview({ type: 'editKey', origin: ORIGIN, label: 'CI' }), false);
    assert.equal(isFromKeysWebview({ type: 'loadOwners' }), true);
  });

  it('the owners view groups search results by owner, with verified badges and manage links', () => {
    const view = ownersFeed(NUGET, new Map([['contoso', [
      { id: 'Contoso.Core', version: '2.0.0', versions: [], owners: ['contoso', 'alice'], verified: true, totalDownloads: 5 },
      { id: 'Contoso.Utils', version: '1.0.0', versions: [], owners: ['contoso'], verified: false },
    ]]]), { packagePage: (id) => `https://www.nuget.org/packages/${id}`, ownerPage: (owner) => `https://www.nuget.org/profiles/${owner}` });
    assert.deepEqual(view.owners.map((owner) => [owner.name, owner.packages]), [['alice', ['Contoso.Core']], ['contoso', ['Contoso.Core', 'Contoso.Utils']]]);
    assert.equal(view.packages[0].manageUrl, 'https://www.nuget.org/packages/Contoso.Core/Manage');
    assert.equal(view.packages[0].verified, true);
  });
});
