/**
 * The worker thread behind healthInWorker (healthWorkerClient.ts), bundled as dist/healthWorker.js:
 * it opens the package at the path it is sent, reads its health and symbol findings, and posts
 * them back with its thread id (the extension logs it; the tests check it is not the host's).
 */
import { parentPort, threadId } from 'node:worker_threads';
import { describeError } from './errors';
import { healthOf } from './health';
import { openPackage } from './nupkg/package';

export interface HealthRequest {
  readonly id: number;
  readonly path: string;
}

parentPort?.on('message', (request: HealthRequest) => {
  void (async () => {
    try {
      const pkg = await openPackage(request.path);
      try {
        parentPort!.postMessage({ id: request.id, threadId, result: await healthOf(pkg) });
      } finally {
        await pkg.close();
      }
    } catch (error) {
      parentPort!.postMessage({ id: request.id, threadId, error: describeError(error) });
    }
  })();
});
