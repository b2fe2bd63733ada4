/**
 * "Test key": checks a credential without publishing anything.
 * - nuget.org (and gallery-style V3 servers whose PackagePublish ends in /api/v2/package): the
 *   verify-key pair — POST {publish}/create-verification-key/{id}/{version} with the key, then
 *   GET {api/v2}/verifykey/{id}/{version} with the temporary key (200 ok, 403 refused, 404 unknown).
 * - nuget-server: POST /api/publish with no body: 400 means the credentials may publish, 401
 *   wrong credentials, 403 a read-only user. Nothing is stored.
 * - Basic credentials on other V3 feeds: an authenticated read of the service index.
 * - An X-NuGet-ApiKey on other V3 feeds cannot be checked without pushing: said so.
 * The key only goes to its origin, over HTTPS or loopback; redirects are never followed.
 */
import { boundedFetch, BODY_CAPS } from '../http/boundedFetch';
import { NuGetPublisherError } from '../errors';
import { discover, hasResource, resourceUrl } from '../feeds/serviceIndex';
import { nugetServerBase, serviceIndexUrl, type Feed } from '../feeds/feed';
import { endpointKeyOrigin, originOf } from '../http/keySafety';
import { authorizationOf, type Credential } from './keys';

export interface KeyCheck {
  /** true: the feed accepted it; false: refused; undefined: cannot be told without a push. */
  readonly ok: boolean | undefined;
  readonly message: string;
  /** The feed checks keys only against a package it has (a gallery's verify-key): ask for an id and version, then check again. */
  readonly needsProbe?: boolean;
}

async function send(url: string, method: 'GET' | 'POST', headers: Record<string, string>, keyOrigin: string, signal?: AbortSignal): Promise<{ status: number; text: string }> {
  const response = await boundedFetch(url, {
    method,
    credentialOrigin: keyOrigin,
    headers: { 'x-nuget-protocol-version': '4.1.0', ...headers },
    signal,
    deadlineMs: 30_000,
    maxBytes: BODY_CAPS.error,
    codes: { unreachable: 'NP2012', tooLarge: 'NP2013' },
  });
  if (response.status >= 300 && response.status < 400) {
    throw new NuGetPublisherError('NP2003', `${originOf(url)} redirected the key check elsewhere; the key was not sent further.`, 'Check the feed URL.');
  }
  return { status: response.status, text: response.body };
}

/** nuget.org's gallery API lives beside PackagePublish: https://www.nuget.org/api/v2/package. */
function galleryApiBase(publishUrl: string): string | undefined {
  const match = /^(.*\/api\/v2)\/package\/?$/i.exec(publishUrl);
  return match?.[1];
}

export async function testCredential(feed: Feed, credential: Credential, probe: { id?: string; version?: string } = {}, signal?: AbortSignal): Promise<KeyCheck> {
  if (feed.kind === 'folder') {
    return { ok: true, message: 'Folder feeds need no key.' };
  }
  const keyOrigin = originOf(feed.source);
  const authorization = authorizationOf(credential);
  const authHeaders: Record<string, string> = authorization ? { authorization } : {};
  if (feed.kind === 'nuget-server') {
    const { status } = await send(`${nugetServerBase(feed.source)}/api/publish`, 'POST', { ...authHeaders, 'content-type': 'application/octet-stream' }, keyOrigin, signal);
    if (status === 400) {
      return { ok: true, message: 'nuget-server accepted the user name and API password, with publish permission.' };
    }
    if (status === 401) {
      return { ok: false, message: 'nuget-server did not accept the user name and API password (401). Create a new API password in its web UI and use Replace Key.' };
    }
    if (status === 403) {
      return { ok: false, message: 'The credentials are valid but the user may not publish (403): it needs the publish or admin role.' };
    }
    return { ok: false, message: `nuget-server answered ${status} to the check.` };
  }
  const index = await discover(serviceIndexUrl(feed), { headers: authHeaders, signal, maxAgeMs: authorization ? 0 : undefined }).catch((error: unknown) => {
    if (error instanceof NuGetPublisherError && error.code === 'NP3006') {
      return { ok: false as const, message: `${feed.name} refused the credentials when reading its service index.` };
    }
    throw error;
  });
  if ('ok' in index) {
    return index;
  }
  const publishUrl = hasResource(index, 'publish') ? resourceUrl(index, 'publish') : undefined;
  const gallery = publishUrl ? galleryApiBase(publishUrl) : undefined;
  if (gallery && credential.apiKey) {
    if (!probe.id || !probe.version) {
      return { ok: undefined, needsProbe: true, message: `To check a ${feed.name} key, give a package id and a version it already has (the key must cover that id).` };
    }
    const path = `${encodeURIComponent(probe.id)}/${encodeURIComponent(probe.version)}`;
    // The index names where keys go: only the key's own origin or its listed pair (keySafety.ts).
    const created = await send(`${publishUrl!.replace(/\/+$/, '')}/create-verification-key/${path}`, 'POST', { ...authHeaders, 'x-nuget-apikey': credential.apiKey }, endpointKeyOrigin(publishUrl!, keyOrigin), signal);
    if (created.status === 401 || created.status === 403) {
      return { ok: false, message: `${feed.name} does not know this key, or it has expired (${created.status}). Replace it with a current key.` };
    }
    if (created.status === 404) {
      return { ok: false, message: `${feed.name} has no ${probe.id} ${probe.version} (404); check against a version that exists.` };
    }
    if (created.status !== 200) {
      return { ok: false, message: `${feed.name} answered ${created.status} when asked for a verification key.` };
    }
    let temporary: string | undefined;
    try {
      temporary = (JSON.parse(created.text) as { Key?: string }).Key;
    } catch {
      temporary = undefined;
    }
    if (!temporary) {
      return { ok: false, message: `${feed.name} returned no verification key.` };
    }
    const verified = await send(`${gallery}/verifykey/${path}`, 'GET', { ...authHeaders, 'x-nuget-apikey': temporary }, endpointKeyOrigin(gallery, keyOrigin), signal);
    if (verified.status === 200) {
      return { ok: true, message: `The key is valid and may push ${probe.id}.` };
    }
    if (verified.status === 403) {
      return { ok: false, message: `The key is valid but may not push ${probe.id} (403): its scopes, glob pattern or owner do not cover this id.` };
    }
    if (verified.status === 404) {
      return { ok: false, message: `${feed.name} has no ${probe.id} ${probe.version} (404).` };
    }
    return { ok: false, message: `${feed.name} answered ${verified.status} to the verification.` };
  }
  if (!publishUrl) {
    // The real cause, not "cannot be checked": this feed takes no pushes with any key.
    return { ok: false, message: `${feed.name} takes no pushes: its service index (${serviceIndexUrl(feed)}) lists no PackagePublish resource, so no key can publish there. Check the feed URL (a read-only mirror or a search endpoint?), or publish to the feed's push URL.` };
  }
  if (authorization) {
    return { ok: true, message: `${feed.name} accepted the credentials for an authenticated read.` };
  }
  return { ok: undefined, message: `${feed.name} offers no way to check an API key without pushing (its push endpoint is not nuget.org's gallery API); it is checked on the first push.` };
}
