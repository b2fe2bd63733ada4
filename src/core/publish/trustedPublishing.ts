/**
 * nuget.org trusted publishing from GitHub Actions (OIDC), as the NuGet/login action does it:
 *  1. GET ${ACTIONS_ID_TOKEN_REQUEST_URL}&audience=<audience> with `Authorization: Bearer
 *     ${ACTIONS_ID_TOKEN_REQUEST_TOKEN}` → `{"value": "<OIDC token>"}`;
 *  2. POST <token service> with `Authorization: Bearer <OIDC token>` and
 *     `{"username": "<policy creator>", "tokenType": "ApiKey"}` → 200 `{"apiKey": "…"}`, or an
 *     error JSON `{"error": "…"}`.
 * The key lives about an hour. Both secrets go only over HTTPS (or to this machine), never along a
 * redirect, and are announced to the caller (`onSecret`) before anything could print them, so
 * GitHub Actions can mask them.
 */
import { boundedFetch, BODY_CAPS } from '../http/boundedFetch';
import { NuGetPublisherError } from '../errors';
import { displayUrl } from '../secrets/scrubber';
import { isSecureOrLoopback } from '../http/keySafety';

export const NUGET_ORG_TOKEN_SERVICE = 'https://www.nuget.org/api/v2/token';
export const NUGET_ORG_AUDIENCE = 'https://www.nuget.org';

export interface TrustedPublishingOptions {
  /** The nuget.org user who created the trusted publishing policy (profile name, not e-mail). */
  readonly username: string;
  readonly tokenService?: string;
  readonly audience?: string;
  /** The Actions variables (ACTIONS_ID_TOKEN_REQUEST_URL / _TOKEN). */
  readonly requestUrl?: string;
  readonly requestToken?: string;
  /** Called with each secret as soon as it exists (the OIDC token, then the key): mask it. */
  readonly onSecret?: (secret: string) => void;
  readonly signal?: AbortSignal;
}

const POLICY_HINT = 'The user must be the nuget.org account that created the trusted publishing policy (its profile name, not an e-mail address), and the policy\'s repository owner, repository and workflow file name (and environment, if set) must match this run exactly; a renamed workflow file no longer matches.';

/** Secrets go over HTTPS only, or plain HTTP to this machine (tests, local servers). */
function checkSecureUrl(url: string, what: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new NuGetPublisherError('NP2073', `The ${what} URL "${displayUrl(url)}" is not a valid URL.`, 'Check the URL.');
  }
  if (!isSecureOrLoopback(parsed)) {
    throw new NuGetPublisherError('NP2073', `The ${what} ${parsed.origin} uses plain ${parsed.protocol.replace(':', '').toUpperCase()}; tokens are only sent over HTTPS (or to this machine).`, `Use the ${what}'s https:// URL.`);
  }
  return parsed;
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Step 1: the job's OIDC token for `audience`, from GitHub Actions' token endpoint. */
export async function requestOidcToken(options: Pick<TrustedPublishingOptions, 'requestUrl' | 'requestToken' | 'audience' | 'signal'>): Promise<string> {
  if (!options.requestUrl || !options.requestToken) {
    throw new NuGetPublisherError('NP2070', 'Trusted publishing needs the GitHub Actions OIDC variables ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN, and they are not set.', 'Run it in a GitHub Actions job with `permissions: id-token: write` (at workflow or job level); without that permission GitHub does not provide them.');
  }
  const url = checkSecureUrl(options.requestUrl, 'OIDC token endpoint');
  url.searchParams.set('audience', options.audience ?? NUGET_ORG_AUDIENCE);
  const response = await boundedFetch(url.toString(), {
    headers: { authorization: `Bearer ${options.requestToken}`, accept: 'application/json' },
    credentialOrigin: url.origin,
    maxBytes: BODY_CAPS.error * 4, deadlineMs: 30_000, signal: options.signal,
    codes: { unreachable: 'NP2074', tooLarge: 'NP2074' },
  });
  const value = parseJson(response.body)?.value;
  if (response.status !== 200 || typeof value !== 'string' || !value) {
    throw new NuGetPublisherError('NP2074', `GitHub Actions did not issue an OIDC token (${response.status} ${response.statusText}).`, 'Check that the job has `permissions: id-token: write`.');
  }
  return value;
}

/** Step 2: the short-lived API key for the OIDC token, from the token service. */
export async function exchangeForApiKey(options: { tokenService?: string; oidcToken: string; username: string; signal?: AbortSignal }): Promise<string> {
  const service = options.tokenService ?? NUGET_ORG_TOKEN_SERVICE;
  checkSecureUrl(service, 'token service');
  const response = await boundedFetch(service, {
    method: 'POST',
    headers: { authorization: `Bearer ${options.oidcToken}`, 'content-type': 'application/json', accept: 'application/json' },
    credentialOrigin: new URL(service).origin,
    body: JSON.stringify({ username: options.username, tokenType: 'ApiKey' }),
    maxBytes: BODY_CAPS.error * 4, deadlineMs: 30_000, signal: options.signal,
    codes: { unreachable: 'NP2075', tooLarge: 'NP2075' },
  });
  if (response.status >= 300 && response.status < 400) {
    throw new NuGetPublisherError('NP2075', `The token service ${new URL(service).origin} redirected the exchange (${response.status}); the token was not sent further.`, 'Use the token service\'s final URL.');
  }
  const json = parseJson(response.body);
  const apiKey = json?.apiKey;
  if (response.status === 200 && typeof apiKey === 'string' && apiKey) {
    return apiKey;
  }
  const reason = typeof json?.error === 'string' && json.error ? json.error : `${response.status} ${response.statusText}`.trim();
  throw new NuGetPublisherError('NP2076', `The token service refused the exchange for "${options.username}": ${reason}`, POLICY_HINT);
}

/** Both steps: a short-lived API key for this GitHub Actions run. */
export async function trustedPublishingKey(options: TrustedPublishingOptions): Promise<string> {
  // Checked first: the one-time OIDC token is not spent on a token service it may not go to.
  checkSecureUrl(options.tokenService ?? NUGET_ORG_TOKEN_SERVICE, 'token service');
  const oidcToken = await requestOidcToken(options);
  options.onSecret?.(oidcToken);
  const apiKey = await exchangeForApiKey({ tokenService: options.tokenService, oidcToken, username: options.username, signal: options.signal });
  options.onSecret?.(apiKey);
  // Announced (masked) first, then checked: a key with a control character (a broken or hostile
  // token service) could split a header or a log command, so it is never used.
  if (/[\u0000-\u001f\u007f]/.test(apiKey)) {
    throw new NuGetPublisherError('NP2077', 'The token service returned an API key with a control character (such as a line break); it was not used.', 'The token service is broken or not nuget.org\'s: check --token-service.');
  }
  return apiKey;
}
