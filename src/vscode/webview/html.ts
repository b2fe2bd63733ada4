/** Webview HTML with a strict CSP: no inline script, scripts and styles only from the bundle. */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { escapeXml } from '../../core/xml';

export function createNonce(): string {
  return randomBytes(18).toString('base64').replace(/[^A-Za-z0-9]/g, '');
}

export interface WebviewPage {
  readonly title: string;
  /** File name of the ES module under dist/webview. */
  readonly script: string;
  /** CSS files under media/. */
  readonly styles: readonly string[];
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

export function renderHtml(webview: vscode.Webview, extensionUri: vscode.Uri, page: WebviewPage): string {
  const nonce = createNonce();
  const asset = (...segments: string[]): string => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...segments)).toString();
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    `font-src ${webview.cspSource}`,
    `style-src ${webview.cspSource} 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  const styles = page.styles.map((file) => `<link rel="stylesheet" href="${asset('media', file)}">`).join('\n    ');
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${csp}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    <link rel="stylesheet" href="${asset('dist', 'webview', 'codicon.css')}" id="vscode-codicon-stylesheet">
    ${styles}
    <title>${escapeXml(page.title)}</title>
  </head>
  <body>
    <main id="app" data-nonce="${nonce}" aria-live="polite"><p class="muted">Loading…</p></main>
    <script type="module" nonce="${nonce}" src="${asset('dist', 'webview', page.script)}"></script>
  </body>
</html>`;
}

