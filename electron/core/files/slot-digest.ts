/**
 * Digests of the bytes an upload sends, computed where they lie: in the slots of a SlotRing. For a
 * large file each algorithm runs in its own worker thread, reading the shared slot in place, so
 * MD5 and SHA-256 cost neither a copy nor time on the uploading thread, and run side by side (the
 * slower one sets the pace, not their sum). Small files are hashed inline: a worker costs more to
 * start than they cost to hash.
 */
import { createHash, type Hash } from 'node:crypto';
import type { Worker } from 'node:worker_threads';
import { startWorker } from './worker-url.js';
import type { DigestAlgorithm, DigestReply, DigestRequest, Digests } from './digest-protocol.js';
import type { SlotRing } from './slot-ring.js';

export type { DigestAlgorithm, Digests } from './digest-protocol.js';

/** Incremental digests of bytes handed over slot by slot. */
export interface SlotDigester {
  /** Hashes `length` bytes of slot `index`; calls `done` once it no longer reads the slot. */
  update(index: number, length: number, done: () => void): void;
  /** The digests of everything fed; the digester is finished afterwards. */
  digest(): Promise<Digests>;
  /** Gives up (error, cancel): stops the worker. Safe to call at any time, more than once. */
  close(): void;
}

/** From this many bytes on, each algorithm gets a worker. */
export const OFF_THREAD_MIN_BYTES = 8 * 1024 * 1024;

/** Workers booted ahead of an upload, waiting for their first `start`. */
const spares: Worker[] = [];

function bootWorker(): Worker {
  const worker = startWorker('digest-worker', import.meta.url, { name: 'digest-worker' });
  // Never the reason the process stays alive: the upload being digested is.
  worker.unref();
  return worker;
}

/**
 * Boots the workers `createSlotDigesters` will want for `algorithms` over `expectedBytes` bytes, to
 * be called before waiting on something else (an upload asking for its URL): a worker takes tens of
 * milliseconds to start, and on the critical path MD5 would start that late.
 */
export function prestartDigesters(
  algorithms: readonly DigestAlgorithm[],
  expectedBytes: number,
  offThreadFrom: number = OFF_THREAD_MIN_BYTES,
): void {
  const wanted = expectedBytes >= offThreadFrom ? algorithms.length : 0;
  while (spares.length < wanted) {
    const worker = bootWorker();
    // A spare that dies before it is used is simply not used.
    const drop = (): void => {
      const at = spares.indexOf(worker);
      if (at >= 0) spares.splice(at, 1);
    };
    worker.once('error', drop).once('exit', drop);
    spares.push(worker);
  }
}

/** How many booted workers wait for an upload. */
export function spareDigesters(): number {
  return spares.length;
}

/** A booted spare if there is one, else a new worker. */
function takeWorker(): Worker {
  const spare = spares.shift();
  if (!spare) return bootWorker();
  spare.removeAllListeners('error').removeAllListeners('exit');
  return spare;
}

/**
 * One digester per algorithm for a stream of about `expectedBytes` bytes in `ring`'s slots.
 * `onError` hears of a worker that failed, since the slots it held are then never released.
 */
export function createSlotDigesters(
  algorithms: readonly DigestAlgorithm[],
  ring: SlotRing,
  expectedBytes: number,
  onError: (error: Error) => void,
  offThreadFrom: number = OFF_THREAD_MIN_BYTES,
): SlotDigester[] {
  return algorithms.map((algorithm) =>
    expectedBytes >= offThreadFrom
      ? new WorkerDigester(algorithm, ring, onError)
      : new InlineDigester(algorithm, ring),
  );
}

/**
 * Hands `length` bytes of a taken slot to every digester and to `others` more users (the socket, for
 * an upload), each of whom must call `ring.release(slot)` once done with it. `onHashed` runs when
 * the last digester is.
 */
export function hashSlot(
  ring: SlotRing,
  digesters: readonly SlotDigester[],
  slot: number,
  length: number,
  others = 0,
  onHashed?: () => void,
): void {
  let hashing = digesters.length;
  ring.share(slot, hashing + others);
  for (const d of digesters)
    d.update(slot, length, () => {
      ring.release(slot);
      if (--hashing === 0) onHashed?.();
    });
}

/** The digests of several digesters together. */
export async function digestAll(digesters: readonly SlotDigester[]): Promise<Digests> {
  return Object.assign({}, ...(await Promise.all(digesters.map((d) => d.digest())))) as Digests;
}

class InlineDigester implements SlotDigester {
  private readonly hash: Hash;

  constructor(
    private readonly algorithm: DigestAlgorithm,
    private readonly ring: SlotRing,
  ) {
    this.hash = createHash(algorithm);
  }

  update(index: number, length: number, done: () => void): void {
    this.hash.update(this.ring.bytes(index, length));
    done();
  }

  digest(): Promise<Digests> {
    return Promise.resolve({ [this.algorithm]: this.hash.digest('hex') });
  }

  close(): void {}
}

class WorkerDigester implements SlotDigester {
  private readonly worker: Worker;
  /** The `done` of each slot the worker holds. */
  private readonly holding = new Map<number, () => void>();
  private failure: Error | undefined;
  private finishing: { resolve: (d: Digests) => void; reject: (e: Error) => void } | undefined;

  constructor(
    algorithm: DigestAlgorithm,
    ring: SlotRing,
    private readonly onError: (error: Error) => void,
  ) {
    this.worker = takeWorker();
    this.worker.on('message', (reply: DigestReply) => {
      if (reply.type === 'free') {
        const done = this.holding.get(reply.index);
        this.holding.delete(reply.index);
        done?.();
      } else {
        this.finishing?.resolve(reply.digests);
      }
    });
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => this.fail(new Error(`The digest worker stopped (exit code ${code}).`)));
    this.post({ type: 'start', ring: ring.memory, slotSize: ring.slotSize, algorithms: [algorithm] });
  }

  update(index: number, length: number, done: () => void): void {
    if (this.failure) return;
    this.holding.set(index, done);
    this.post({ type: 'slot', index, length });
  }

  async digest(): Promise<Digests> {
    if (this.failure) throw this.failure;
    const digests = await new Promise<Digests>((resolve, reject) => {
      this.finishing = { resolve, reject };
      this.post({ type: 'end' });
    });
    this.close();
    return digests;
  }

  close(): void {
    this.fail(new Error('The digester was closed.'), false);
    void this.worker.terminate();
  }

  private fail(error: Error, report = true): void {
    if (this.failure) return;
    this.failure = error;
    this.finishing?.reject(error);
    if (report) this.onError(error);
  }

  private post(request: DigestRequest): void {
    this.worker.postMessage(request);
  }
}
