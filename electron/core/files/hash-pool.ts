/**
 * A small pool of hash workers with a FIFO queue: many files never mean many threads. Workers are
 * reused across jobs, unref'd while idle (an idle pool never keeps the process alive) and stopped
 * after a quiet period so their buffers are freed.
 */
import type { Worker } from 'node:worker_threads';
import { AbortError } from './file-errors.js';
import type { HashJob, HashOutcome, WireError, WorkerMessage, WorkerRequest } from './hash-protocol.js';
import { startWorker } from './worker-url.js';

/** A job the worker has not acknowledged this long after `cancel` is stuck: terminate the thread. */
const CANCEL_GRACE_MS = 2_000;

interface Task {
  readonly job: HashJob;
  readonly onProgress?: (bytes: number) => void;
  readonly resolve: (outcome: HashOutcome) => void;
  readonly reject: (error: unknown) => void;
  readonly detach: () => void;
  settled: boolean;
  slot?: Slot;
}

interface Slot {
  readonly worker: Worker;
  seq?: number;
  task?: Task;
  idleTimer?: NodeJS.Timeout;
  killTimer?: NodeJS.Timeout;
}

/** A failed job as the worker reported it; hashing.ts turns it into a FileError naming the path. */
export class WorkerJobError extends Error {
  readonly code?: string;

  constructor(wire: WireError) {
    super(wire.message);
    this.name = wire.name;
    this.code = wire.code;
  }
}

export class HashPool {
  private readonly slots = new Set<Slot>();
  private readonly idle: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextSeq = 1;

  /**
   * @param size most workers alive at once
   * @param idleMs how long an idle worker lives before it is stopped
   * @param base `import.meta.url` the worker script is resolved against (see worker-url.ts)
   */
  constructor(
    readonly size: number,
    private readonly idleMs: number,
    private readonly base: string,
  ) {}

  /** Workers currently alive (busy or idle); for tests and diagnostics. */
  get workerCount(): number {
    return this.slots.size;
  }

  /** Queues one digest; rejects with AbortError as soon as `signal` aborts. */
  run(
    job: HashJob,
    options: { readonly signal?: AbortSignal; readonly onProgress?: (bytes: number) => void } = {},
  ): Promise<HashOutcome> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(new AbortError());
    return new Promise<HashOutcome>((resolve, reject) => {
      const onAbort = (): void => this.abort(task);
      const task: Task = {
        job,
        onProgress: options.onProgress,
        resolve,
        reject,
        detach: () => signal?.removeEventListener('abort', onAbort),
        settled: false,
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(task);
      this.pump();
    });
  }

  /** Stops every worker and rejects queued work; the pool can still be used afterwards. */
  async close(): Promise<void> {
    const closed = (): AbortError => new AbortError('The hashing pool was closed.');
    for (const task of this.queue.splice(0)) this.settle(task, () => task.reject(closed()));
    const stopping = [...this.slots].map((slot) => {
      const task = slot.task;
      if (task) this.settle(task, () => task.reject(closed()));
      return this.retire(slot);
    });
    await Promise.all(stopping);
  }

  private pump(): void {
    while (this.queue.length > 0) {
      let slot = this.idle.pop();
      if (!slot && this.slots.size < this.size) {
        try {
          slot = this.spawn();
        } catch (error) {
          // The worker script cannot be found or loaded: fail the job instead of queueing forever.
          const task = this.queue.shift();
          if (task) this.settle(task, () => task.reject(error));
          continue;
        }
      }
      if (!slot) return;
      const task = this.queue.shift();
      if (task) this.assign(slot, task);
    }
  }

  private spawn(): Slot {
    const worker = startWorker('hash-worker', this.base, { name: 'hash-worker' });
    const slot: Slot = { worker };
    this.slots.add(slot);
    worker.on('message', (message: WorkerMessage) => this.onMessage(slot, message));
    worker.on('error', (error) => this.onExit(slot, error));
    worker.on('exit', (code) =>
      this.onExit(slot, new Error(`The hash worker stopped unexpectedly (exit code ${code}).`)),
    );
    return slot;
  }

  private assign(slot: Slot, task: Task): void {
    clearTimeout(slot.idleTimer);
    slot.worker.ref();
    slot.seq = this.nextSeq++;
    slot.task = task;
    task.slot = slot;
    this.post(slot, { type: 'hash', seq: slot.seq, job: task.job });
  }

  private onMessage(slot: Slot, message: WorkerMessage): void {
    if (message.seq !== slot.seq) return;
    const task = slot.task;
    if (message.type === 'progress') {
      if (task && !task.settled) task.onProgress?.(message.bytes);
      return;
    }
    if (task) {
      const { error, result } = message;
      this.settle(task, () =>
        result ? task.resolve(result) : task.reject(new WorkerJobError(error ?? noResult)),
      );
    }
    this.release(slot);
  }

  /** The thread died (uncaught error, terminate, crash): fail its job and let the queue respawn. */
  private onExit(slot: Slot, error: Error): void {
    if (!this.slots.delete(slot)) return;
    clearTimeout(slot.idleTimer);
    clearTimeout(slot.killTimer);
    const at = this.idle.indexOf(slot);
    if (at !== -1) this.idle.splice(at, 1);
    const task = slot.task;
    if (task) this.settle(task, () => task.reject(error));
    slot.task = undefined;
    this.pump();
  }

  private abort(task: Task): void {
    const queued = this.queue.indexOf(task);
    if (queued !== -1) this.queue.splice(queued, 1);
    this.settle(task, () => task.reject(new AbortError()));
    const slot = task.slot;
    if (queued === -1 && slot?.task === task && slot.seq !== undefined) {
      // The worker notices between two reads and answers; until then the slot stays busy.
      this.post(slot, { type: 'cancel', seq: slot.seq });
      slot.killTimer = setTimeout(() => void this.retire(slot), CANCEL_GRACE_MS);
      slot.killTimer.unref();
    }
  }

  private settle(task: Task, finish: () => void): void {
    if (task.settled) return;
    task.settled = true;
    task.detach();
    finish();
  }

  private release(slot: Slot): void {
    clearTimeout(slot.killTimer);
    slot.task = undefined;
    slot.seq = undefined;
    if (!this.slots.has(slot)) return;
    slot.worker.unref();
    this.idle.push(slot);
    slot.idleTimer = setTimeout(() => void this.retire(slot), this.idleMs);
    slot.idleTimer.unref();
    this.pump();
  }

  private async retire(slot: Slot): Promise<void> {
    if (!this.slots.has(slot)) return;
    await slot.worker.terminate();
  }

  private post(slot: Slot, request: WorkerRequest): void {
    slot.worker.postMessage(request);
  }
}

const noResult: WireError = { name: 'Error', message: 'The hash worker answered without a result.' };
