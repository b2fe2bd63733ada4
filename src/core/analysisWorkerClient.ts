/**
 * analysisInWorker: package health and API diffs read on one worker thread
 * (dist/analysisWorker.js) instead of the caller's (the extension host's). The worker is started
 * on first use, does not keep the process alive, and is replaced after it fails; each request has
 * a deadline, past which the worker is ended and what waited on it fails.
 */
import { Worker } from 'node:worker_threads';
import type { PackageApiDiff } from './api/packageApi';
import type { HealthReader, HealthResult } from './health';

/** The largest package (hundreds of assemblies) takes seconds; this is far past it. */
const REQUEST_DEADLINE_MS = 120_000;

interface Pending {
  resolve(result: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export interface AnalysisWorker {
  readonly health: HealthReader;
  api(older: string, newer: string): Promise<PackageApiDiff>;
  /** The thread id of the last answer (for the log and the tests). */
  lastThreadId(): number | undefined;
  dispose(): Promise<void>;
}

export function analysisInWorker(workerPath: string): AnalysisWorker {
  let worker: Worker | undefined;
  let nextId = 0;
  let lastThread: number | undefined;
  const pending = new Map<number, Pending>();

  const failAll = (error: Error): void => {
    for (const [id, request] of pending) {
      clearTimeout(request.timer);
      request.reject(error);
      pending.delete(id);
    }
    worker = undefined;
  };

  const start = (): Worker => {
    const started = new Worker(workerPath);
    started.unref();
    started.on('message', (message: { id: number; threadId: number; result?: unknown; error?: string }) => {
      const request = pending.get(message.id);
      if (!request) {
        return;
      }
      pending.delete(message.id);
      clearTimeout(request.timer);
      lastThread = message.threadId;
      if (message.error === undefined) {
        request.resolve(message.result);
      } else {
        request.reject(new Error(message.error));
      }
    });
    started.on('error', (error) => failAll(new Error(`the analysis worker failed: ${error.message}`)));
    started.on('exit', (code) => {
      if (worker === started) {
        failAll(new Error(`the analysis worker stopped (exit code ${code})`));
      }
    });
    return started;
  };

  const request = <T>(message: { kind: 'health'; path: string } | { kind: 'api'; older: string; newer: string }): Promise<T> => new Promise<T>((resolve, reject) => {
    worker ??= start();
    const id = ++nextId;
    const timer = setTimeout(() => {
      // A stuck worker holds every request queued behind it: end it and fail them all.
      const stuck = worker;
      failAll(new Error(`it took longer than ${REQUEST_DEADLINE_MS / 1000} s`));
      void stuck?.terminate();
    }, REQUEST_DEADLINE_MS);
    timer.unref();
    pending.set(id, { resolve: resolve as (result: unknown) => void, reject, timer });
    worker.postMessage({ id, ...message });
  });

  return {
    health: (pkg) => request<HealthResult>({ kind: 'health', path: pkg.path }),
    api: (older, newer) => request<PackageApiDiff>({ kind: 'api', older, newer }),
    lastThreadId: () => lastThread,
    dispose: async () => {
      const running = worker;
      failAll(new Error('the extension is shutting down'));
      await running?.terminate();
    },
  };
}
