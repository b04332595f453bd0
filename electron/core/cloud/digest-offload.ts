/**
 * Digests of a byte stream computed off the calling thread, so an upload (client) or a receive
 * (sandbox) never blocks its event loop on MD5/SHA-256 of a large file.
 *
 * The bytes are copied into a small ring of SharedArrayBuffer slots (a memcpy is ~20× cheaper than
 * MD5) and the caller's chunk is free again at once; the worker hashes exactly the copied bytes, so
 * the digests are still of the bytes the caller handled. Small streams are hashed inline: a worker
 * costs more to start than they cost to hash.
 */
import { createHash, type Hash } from 'node:crypto';
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../files/worker-url.js';
import { Crc64 } from './crc64.js';
import type { DigestAlgorithm, DigestReply, DigestRequest, Digests } from './digest-protocol.js';

export type { DigestAlgorithm, Digests } from './digest-protocol.js';

/** Incremental digests of one stream, inline or in a worker. */
export interface StreamDigester {
  /**
   * Feeds bytes. Returns undefined when the chunk has been taken (it may be reused at once), or a
   * promise when the worker is behind: do not feed more, nor reuse the chunk, before it settles.
   */
  update(chunk: Uint8Array): Promise<void> | undefined;
  /** The digests of everything fed; the digester is finished afterwards. */
  digest(): Promise<Digests>;
  /** Gives up (error, cancel): stops the worker. Safe to call at any time, more than once. */
  close(): void;
}

/** Below this many bytes the stream is hashed inline. */
export const OFF_THREAD_MIN_BYTES = 8 * 1024 * 1024;
const SLOT_SIZE = 1024 * 1024;
const SLOTS = 8;

/**
 * A digester for a stream of about `expectedBytes` bytes: a worker thread when it is at least
 * `offThreadFrom` bytes (default OFF_THREAD_MIN_BYTES), inline otherwise.
 */
export function createDigester(
  algorithms: readonly DigestAlgorithm[],
  expectedBytes: number,
  offThreadFrom: number = OFF_THREAD_MIN_BYTES,
): StreamDigester {
  return expectedBytes >= offThreadFrom ? new WorkerDigester(algorithms) : new InlineDigester(algorithms);
}

/**
 * One digester per algorithm, each in its own worker for a large stream, so MD5 and SHA-256 run
 * side by side rather than one after the other: the slower one sets the pace, not their sum.
 */
export function createParallelDigester(
  algorithms: readonly DigestAlgorithm[],
  expectedBytes: number,
): StreamDigester {
  const parts = algorithms.map((a) => createDigester([a], expectedBytes));
  return {
    update(chunk) {
      const behind = parts.map((p) => p.update(chunk)).filter((b) => b !== undefined);
      return behind.length > 0 ? Promise.all(behind).then(() => undefined) : undefined;
    },
    async digest() {
      return Object.assign({}, ...(await Promise.all(parts.map((p) => p.digest())))) as Digests;
    },
    close() {
      for (const p of parts) p.close();
    },
  };
}

class InlineDigester implements StreamDigester {
  private readonly hashes: { readonly algorithm: DigestAlgorithm; readonly hash: Hash | Crc64 }[];

  constructor(algorithms: readonly DigestAlgorithm[]) {
    this.hashes = algorithms.map((algorithm) => ({
      algorithm,
      hash: algorithm === 'crc64' ? new Crc64() : createHash(algorithm),
    }));
  }

  update(chunk: Uint8Array): undefined {
    for (const h of this.hashes) h.hash.update(chunk);
    return undefined;
  }

  digest(): Promise<Digests> {
    const out: Partial<Record<DigestAlgorithm, string>> = {};
    for (const { algorithm, hash } of this.hashes)
      out[algorithm] = hash instanceof Crc64 ? hash.digest() : hash.digest('hex');
    return Promise.resolve(out);
  }

  close(): void {}
}

class WorkerDigester implements StreamDigester {
  private readonly worker: Worker;
  private readonly ring = new SharedArrayBuffer(SLOT_SIZE * SLOTS);
  private readonly bytes = new Uint8Array(this.ring);
  private readonly free: number[] = [];
  private slot: number | undefined;
  private fill = 0;
  private failure: Error | undefined;
  private onFree: (() => void) | undefined;
  private onDigests: ((digests: Digests) => void) | undefined;
  private onFailure: ((error: Error) => void) | undefined;

  constructor(algorithms: readonly DigestAlgorithm[]) {
    for (let i = SLOTS - 1; i >= 0; i--) this.free.push(i);
    this.worker = startWorker('digest-worker', import.meta.url, { name: 'digest-worker' });
    // Never the reason the process stays alive: the stream being digested is.
    this.worker.unref();
    this.worker.on('message', (reply: DigestReply) => {
      if (reply.type === 'free') {
        this.free.push(reply.index);
        const wake = this.onFree;
        this.onFree = undefined;
        wake?.();
      } else {
        this.onDigests?.(reply.digests);
      }
    });
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => this.fail(new Error(`The digest worker stopped (exit code ${code}).`)));
    this.post({ type: 'start', ring: this.ring, slotSize: SLOT_SIZE, algorithms });
  }

  update(chunk: Uint8Array): Promise<void> | undefined {
    if (this.failure) return Promise.reject(this.failure);
    const copied = this.copy(chunk, 0);
    return copied === chunk.length ? undefined : this.copyRest(chunk, copied);
  }

  async digest(): Promise<Digests> {
    if (this.failure) throw this.failure;
    if (this.slot !== undefined && this.fill > 0)
      this.post({ type: 'slot', index: this.slot, length: this.fill });
    this.slot = undefined;
    const digests = await new Promise<Digests>((resolve, reject) => {
      this.onDigests = resolve;
      this.onFailure = reject;
      this.post({ type: 'end' });
    });
    this.close();
    return digests;
  }

  close(): void {
    this.fail(new Error('The digester was closed.'));
    void this.worker.terminate();
  }

  /** Copies from `offset` into free slots, handing full ones to the worker; returns where it stopped. */
  private copy(chunk: Uint8Array, offset: number): number {
    let at = offset;
    while (at < chunk.length) {
      if (this.slot === undefined) {
        this.slot = this.free.pop();
        this.fill = 0;
        if (this.slot === undefined) return at;
      }
      const n = Math.min(chunk.length - at, SLOT_SIZE - this.fill);
      this.bytes.set(chunk.subarray(at, at + n), this.slot * SLOT_SIZE + this.fill);
      this.fill += n;
      at += n;
      if (this.fill === SLOT_SIZE) {
        this.post({ type: 'slot', index: this.slot, length: SLOT_SIZE });
        this.slot = undefined;
      }
    }
    return at;
  }

  private async copyRest(chunk: Uint8Array, offset: number): Promise<void> {
    let at = offset;
    while (at < chunk.length) {
      await new Promise<void>((resolve, reject) => {
        this.onFree = resolve;
        this.onFailure = reject;
      });
      at = this.copy(chunk, at);
    }
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    this.onFailure?.(error);
  }

  private post(request: DigestRequest): void {
    this.worker.postMessage(request);
  }
}
