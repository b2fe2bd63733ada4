/**
 * healthInWorker: a HealthReader that reads package health on one worker thread (dist/healthWorker.js)
 * instead of the caller's thread. The worker is started on first use, does not keep the process
 * alive, and is replaced after it fails; each read has a deadline, past which the worker is ended.
 */
import { Worker } from 'node:worker_threads';
import type { HealthReader, HealthResult } from './health';

/** A read of the largest package (500 assemblies, 256 MB) takes seconds; this is far past it. */
const READ_DEADLINE_MS = 120_000;

interface Pending {
  resolve(result: HealthResult): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export interface WorkerHealthReader extends HealthReader {
  /** The thread id of the last answer (for the log and the tests). */
  lastThreadId(): number | undefined;
  dispose(): Promise<void>;
}

export function healthInWorker(workerPath: string): WorkerHealthReader {
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
    started.on('message', (message: { id: number; threadId: number; result?: HealthResult; error?: string }) => {
      const request = pending.get(message.id);
      if (!request) {
        return;
      }
      pending.delete(message.id);
      clearTimeout(request.timer);
      lastThread = message.threadId;
      if (message.result) {
        request.resolve(message.result);
      } else {
        request.reject(new Error(message.error ?? 'the health worker gave no answer'));
      }
    });
    started.on('error', (error) => failAll(new Error(`the health worker failed: ${error.message}`)));
    started.on('exit', (code) => {
      if (worker === started) {
        failAll(new Error(`the health worker stopped (exit code ${code})`));
      }
    });
    return started;
  };

  const read = ((pkg) => new Promise<HealthResult>((resolve, reject) => {
    worker ??= start();
    const id = ++nextId;
    const timer = setTimeout(() => {
      // A stuck worker holds every read queued behind it: end it and fail them all.
      const stuck = worker;
      failAll(new Error(`reading it took longer than ${READ_DEADLINE_MS / 1000} s`));
      void stuck?.terminate();
    }, READ_DEADLINE_MS);
    timer.unref();
    pending.set(id, { resolve, reject, timer });
    worker.postMessage({ id, path: pkg.path });
  })) as WorkerHealthReader;
  read.lastThreadId = () => lastThread;
  read.dispose = async () => {
    const running = worker;
    worker = undefined;
    failAll(new Error('the extension is shutting down'));
    await running?.terminate();
  };
  return read;
}
