/**
 * The worker thread behind analysisInWorker (analysisWorkerClient.ts), bundled as
 * dist/analysisWorker.js: package health (health.ts) and the API diff of two packages
 * (api/apiDiff.ts), read from the paths it is sent, answered with its thread id (the extension
 * logs it; the tests check it is not the host's).
 */
import { parentPort, threadId } from 'node:worker_threads';
import { diffApiFiles } from './api/apiDiff';
import { describeError } from './errors';
import { healthOf } from './health';
import { openPackage } from './nupkg/package';

export type AnalysisRequest =
  | { readonly id: number; readonly kind: 'health'; readonly path: string }
  | { readonly id: number; readonly kind: 'api'; readonly older: string; readonly newer: string };

async function answer(request: AnalysisRequest): Promise<unknown> {
  if (request.kind === 'api') {
    return diffApiFiles(request.older, request.newer);
  }
  const pkg = await openPackage(request.path);
  try {
    return await healthOf(pkg);
  } finally {
    await pkg.close();
  }
}

parentPort?.on('message', (request: AnalysisRequest) => {
  answer(request).then(
    (result) => parentPort!.postMessage({ id: request.id, threadId, result }),
    (error: unknown) => parentPort!.postMessage({ id: request.id, threadId, error: describeError(error) }),
  );
});
