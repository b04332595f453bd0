/**
 * The body of an upload: file → slot → CRC-64, digesters and socket. Each chunk is read into a
 * slot of the ring, hashed there by the digest workers and written to the socket from there: no
 * copies. A slot is reused once the digesters and the socket let go of it, so the ring is the
 * backpressure: a slow socket or digest makes the next `take` wait, and memory stays at the
 * ring's size.
 *
 * `onSent` counts what the socket has accepted, not what was handed to it (socket-writer.ts):
 * counting at `write` ran up to the ring (32 MiB) ahead of the wire.
 */
import type { ClientRequest } from 'node:http';
import type { FileHandle } from 'node:fs/promises';
import { hashSlot, type SlotDigester } from '../../files/slot-digest.js';
import type { SlotRing } from '../../files/slot-ring.js';
import { Crc64 } from '../crc64.js';
import type { PostForm } from '../post-form.js';
import { shrank, unreadable } from './failures.js';
import { SocketWriter } from './socket-writer.js';

export interface PumpOptions {
  readonly file: FileHandle;
  /** The bytes to send from the start of the file: all of it. */
  readonly size: number;
  readonly ring: SlotRing;
  readonly digesters: readonly SlotDigester[];
  readonly request: ClientRequest;
  readonly form: PostForm;
  /** Asked before every step: false once the attempt is over, and the pump stops. */
  readonly sending: () => boolean;
  /** Bytes of the file the socket has accepted so far (its write callbacks, in order); the
   * caller ignores calls once the attempt is over. */
  readonly onSent: (sent: number) => void;
}

export interface SentBody {
  readonly bytes: number;
  /** CRC-64 of the bytes sent (on this thread: WebAssembly, ~2.4 GB/s). */
  readonly crc64: string;
}

/**
 * Writes the whole form and ends the request; resolves with what was sent, or undefined when the
 * attempt ended first. Rejects with a CloudError when the file cannot be read or has shrunk.
 */
export async function pumpFile(options: PumpOptions): Promise<SentBody | undefined> {
  const { file, size, ring, request, form, sending } = options;
  const crc = new Crc64();
  let read = 0;
  if (!sending()) return undefined;
  request.write(form.head);
  // Reported until the attempt is over, also once the form is out and the kernel still drains it.
  // A listener may end the attempt (it cancels).
  const writer = new SocketWriter(request, sending, options.onSent);
  while (read < size && sending()) {
    const slot = await ring.take();
    const length = await readInto(file, ring.bytes(slot), Math.min(ring.slotSize, size - read), read);
    if (!sending()) return undefined;
    if (length === 0) throw shrank(read, size);
    const bytes = ring.bytes(slot, length);
    crc.update(bytes);
    hashSlot(ring, options.digesters, slot, length, 1); // one more user: the socket
    writer.write(bytes, () => ring.release(slot));
    read += length;
  }
  if (!sending() || !(await writer.end(form.tail))) return undefined;
  return { bytes: read, crc64: crc.digest() };
}

/** Reads up to `want` bytes at `position` into `into`; how many came. */
async function readInto(file: FileHandle, into: Buffer, want: number, position: number): Promise<number> {
  const { bytesRead } = await file.read(into, 0, want, position).catch((err: unknown) => {
    throw unreadable(err);
  });
  return bytesRead;
}
