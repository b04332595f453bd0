import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { Writable } from 'node:stream';

/** Bytes handed to the disk per write; also what the stream queues before it pushes back. */
const BLOCK = 4 * 1024 * 1024;
/** O_DIRECT wants buffer address, file offset and length aligned to the device's block; 4 KiB fits all. */
const ALIGN = 4096;
const WASM_PAGE = 64 * 1024;
/** The part of the WebAssembly global used here (the ES lib this project compiles against lacks it). */
declare const WebAssembly: { Memory: new (size: { initial: number }) => { readonly buffer: ArrayBuffer } };
type WasmMemory = InstanceType<typeof WebAssembly.Memory>;
/** Spare staging memories kept for the next upload (allocating one touches 8 MB of fresh pages). */
const POOL_SIZE = 2;
const pool: WasmMemory[] = [];

/**
 * Writes an uploaded object to `path`, bypassing the page cache (O_DIRECT) where the OS and the
 * filesystem allow it, else through it. Why: putting 1 GB into the page cache costs the sandbox about
 * as much CPU as receiving it (fresh pages, and several times that on a VM whose host reclaims freed
 * memory), and pushes 1 GB of a workstation's cache out for a file that is rarely read back.
 * Bytes are staged in two 4 MiB blocks of WebAssembly memory (page-aligned, which a Buffer is not):
 * one fills while the other is written.
 */
export class ObjectWriter extends Writable {
  private handle: FileHandle | undefined;
  private bypassing = false;
  private readonly memory = pool.pop() ?? new WebAssembly.Memory({ initial: (2 * BLOCK) / WASM_PAGE });
  private readonly blocks = [0, 1].map((i) => Buffer.from(this.memory.buffer, i * BLOCK, BLOCK));
  private current = 0;
  private filled = 0;
  private position = 0;
  /** The one write in flight: while it runs, the other block is free to fill. */
  private writing: Promise<void> = Promise.resolve();
  /** The `_write` or `_final` under way. */
  private working: Promise<void> = Promise.resolve();
  private failure: Error | undefined;

  /** `bypassCache: false` writes through the page cache (also what happens where O_DIRECT is refused). */
  constructor(
    private readonly path: string,
    private readonly options: { readonly bypassCache?: boolean } = {},
  ) {
    super({ highWaterMark: BLOCK });
  }

  /** Whether writes currently bypass the page cache (known once the stream is open). */
  get direct(): boolean {
    return this.bypassing;
  }

  override _construct(callback: (error?: Error | null) => void): void {
    this.openFile(true, this.options.bypassCache ?? true).then(() => callback(), callback);
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.working = this.take(chunk);
    this.working.then(() => callback(), callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.working = this.finish();
    this.working.then(() => callback(), callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    // The staging memory goes back to the pool only once nothing of this stream can touch it.
    const settled = (p: Promise<void>): Promise<void> => p.catch(() => undefined);
    void settled(this.working)
      .then(() => settled(this.writing))
      .then(() => settled(this.handle?.close() ?? Promise.resolve()))
      .then(() => {
        this.handle = undefined;
        if (pool.length < POOL_SIZE) pool.push(this.memory);
        callback(error);
      });
  }

  /** `first`: a new file, O_DIRECT if it may; else reopening after a write refused O_DIRECT. */
  private async openFile(first: boolean, tryDirect = first): Promise<void> {
    const flags = constants.O_WRONLY | constants.O_CREAT | (first ? constants.O_TRUNC : 0);
    const direct = constants.O_DIRECT; // Linux only; macOS and Windows have no such flag here
    if (tryDirect && direct) {
      try {
        this.handle = await open(this.path, flags | direct, 0o600);
        this.bypassing = true;
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EINVAL') throw error; // filesystem refuses it
      }
    }
    this.handle = await open(this.path, flags, 0o600);
    this.bypassing = false;
  }

  private async take(chunk: Buffer): Promise<void> {
    for (let at = 0; at < chunk.length;) {
      const n = chunk.copy(this.blocks[this.current]!, this.filled, at);
      this.filled += n;
      at += n;
      if (this.filled === BLOCK) await this.flush();
      if (this.destroyed) return; // the rest of the chunk is not wanted
    }
  }

  /** Starts writing the current block once the previous write is done, and switches blocks. */
  private async flush(): Promise<void> {
    await this.writing;
    if (this.failure) throw this.failure;
    if (this.destroyed) return;
    const block = this.blocks[this.current]!;
    const length = this.filled;
    const position = this.position;
    this.writing = this.writeBlock(block, length, position).catch((error: Error) => {
      this.failure = error;
    });
    this.position += length;
    this.current ^= 1;
    this.filled = 0;
  }

  private async finish(): Promise<void> {
    const size = this.position + this.filled;
    if (this.filled > 0) await this.flush();
    await this.writing;
    if (this.failure) throw this.failure;
    // A direct write of the last block was padded to the alignment; cut the padding off.
    if (this.bypassing && size % ALIGN !== 0) await this.handle!.truncate(size);
    await this.handle!.close();
    this.handle = undefined;
  }

  private async writeBlock(block: Buffer, length: number, position: number): Promise<void> {
    if (this.bypassing) {
      const padded = Math.ceil(length / ALIGN) * ALIGN;
      block.fill(0, length, padded);
      try {
        return await this.writeAll(block.subarray(0, padded), position);
      } catch (error) {
        // Some filesystems accept O_DIRECT at open and refuse it at write: go on through the cache.
        if ((error as NodeJS.ErrnoException).code !== 'EINVAL') throw error;
        await this.handle!.close();
        await this.openFile(false);
      }
    }
    await this.writeAll(block.subarray(0, length), position);
  }

  private async writeAll(bytes: Buffer, position: number): Promise<void> {
    for (let done = 0; done < bytes.length;) {
      const { bytesWritten } = await this.handle!.write(bytes, done, bytes.length - done, position + done);
      done += bytesWritten;
    }
  }
}
