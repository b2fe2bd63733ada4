/**
 * The extension's network follows VS Code's: http.proxy (else the HTTPS_PROXY / HTTP_PROXY /
 * NO_PROXY environment VS Code itself honours), http.noProxy, http.proxyAuthorization,
 * http.proxyStrictSSL, and the system certificates when http.systemCertificates is on (as VS Code
 * trusts them), on top of Node's roots and NODE_EXTRA_CA_CERTS. Reconfigured when a setting changes;
 * proxy secrets go to the log's scrubber.
 */
import * as vscode from 'vscode';
import { configureNetwork, networkFromEnvironment, onProxySecret, setProductVersion, systemCertificates, type NetworkSettings } from '../core/http/network';
import { onHttpSettingsChange, readHttpSettings } from './config';
import type { Log } from './log';

export function editorNetwork(): NetworkSettings {
  const http = readHttpSettings();
  const env = networkFromEnvironment({ ...process.env, SSL_CERT_FILE: undefined });
  const extraCertificates = http.systemCertificates ? systemCertificates() : undefined;
  return {
    httpsProxy: http.proxy ?? env.httpsProxy,
    httpProxy: http.proxy ?? env.httpProxy,
    noProxy: [...http.noProxy, ...(env.noProxy ?? [])],
    ...(http.proxyAuthorization ? { proxyAuthorization: http.proxyAuthorization } : {}),
    ...(http.proxyStrictSSL ? {} : { strictSSL: false }),
    ...(extraCertificates ? { extraCertificates, certificateSource: 'the system certificates (http.systemCertificates)' } : {}),
    client: `VS Code ${vscode.version}`,
  };
}

export function configureEditorNetwork(context: vscode.ExtensionContext, log: Log): vscode.Disposable {
  setProductVersion(String(context.extension.packageJSON.version ?? '0.0.0'));
  onProxySecret((secret) => log.protect(secret));
  const apply = (): void => {
    const settings = editorNetwork();
    configureNetwork(settings);
    log.info('network', settings.httpsProxy ? `requests go through the proxy ${settings.httpsProxy.replace(/\/\/[^@/]*@/, '//')} (except ${['loopback', ...(settings.noProxy ?? [])].join(', ')})` : 'requests go direct (no proxy set)');
  };
  apply();
  return onHttpSettingsChange(apply);
}
