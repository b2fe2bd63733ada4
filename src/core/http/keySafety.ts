/**
 * Where an API key may go: only to its feed's origin (scheme + host + port), only over HTTPS
 * except to loopback. Checked before every request that carries a key, redirects included.
 */
import { NuGetPublisherError } from '../errors';

export function originOf(url: string | URL): string {
  return new URL(url).origin;
}

export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** Secrets travel over HTTPS, or plain HTTP to this machine only. */
export function isSecureOrLoopback(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url.hostname));
}

/** Throws unless a key may be sent to `url` for a key bound to `keyOrigin`. */
export function assertKeyMayGo(url: string, keyOrigin: string): void {
  const target = new URL(url);
  if (target.origin !== keyOrigin) {
    throw new NuGetPublisherError('NP2001', `The request would send the API key to ${target.origin} (host ${target.host}), but the key belongs to ${keyOrigin}; it was not sent.`, 'Check the feed URL and what its service index names: keys only ever go to the exact origin (scheme, host, port) they were stored for.');
  }
  if (!isSecureOrLoopback(target)) {
    throw new NuGetPublisherError('NP2002', `${target.origin} uses plain ${target.protocol.replace(':', '').toUpperCase()}; API keys are only sent over HTTPS (or to this machine).`, 'Use the feed\'s https:// URL.');
  }
}

/**
 * The only origins besides its own that a key may go to, as explicit pairs: nuget.org's service
 * index is on api.nuget.org and names www.nuget.org for pushes, unlists, symbols and key checks.
 * No wider rule (a "same site" by host-name labels or any port of one IP address would hand a
 * key to evil.co.uk for nuget.contoso.co.uk, or to attacker.github.io for contoso.github.io).
 */
export const KEY_ORIGIN_PAIRS: readonly (readonly [string, string])[] = [
  ['https://api.nuget.org', 'https://www.nuget.org'],
];

/** True when a key stored for `keyOrigin` may go to `targetOrigin`: the same origin, or a listed pair. */
export function isPairedOrigin(keyOrigin: string, targetOrigin: string): boolean {
  return keyOrigin === targetOrigin || KEY_ORIGIN_PAIRS.some(([a, b]) => (a === keyOrigin && b === targetOrigin) || (b === keyOrigin && a === targetOrigin));
}

/**
 * The origin a key may be sent to for an endpoint named by the feed's own service index: the
 * endpoint's origin when it is the key's own or its listed pair (KEY_ORIGIN_PAIRS), else the
 * key's own origin, so that sending anywhere else is refused by assertKeyMayGo, naming the host
 * the index pointed at. A workspace setting cannot move a key: the index is read from the key's
 * origin.
 */
export function endpointKeyOrigin(endpoint: string, keyOrigin: string): string {
  const target = new URL(endpoint);
  return isPairedOrigin(keyOrigin, target.origin) ? target.origin : keyOrigin;
}

/** Whether request headers carry credentials (an API key or an Authorization value). */
export function carriesCredentials(headers: Record<string, string> | undefined): boolean {
  return Object.keys(headers ?? {}).some((name) => /^(authorization|x-nuget-apikey)$/i.test(name));
}

/**
 * The network door's check for every request that carries credentials: they must say which
 * origin they belong to, and may go only there (or to its named pair), over HTTPS except to loopback.
 */
export function assertCredentialsMayGo(url: string, credentialOrigin: string | undefined): void {
  if (credentialOrigin === undefined) {
    throw new NuGetPublisherError('NP2001', `A request to ${originOf(url)} carries credentials without naming the origin they belong to, so it was not sent.`, 'This is a defect of NuGet Publisher: please report it.');
  }
  assertKeyMayGo(url, credentialOrigin);
}
