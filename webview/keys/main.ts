/**
 * "Manage Keys and Owners" front end. It shows key metadata and owners; it never sees a key's
 * value (Add and Replace open VS Code's password box). Every control is a button or a labelled
 * field reachable with Tab and operated with Enter/Space; colours come from the theme variables.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-icon/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { KeyScope } from '../../src/shared/webviewCore';
import { isToKeysWebview, type FeedRow, type FromKeysWebview, type KeyRow, type OwnersFeed, type ToKeysWebview } from '../../src/shared/keysProtocol';
import { h } from '../dom';
import { vscodeApi } from '../vscodeApi';

interface State {
  readonly tab?: number;
  readonly glob?: string;
  readonly keys?: Extract<ToKeysWebview, { type: 'state' }>;
  readonly owners?: readonly OwnersFeed[];
}

const api = vscodeApi<State, FromKeysWebview>();
let state: State = api.getState() ?? {};
let editing: string | undefined;
const app = document.getElementById('app') as HTMLElement;

function save(changes: Partial<State>): void {
  state = { ...state, ...changes };
  api.setState(state);
}

function post(message: FromKeysWebview): void {
  api.postMessage(message);
}

function icon(name: string): HTMLElement {
  return h('vscode-icon', { name, 'aria-hidden': 'true' });
}

function button(label: string, onClick: () => void, options: { icon?: string; secondary?: boolean; aria?: string; id?: string } = {}): HTMLElement {
  const element = h('vscode-button', { ...(options.secondary ? { secondary: '' } : {}), ...(options.icon ? { icon: options.icon } : {}), 'aria-label': options.aria ?? label, id: options.id }, label);
  element.addEventListener('click', onClick);
  return element;
}

function date(iso: string | undefined): string {
  return iso ? new Date(iso).toLocaleString() : '—';
}

const SCOPES: readonly [KeyScope, string][] = [['push', 'push new'], ['pushversion', 'push versions only'], ['unlist', 'unlist']];

function keyId(row: KeyRow): string {
  return `${row.origin} ${row.label}`;
}

function editRow(row: KeyRow, feed: FeedRow | undefined): HTMLElement {
  const glob = h('vscode-textfield', { value: row.glob, 'aria-label': `Glob pattern of ${row.label}`, id: 'edit-glob' }) as HTMLElement & { value: string };
  const owner = h('vscode-textfield', { value: row.owner ?? '', placeholder: 'user or organization', 'aria-label': `Owner of ${row.label}`, id: 'edit-owner' }) as HTMLElement & { value: string };
  const expires = h('vscode-textfield', { value: row.expires ?? '', placeholder: 'yyyy-mm-dd', 'aria-label': `Expiry date of ${row.label}`, id: 'edit-expires' }) as HTMLElement & { value: string };
  const boxes = SCOPES.map(([scope, text]) => {
    const box = h('vscode-checkbox', { label: text, ...(row.scopes.includes(scope) ? { checked: '' } : {}), 'data-scope': scope }) as HTMLElement & { checked: boolean };
    return box;
  });
  const form = h('div', { class: 'edit-form', role: 'group', 'aria-label': `Edit ${row.label}` },
    h('label', {}, 'Glob ', glob), h('label', {}, 'Owner ', owner), h('label', {}, 'Expires ', expires),
    feed?.hasScopes ? h('div', { class: 'scopes' }, ...boxes) : null,
    button('Save', () => {
      post({ type: 'editKey', origin: row.origin, label: row.label, changes: { glob: glob.value, owner: owner.value, expires: expires.value, ...(feed?.hasScopes ? { scopes: boxes.filter((box) => box.checked).map((box) => box.getAttribute('data-scope') as KeyScope) } : {}) } });
      editing = undefined;
    }, { icon: 'check' }),
    button('Cancel', () => {
      editing = undefined;
      render();
    }, { secondary: true }));
  return h('tr', { class: 'edit' }, h('td', { colspan: '9' }, form));
}

function keysTable(keys: readonly KeyRow[], feeds: readonly FeedRow[]): HTMLElement {
  if (keys.length === 0) {
    return h('p', { class: 'empty', id: 'no-keys' }, 'No key is stored. Add one: its value goes into VS Code\'s secret storage, typed into VS Code\'s password box.');
  }
  const body = h('tbody');
  for (const row of keys) {
    const test = row.lastTest ? `${row.lastTest.ok === undefined ? 'cannot tell' : row.lastTest.ok ? 'passed' : 'failed'} ${date(row.lastTest.at)}` : 'never';
    body.appendChild(h('tr', { 'data-key': keyId(row), class: `expiry-${row.expiryState}` },
      h('th', { scope: 'row' }, row.label, row.username ? h('span', { class: 'muted' }, ` (${row.username})`) : null),
      h('td', { 'data-label': 'Feed' }, row.feedName, h('div', { class: 'muted small' }, row.origin)),
      h('td', { 'data-label': 'Owner' }, row.owner ?? '—'),
      h('td', { 'data-label': 'Scopes' }, row.scopes.length ? row.scopes.join(', ') : '—'),
      h('td', { class: 'glob', 'data-label': 'Glob' }, row.glob),
      h('td', { class: `expiry ${row.expiryState}`, title: row.expires ?? '', 'data-label': 'Expiry' }, row.expiryState === 'expired' ? icon('error') : row.expiryState === 'soon' ? icon('warning') : null, ` ${row.expiryText}`),
      h('td', { 'data-label': 'Last used' }, date(row.lastUsed)),
      h('td', { class: `test ${row.lastTest?.ok === false ? 'failed' : row.lastTest?.ok ? 'passed' : ''}`, title: row.lastTest?.message ?? '', 'data-label': 'Last test' }, row.lastTest?.ok === false ? icon('error') : row.lastTest?.ok ? icon('pass') : null, test),
      h('td', { class: 'actions' },
        button('Test', () => post({ type: 'testKey', origin: row.origin, label: row.label }), { secondary: true, aria: `Test key ${row.label}` }),
        button('Replace', () => post({ type: 'replaceKey', origin: row.origin, label: row.label }), { secondary: true, aria: `Replace the value of ${row.label}` }),
        button('Edit', () => {
          editing = keyId(row);
          render();
        }, { secondary: true, aria: `Edit ${row.label}` }),
        button('Remove', () => post({ type: 'removeKey', origin: row.origin, label: row.label }), { secondary: true, aria: `Remove key ${row.label}` }))));
    if (editing === keyId(row)) {
      body.appendChild(editRow(row, feeds.find((feed) => feed.origin === row.origin)));
    }
  }
  return h('table', { id: 'keys-table' },
    h('caption', { class: 'visually-hidden' }, 'Stored API keys'),
    h('thead', {}, h('tr', {}, ...['Name', 'Feed', 'Owner', 'Scopes', 'Glob', 'Expiry', 'Last used', 'Last test', 'Actions'].map((text) => h('th', { scope: 'col' }, text)))),
    body);
}

function globTester(): HTMLElement {
  const field = h('vscode-textfield', { id: 'glob-input', placeholder: 'Contoso.Utils', value: state.glob ?? '', 'aria-label': 'Package id to test against the keys\' glob patterns' }) as HTMLElement & { value: string };
  let timer: ReturnType<typeof setTimeout> | undefined;
  field.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      save({ glob: field.value });
      post({ type: 'testGlob', packageId: field.value });
    }, 200);
  });
  return h('section', { class: 'glob-tester', 'aria-labelledby': 'glob-heading' },
    h('h2', { id: 'glob-heading' }, 'Which key would publish…'),
    h('label', { for: 'glob-input' }, 'Package id '), field,
    h('div', { id: 'glob-result', role: 'status', 'aria-live': 'polite' }));
}

function renderGlobResult(message: Extract<ToKeysWebview, { type: 'globResult' }>): void {
  const target = document.getElementById('glob-result');
  if (!target) {
    return;
  }
  target.replaceChildren();
  if (message.problem) {
    target.appendChild(h('p', { class: 'muted' }, message.problem));
    return;
  }
  if (message.matches.length === 0) {
    target.appendChild(h('p', { class: 'muted' }, 'No stored key belongs to a configured feed.'));
    return;
  }
  target.appendChild(h('ul', {}, ...message.matches.map((match) => h('li', { 'data-feed': match.feedName },
    h('strong', {}, `${match.feedName}: `),
    match.labels.length === 0 ? h('span', { class: 'error-text' }, `no key covers ${message.packageId}`) : h('span', {}, h('span', { class: 'chosen' }, match.labels[0]), ' (chosen)', match.labels.length > 1 ? `, also ${match.labels.slice(1).join(', ')} — you would be asked` : '')))));
}

function ownersView(): HTMLElement {
  const owners = state.owners;
  const container = h('div', { id: 'owners' });
  container.appendChild(h('div', { class: 'toolbar' }, button('Reload owners', () => post({ type: 'loadOwners' }), { icon: 'refresh', secondary: true })));
  if (!owners) {
    container.appendChild(h('vscode-progress-ring', { 'aria-label': 'Loading owners' }));
    return container;
  }
  for (const feed of owners) {
    const section = h('section', { class: 'owners-feed', 'data-feed': feed.feedName }, h('h2', {}, feed.feedName));
    if (feed.error) {
      section.appendChild(h('p', { class: 'error-text', role: 'alert' }, feed.error));
    } else if (feed.note) {
      section.appendChild(h('p', { class: 'muted' }, feed.note));
    } else {
      section.appendChild(h('h3', {}, 'Owners'));
      section.appendChild(h('ul', { class: 'owner-list' }, ...feed.owners.map((owner) => h('li', { 'data-owner': owner.name },
        owner.pageUrl ? h('a', { href: owner.pageUrl }, owner.name) : owner.name, h('span', { class: 'muted' }, ` — ${owner.packages.join(', ') || 'no packages'}`)))));
      section.appendChild(h('h3', {}, 'Packages'));
      const rows = feed.packages.map((pkg) => h('tr', { 'data-package': pkg.id },
        h('th', { scope: 'row' }, pkg.pageUrl ? h('a', { href: pkg.pageUrl }, pkg.id) : pkg.id, pkg.verified ? h('span', { class: 'verified', title: 'Verified: the id prefix is reserved for its owner' }, icon('verified-filled'), ' verified') : null),
        h('td', {}, pkg.version ?? ''),
        h('td', {}, pkg.owners.join(', ')),
        h('td', {}, pkg.manageUrl ? button('Manage owners', () => post({ type: 'openUrl', url: pkg.manageUrl! }), { secondary: true, icon: 'link-external', aria: `Manage the owners of ${pkg.id} on nuget.org` }) : '')));
      section.appendChild(h('table', { class: 'packages' }, h('thead', {}, h('tr', {}, ...['Package', 'Latest', 'Owners', ''].map((text) => h('th', { scope: 'col' }, text)))), h('tbody', {}, ...rows)));
      section.appendChild(h('details', { class: 'steps' }, h('summary', {}, 'Adding, removing or transferring owners happens on nuget.org'),
        h('p', {}, 'nuget.org has no API for owners: the Manage owners button opens the package\'s Manage page.'),
        h('ol', {},
          h('li', {}, h('strong', {}, 'Add an owner: '), 'on the Manage page open Owners, enter the user or organization name and select Add. They must accept the invitation e-mail.'),
          h('li', {}, h('strong', {}, 'Remove an owner: '), 'under Owners select the remove (×) button next to the name. A package keeps at least one owner.'),
          h('li', {}, h('strong', {}, 'Transfer ownership: '), 'add the new owner, wait until they accept, then remove yourself.'))));
    }
    container.appendChild(section);
  }
  return container;
}

function render(): void {
  const keys = state.keys;
  const tabs = h('vscode-tabs', { 'selected-index': String(state.tab ?? 0), 'aria-label': 'Keys and owners' });
  tabs.addEventListener('vsc-tabs-select', (event) => {
    const index = (event as CustomEvent<{ selectedIndex: number }>).detail.selectedIndex;
    save({ tab: index });
    if (index === 1 && !state.owners) {
      post({ type: 'loadOwners' });
    }
  });
  const nugetOrg = keys?.feeds.find((feed) => feed.kind === 'nuget.org');
  const keysPanel = h('vscode-tab-panel', {},
    h('div', { class: 'toolbar' },
      button('Add Key…', () => post({ type: 'addKey' }), { icon: 'add', id: 'add-key' }),
      nugetOrg ? button('Open nuget.org API keys page', () => post({ type: 'openKeysPage', feed: nugetOrg.name }), { icon: 'link-external', secondary: true }) : null),
    keys ? h('p', { class: 'muted small' }, `Values live only in VS Code's secret storage and are never shown here. Keys expiring within ${keys.reminderDays} days are highlighted and you are reminded; nuget.org keys last at most 365 days.`) : null,
    keys ? keysTable(keys.keys, keys.feeds) : h('vscode-progress-ring', { 'aria-label': 'Loading keys' }),
    globTester());
  tabs.append(h('vscode-tab-header', { slot: 'header' }, 'Keys'), keysPanel, h('vscode-tab-header', { slot: 'header' }, 'Owners'), h('vscode-tab-panel', {}, ownersView()));
  app.replaceChildren(h('h1', {}, 'NuGet keys and owners'), tabs);
  if (state.glob) {
    post({ type: 'testGlob', packageId: state.glob });
  }
}

let heard = false;

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = event.data;
  if (!isToKeysWebview(message)) {
    return;
  }
  heard = true;
  if (message.type === 'state') {
    save({ keys: message });
    render();
  } else if (message.type === 'owners') {
    save({ owners: message.feeds });
    render();
  } else if (message.type === 'globResult') {
    renderGlobResult(message);
  }
});

// Links in the owners view open through the extension (the webview cannot navigate).
document.addEventListener('click', (event) => {
  const link = (event.target as HTMLElement).closest('a');
  if (link?.href) {
    event.preventDefault();
    post({ type: 'openUrl', url: link.href });
  }
});

if (state.keys) {
  render();
}
// Handshake: say "ready" until the extension answers. A single "ready" can be lost while VS Code
// is still wiring the webview up (seen in VS Code for the Web): the panel then stayed empty.
let attempts = 0;
const sayReady = (): void => {
  if (heard || attempts++ >= 120) {
    return;
  }
  post({ type: 'ready' });
  setTimeout(sayReady, 500);
};
sayReady();
if (state.tab === 1) {
  post({ type: 'loadOwners' });
}
