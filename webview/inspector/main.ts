/** The package inspector's front end: renders the InspectorModel posted by the extension. */
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-collapsible/index.js';
import '@vscode-elements/elements/dist/vscode-icon/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import '@vscode-elements/elements/dist/vscode-tree/index.js';
import '@vscode-elements/elements/dist/vscode-tree-item/index.js';
import { isToWebview, type InspectorModel, type ToWebview } from '../../src/shared/protocol';
import { h } from '../dom';
import { vscodeApi } from '../vscodeApi';
import { healthSummary, renderAssemblies, renderDependencies, renderFileTree, renderHealth, renderMetadata, renderSignatures, setOpenEntryHandler } from './sections';
import { renderMarkdown } from './markdown';

interface State {
  readonly last?: ToWebview;
}

const api = vscodeApi<State>();
setOpenEntryHandler((path) => api.postMessage({ type: 'openEntry', path }));
const app = document.getElementById('app') as HTMLElement;

function icon(name: string, label?: string): HTMLElement {
  return h('vscode-icon', { name, label, 'aria-hidden': label ? undefined : 'true' });
}

function section(heading: string, id: string, content: Node, description?: string): HTMLElement {
  const collapsible = h('vscode-collapsible', { heading, id, open: '' });
  if (description) {
    // In the decorations slot, in our own colour (the description attribute's text is dimmed below WCAG AA).
    collapsible.appendChild(h('span', { slot: 'decorations', class: 'section-count' }, description));
  }
  collapsible.appendChild(h('div', { class: 'section-body' }, content));
  return collapsible;
}

function badge(ok: boolean, label: string, title: string): HTMLElement {
  return h('span', { class: `pill ${ok ? 'ok' : 'missing'}`, title, role: 'status' }, icon(ok ? 'verified-filled' : 'circle-slash'), ` ${label}`);
}

function renderHeader(model: InspectorModel): HTMLElement {
  const m = model.metadata;
  const image = model.iconDataUri
    ? h('img', { class: 'package-icon', src: model.iconDataUri, alt: `${m.id} icon` })
    : h('div', { class: 'package-icon placeholder', 'aria-hidden': 'true' }, icon('package'));
  const errors = model.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = model.diagnostics.filter((d) => d.severity === 'warning').length;
  return h('header', { class: 'header' },
    image,
    h('div', { class: 'title' },
      h('h1', { id: 'package-id' }, m.id || '(no id)'),
      h('div', { class: 'subtitle' },
        h('span', { id: 'package-version', class: 'version' }, m.version || '(no version)'),
        model.normalizedVersion && model.normalizedVersion !== m.version ? h('span', { class: 'muted' }, ` normalized ${model.normalizedVersion}`) : null,
        model.semVer2 ? h('vscode-badge', { title: 'SemVer 2.0.0 version' }, 'SemVer 2') : null,
        model.kind === 'snupkg' ? h('vscode-badge', { title: 'Symbol package' }, 'symbols') : null,
        m.title ? h('span', { class: 'muted' }, ` · ${m.title}`) : null,
      ),
      h('div', { class: 'pills' },
        badge(Boolean(m.license), m.license ? `License: ${m.license.value}` : 'No license', m.license ? `${m.license.type} license` : 'No <license> element'),
        badge(Boolean(m.readme), m.readme ? 'Readme' : 'No readme', m.readme ?? 'No <readme> element'),
        badge(Boolean(m.repository?.url), m.repository?.url ? 'Repository' : 'No repository', m.repository?.url ?? 'No <repository url> element'),
      ),
      h('p', { class: 'description' }, m.description),
      h('div', { class: 'summary', id: 'check-summary' },
        errors > 0 ? h('span', { class: 'sev-error' }, icon('error'), ` ${errors} error${errors === 1 ? '' : 's'} (blocks nuget.org)`) : h('span', { class: 'sev-ok' }, icon('pass'), ' No blocking errors'),
        warnings > 0 ? h('span', { class: 'sev-warning' }, ' · ', icon('warning'), ` ${warnings} warning${warnings === 1 ? '' : 's'}`) : null,
      ),
    ),
    h('div', { class: 'actions' },
      button('Copy PackageReference', 'copy', () => api.postMessage({ type: 'copy', text: `<PackageReference Include="${m.id}" Version="${model.normalizedVersion ?? m.version}" />` })),
      button('Show nuspec', 'file-code', () => api.postMessage({ type: 'showNuspec' })),
      button('Reload', 'refresh', () => api.postMessage({ type: 'reload' })),
    ),
  );
}

