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
    throw new NuGetPublisherError('NP2001', `The request would send the API key to ${target.origin}, but the key belongs to ${keyOrigin}; it was not sent.`, 'Check the feed URL; keys only ever go to the origin they were stored for.');
  }
  if (!isSecureOrLoopback(target)) {
    throw new NuGetPublisherError('NP2002', `${target.origin} uses plain ${target.protocol.replace(':', '').toUpperCase()}; API keys are only sent over HTTPS (or to this machine).`, 'Use the feed\'s https:// URL.');
  }
}

/** The registrable part of a host name, approximated by its last two labels ("api.nuget.org" -> "nuget.org"). */
function site(hostname: string): string {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (/^[\d.]+$/.test(host) || host.includes(':')) {
    return host;
  }
  return host.split('.').slice(-2).join('.');
}

/**
 * The origin a key may be sent to for an endpoint named by the feed's own service index: the
 * endpoint's origin when it is on the same site as the key's origin (nuget.org's index at
 * api.nuget.org names www.nuget.org for pushes), else the key's own origin, so that sending
 * anywhere else is refused by assertKeyMayGo. A workspace setting cannot move a key: the index is
 * read from the key's origin.
 */
export function endpointKeyOrigin(endpoint: string, keyOrigin: string): string {
  const target = new URL(endpoint);
  return site(target.hostname) === site(new URL(keyOrigin).hostname) ? target.origin : keyOrigin;
}
