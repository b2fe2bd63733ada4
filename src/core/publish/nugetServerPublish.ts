/**
 * Publishing to nuget-server (npm), which has no PackagePublish resource: POST {base}/api/publish
 * with the raw .nupkg as the body (streamed) and HTTP Basic credentials (user + API password).
 */
import { explainNetworkFailure } from '../http/network';
import { stat } from 'node:fs/promises';
import { NuGetPublisherError } from '../errors';
import { upload, type HttpAnswer } from '../http/httpUpload';
import { assertKeyMayGo, originOf } from '../http/keySafety';
import type { PushResult } from './push';
import { pushError } from './pushErrors';
import { SecretScrubber } from '../secrets/scrubber';

// Basic credentials live with the keys (keys.ts), which must not load the upload code.
import { basicAuthorization, type BasicCredentials } from '../keys/keys';
export { basicAuthorization, type BasicCredentials };

export async function publishToNugetServer(options: { packagePath: string; base: string; credentials?: BasicCredentials; id: string; version: string; feedName: string; skipDuplicate?: boolean; signal?: AbortSignal; onProgress?: (sent: number, total: number) => void }): Promise<PushResult> {
  const url = `${options.base.replace(/\/+$/, '')}/api/publish`;
  if (options.credentials) {
    assertKeyMayGo(url, originOf(options.base));
  }
  const total = (await stat(options.packagePath)).size;
  let answer: HttpAnswer;
  try {
    answer = await upload('POST', url, {
      'content-type': 'application/octet-stream',
      ...(options.credentials ? { authorization: basicAuthorization(options.credentials) } : {}),
    }, { head: Buffer.alloc(0), path: options.packagePath, tail: Buffer.alloc(0), total, onProgress: options.onProgress }, { idleMs: 300_000, signal: options.signal, credentialOrigin: originOf(options.base) });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const explained = await explainNetworkFailure(error, url, originOf(url));
    if (explained) {
      throw explained;
    }
    throw new NuGetPublisherError('NP2012', `The connection to ${originOf(url)} failed (${code ?? (error as Error).message}).`, 'Check the network and the feed URL, then try again.');
  }
  const response = { status: answer.status, statusText: answer.statusText };
  const scrubber = new SecretScrubber();
  if (options.credentials) {
    scrubber.protectBasic(options.credentials.username, options.credentials.password);
  }
  const body = scrubber.scrub(answer.body);
  if (response.status === 201) {
    return { outcome: 'created', status: 201, attempts: 1, warnings: [], notes: [] };
  }
  if (response.status === 200 || (response.status === 409 && options.skipDuplicate)) {
    // nuget-server answers 200 and ignores a duplicate under its default policy.
    return { outcome: 'skipped-duplicate', status: response.status, attempts: 1, warnings: [], notes: [`${options.feedName} already has ${options.id} ${options.version}; it kept the existing package.`] };
  }
  if (response.status === 401) {
    throw new NuGetPublisherError('NP2401', `${options.feedName} did not accept the user name and API password (401).`, 'Store the user name and an API password created in nuget-server\'s UI (NuGet: Replace Key).');
  }
  if (response.status === 403) {
    throw new NuGetPublisherError('NP2403', `${options.feedName} refused the publish: the user has no publish permission (403).`, 'Use a user with the publish or admin role.');
  }
  throw pushError({ status: response.status, reason: scrubber.scrub(response.statusText), body }, options.id, options.version, options.feedName);
}
