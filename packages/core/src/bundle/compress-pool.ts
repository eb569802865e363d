import * as fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import * as zlib from 'node:zlib';
import { BundleError } from '../errors/index.js';
import {
  BUNDLE_TASK_SOURCE,
  type BundleTask,
  type BundleTaskResult,
  type BundleTaskState,
  runBundleTask,
} from './bundle-task.js';
import { GC_SOURCE, mainThreadCollector } from './garbage.js';

/**
 * Runs bundle tasks on worker threads and on the main thread, each with its own synchronous zlib.
 * Measured on 2 cores, this is about twice as fast as Node's async zlib, whose per-call stream setup
 * on the main thread dominates for the thousands of small files a node_modules tree holds. A task goes
 * to a worker when one has room, else it runs on the main thread; with `size` 0 every task runs on
 * the main thread (one thread, or small bundles, where starting workers costs more than it saves).
 */
export class CompressPool {
  private readonly workers: PoolWorker[] = [];
  private readonly queue: Array<Job> = [];
  private closed = false;
  private inlineBusy = false;
  private readonly inlineState: BundleTaskState = { collect: mainThreadCollector() };

  constructor(size: number) {
    for (let i = 0; i < size; i++) this.workers.push(this.spawn());
  }

  /** Worker threads besides the main thread (which runs tasks too); 0 when it runs them all. */
  get size(): number {
    return this.workers.length;
  }

  run(task: BundleTask): Promise<BundleTaskResult> {
    return new Promise<BundleTaskResult>((resolve, reject) => {
      if (this.closed) {
        reject(new Error('The compression pool is closed'));
        return;
      }
      this.queue.push({ task, resolve, reject });
      this.dispatch();
    });
  }

  /** Stops the workers; queued and running tasks reject with REASON. */
  async close(reason: unknown = new Error('The compression pool is closed')): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(reason);
    for (const worker of this.workers) for (const job of worker.jobs.values()) job.reject(reason);
    await Promise.all(this.workers.map((w) => w.thread.terminate()));
  }

  private dispatch(): void {
    // Two tasks per worker, so the next one is already there when a worker finishes.
    for (const worker of this.workers) {
      while (worker.jobs.size < 2 && this.queue.length > 0) {
        const job = this.queue.shift()!;
        const id = worker.nextId++;
        worker.jobs.set(id, job);
        worker.thread.postMessage({ id, task: job.task });
      }
    }
    // What the workers have no room for, the main thread takes, one task at a time: it would otherwise
    // mostly wait, and a thread fewer is a V8 heap fewer (about 10 MiB of peak RSS, plus its share of
    // the buffers waiting for a collection).
    if (this.inlineBusy || this.queue.length === 0) return;
    const job = this.queue.shift()!;
    this.inlineBusy = true;
    // setImmediate between tasks keeps timers, worker messages and abort signals responsive.
    setImmediate(() => {
      try {
        job.resolve(runBundleTask(job.task, fs, zlib, this.inlineState));
      } catch (error) {
        job.reject(toBundleError(error));
      }
      this.inlineBusy = false;
      if (!this.closed) this.dispatch();
    });
  }

  private spawn(): PoolWorker {
    // Not the parent's execArgv: a loader such as `--import tsx` or `--input-type=module` would change how
    // the worker source is read (tsx injects `__name`, module input has no `require`).
    const thread = new Worker(WORKER_SOURCE, {
      eval: true,
      execArgv: [],
      // The task keeps no JS objects between calls: a small young generation is collected more often
      // and keeps each thread's heap small (part of the writer's peak RSS, bench/README.md).
      resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
    });
    const worker: PoolWorker = { thread, jobs: new Map(), nextId: 0 };
    thread.on('message', (message: WorkerReply) => {
      const job = worker.jobs.get(message.id);
      if (job === undefined) return;
      worker.jobs.delete(message.id);
      if (message.error === undefined) job.resolve(message.result as BundleTaskResult);
      else
        job.reject(
          toBundleError(Object.assign(new Error(message.error.message), { entry: message.error.entry })),
        );
      this.dispatch();
    });
    thread.on('error', (error) => {
      void this.close(error);
    });
    return worker;
  }
}

interface Job {
  task: BundleTask;
  resolve(result: BundleTaskResult): void;
  reject(reason: unknown): void;
}

interface PoolWorker {
  thread: Worker;
  jobs: Map<number, Job>;
  nextId: number;
}

interface WorkerReply {
  id: number;
  result?: BundleTaskResult;
  error?: { message: string; entry?: string };
}

const WORKER_YOUNG_GENERATION_MB = 4;

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const zlib = require('node:zlib');
const runBundleTask = new Function('task', 'fs', 'zlib', 'state', ${JSON.stringify(BUNDLE_TASK_SOURCE)});
const state = { collect: (${GC_SOURCE})(require('node:v8'), require('node:vm')) };
parentPort.on('message', ({ id, task }) => {
  try {
    const result = runBundleTask(task, fs, zlib, state);
    parentPort.postMessage({ id, result }, [result.data.buffer]);
  } catch (error) {
    parentPort.postMessage({ id, error: { message: String(error && error.message || error), entry: error && error.entry } });
  }
});
`;

function toBundleError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const entry = (error as Error & { entry?: string }).entry;
  if (entry === undefined) return error;
  return new BundleError(`Cannot bundle ${error.message}`, {
    entry,
    hint: 'Make sure nothing modifies the revision folder while it is being bundled, and that every file is readable.',
  });
}
