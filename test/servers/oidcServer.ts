/**
 * A stand-in for GitHub Actions' OIDC token endpoint and nuget.org's token service (trusted
 * publishing), on 127.0.0.1, following the protocol the NuGet/login action uses:
 * - GET /oidc/token?…&audience=AUD with `Authorization: Bearer <request token>` → `{"value": <token>}`;
 * - POST /api/v2/token with `Authorization: Bearer <token>` and `{"username", "tokenType": "ApiKey"}`
 *   → 200 `{"apiKey"}` when the token is one it issued, unexpired, unused, for the configured
 *   audience, and the user is the policy's creator; otherwise 401/403 with `{"error": "…"}`.
 * Issued keys are added to `keys` (hand that array to the V3 test server's validKeys).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type RequestListener } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

export interface OidcServerOptions {
  /** The nuget.org user who created the policy. */
  readonly policyUser: string;
  /** The audience the token service accepts (nuget.org: https://www.nuget.org). */
  readonly audience?: string;
  /** The request token GitHub gives the job (ACTIONS_ID_TOKEN_REQUEST_TOKEN). */
  readonly requestToken: string;
  /** A hostile or broken token service: the API key it issues (default: a fresh oy2tp… key). */
  readonly issueKey?: () => string;
  /** Serve HTTPS with this key and certificate under this host name (the proxy tests). */
  readonly tls?: { readonly key: string; readonly cert: string; readonly hostName: string };
}

export interface OidcServer {
  /** ACTIONS_ID_TOKEN_REQUEST_URL (already with a query, as GitHub's is). */
  readonly requestUrl: string;
  readonly tokenService: string;
  /** API keys issued so far. */
  readonly keys: string[];
  /** OIDC tokens issued so far. */
  readonly tokens: string[];
  readonly requests: { method: string; url: string }[];
  /** The next tokens are issued already expired. */
  issueExpired: boolean;
  /** The next token requests all get the same token (as a replayed one). */
  replay: boolean;
  close(): Promise<void>;
}

interface Claims {
  readonly aud: string;
  readonly exp: number;
  readonly jti: string;
}

function body(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

export async function startOidcServer(options: OidcServerOptions): Promise<OidcServer> {
  const audience = options.audience ?? 'https://www.nuget.org';
  const issued = new Map<string, Claims>();
  const used = new Set<string>();
  let last: string | undefined;
  const state: OidcServer = {
    requestUrl: '', tokenService: '', keys: [], tokens: [], requests: [], issueExpired: false, replay: false, close: async () => undefined,
  };
  const handler: RequestListener = async (req, res) => {
    const text = await body(req);
    state.requests.push({ method: req.method ?? '', url: req.url ?? '' });
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const bearer = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1];
    const answer = (status: number, json: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
    };
    if (req.method === 'GET' && url.pathname === '/oidc/token') {
      if (bearer !== options.requestToken) {
        return answer(401, { message: 'Bad credentials' });
      }
      if (state.replay && last) {
        return answer(200, { value: last });
      }
      const claims: Claims = { aud: url.searchParams.get('audience') ?? '', exp: Date.now() + (state.issueExpired ? -60_000 : 300_000), jti: randomBytes(8).toString('hex') };
      const token = `eyJ.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${randomBytes(16).toString('base64url')}`;
      issued.set(token, claims);
      state.tokens.push(token);
      last = token;
      return answer(200, { count: 1, value: token });
    }
    if (req.method === 'POST' && url.pathname === '/api/v2/token') {
      const claims = bearer ? issued.get(bearer) : undefined;
      if (!bearer || !claims) {
        return answer(401, { error: 'The token is not a valid GitHub Actions OIDC token.' });
      }
      if (claims.aud !== audience) {
        return answer(401, { error: `The token's audience "${claims.aud}" is not ${audience}.` });
      }
      if (claims.exp < Date.now()) {
        return answer(401, { error: 'The token has expired.' });
      }
      if (used.has(bearer)) {
        return answer(401, { error: 'The token has already been used to obtain an API key.' });
      }
      let request: { username?: unknown; tokenType?: unknown };
      try {
        request = JSON.parse(text) as { username?: unknown; tokenType?: unknown };
      } catch {
        return answer(400, { error: 'The request body is not JSON.' });
      }
      if (request.tokenType !== 'ApiKey') {
        return answer(400, { error: 'tokenType must be ApiKey.' });
      }
      used.add(bearer);
      if (request.username !== options.policyUser) {
        return answer(403, { error: `No trusted publishing policy of user "${String(request.username)}" matches this workflow.` });
      }
      const apiKey = options.issueKey?.() ?? `oy2tp${randomBytes(20).toString('hex')}`;
      state.keys.push(apiKey);
      return answer(200, { apiKey, expiration: new Date(Date.now() + 3_600_000).toISOString() });
    }
    answer(404, { error: 'not found' });
  };
  const server = options.tls ? createTlsServer({ key: options.tls.key, cert: options.tls.cert }, handler) : createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = options.tls ? `https://${options.tls.hostName}:${(server.address() as AddressInfo).port}` : `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  Object.assign(state, {
    requestUrl: `${base}/oidc/token?api-version=2.0`,
    tokenService: `${base}/api/v2/token`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
  return state;
}