function button(label: string, iconName: string, onClick: () => void): HTMLElement {
  const element = h('vscode-button', { secondary: '', icon: iconName, 'aria-label': label }, label);
  element.addEventListener('click', onClick);
  return element;
}

function renderDiagnostics(model: InspectorModel): HTMLElement {
  if (model.diagnostics.length === 0) {
    return h('p', { class: 'sev-ok' }, 'All nuget.org checks pass.');
  }
  const list = h('ul', { class: 'diagnostics', id: 'diagnostics' });
  for (const diagnostic of model.diagnostics) {
    const iconName = diagnostic.severity === 'error' ? 'error' : diagnostic.severity === 'warning' ? 'warning' : 'info';
    list.appendChild(h('li', { class: `sev-${diagnostic.severity}`, 'data-code': diagnostic.code },
      icon(iconName, diagnostic.severity), h('code', {}, diagnostic.code), ' ', diagnostic.message,
      diagnostic.line ? h('span', { class: 'muted' }, ` (nuspec line ${diagnostic.line})`) : null));
  }
  return list;
}

function renderModel(model: InspectorModel): void {
  const readme = h('div', { class: 'markdown', id: 'readme' });
  if (model.readmeMarkdown !== undefined) {
    // renderMarkdown escapes raw HTML and unsafe links; the CSP blocks scripts anyway.
    readme.innerHTML = renderMarkdown(model.readmeMarkdown);
  }
  const children: Node[] = [
    renderHeader(model),
    section('Checks', 'section-checks', renderDiagnostics(model), `${model.diagnostics.length}`),
    section('Metadata', 'section-metadata', renderMetadata(model)),
    section('Dependencies', 'section-dependencies', renderDependencies(model)),
    section('Files', 'section-files', renderFileTree(model), `${model.files.length} files`),
    section('Assemblies', 'section-assemblies', renderAssemblies(model), `${model.assemblies?.length ?? 0}`),
    section('Health', 'section-health', renderHealth(model), healthSummary(model)),
    section('Signatures', 'section-signatures', renderSignatures(model, [
      button('Verify Signature', 'verified', () => api.postMessage({ type: 'verify' })),
      button('Sign Package…', 'key', () => api.postMessage({ type: 'sign' })),
    ]), model.signatures.length ? model.signatures.map((signature) => signature.type).join(' + ') : 'unsigned'),
  ];
  if (model.readmeMarkdown !== undefined) {
    children.push(section('Readme', 'section-readme', readme, model.metadata.readme));
  }
  if (model.licenseText !== undefined) {
    children.push(section('License', 'section-license', h('pre', { class: 'license' }, model.licenseText), model.metadata.license?.value));
  }
  for (const problem of model.previewProblems) {
    children.push(h('p', { class: 'sev-warning' }, problem));
  }
  app.replaceChildren(...children);
}

function renderError(fileName: string, code: string, message: string): void {
  app.replaceChildren(h('div', { class: 'error-panel', role: 'alert', id: 'read-error' },
    h('h1', {}, icon('error'), ` Cannot open ${fileName}`),
    h('p', {}, h('code', {}, code), ' ', message),
    button('Try again', 'refresh', () => api.postMessage({ type: 'reload' }))));
}

function render(message: ToWebview): void {
  switch (message.type) {
    case 'loading':
      if (!app.querySelector('header')) {
        app.replaceChildren(h('div', { class: 'loading' }, h('vscode-progress-ring', {}), ` Opening ${message.fileName}…`));
      }
      return;
    case 'inspection':
      renderModel(message.model);
      break;
    case 'error':
      renderError(message.fileName, message.code, message.message);
      break;
  }
  api.setState({ last: message });
}

let heard = false;
window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (isToWebview(event.data)) {
    heard = true;
    render(event.data);
  }
});

const saved = api.getState()?.last;
if (saved) {
  render(saved);
}
// Handshake: say "ready" until the extension answers (a first message can be lost while
// VS Code is still wiring the webview up, e.g. when another webview closes at that moment).
let attempts = 0;
const sayReady = (): void => {
  if (heard || attempts++ >= 120) {
    return;
  }
  api.postMessage({ type: 'ready' });
  setTimeout(sayReady, 500);
};
sayReady();
