/**
 * Writes a request body so that what the socket has *accepted* is known to within a piece.
 *
 * A write's callback fires once the kernel took its bytes, but Node batches every write queued
 * behind a busy socket into one writev, whose callbacks all fire when the whole batch is in: with
 * a slot ring of 32 MiB queued at once, the count would move in 30 MB jumps on a slow link. So a
 * chunk is written in PIECE-sized views of it (no copies), and at most IN_FLIGHT bytes are handed
 * to the socket and not yet accepted; the rest waits here (in the caller's slots: no memory of
 * its own). The kernel's send buffer (≤ 4 MiB) keeps a fast link busy meanwhile.
 */
import type { ClientRequest } from 'node:http';

/** The granularity of the count: 64 KiB is ~8 updates a second at 512 KiB/s. */
export const PIECE = 64 * 1024;
/** Bytes handed to the socket and not yet accepted, at most (a writev batch is below this). */
export const IN_FLIGHT = 256 * 1024;

interface Piece {
  readonly bytes: Buffer;
  /** Called once the piece is accepted or failed: the chunk's last piece lets go of it. */
  readonly done: (() => void) | undefined;
}

export class SocketWriter {
  private readonly waiting: Piece[] = [];
  private next = 0;
  private inFlight = 0;
  private accepted = 0;
  private tail: Buffer | undefined;
  private ended = false;
  private whenEnded: ((ended: boolean) => void) | undefined;

  constructor(
    private readonly request: ClientRequest,
    private readonly sending: () => boolean,
    private readonly onAccepted: (accepted: number) => void,
  ) {
    request.once('close', () => this.whenEnded?.(false));
  }

  /** Queues `chunk`; `done` is called once all of it was accepted (or the request failed). */
  write(chunk: Buffer, done: () => void): void {
    for (let at = 0; at < chunk.length; at += PIECE) {
      const last = at + PIECE >= chunk.length;
      this.waiting.push({ bytes: chunk.subarray(at, at + PIECE), done: last ? done : undefined });
    }
    if (chunk.length === 0) done();
    this.flush();
  }

  /**
   * Ends the request with `tail` once every queued piece was handed to the socket: true then, or
   * false when the attempt ended first (the request closed, or `sending` said no).
   */
  end(tail: Buffer): Promise<boolean> {
    const ended = new Promise<boolean>((resolve) => (this.whenEnded = resolve));
    this.tail = tail;
    this.flush();
    return ended;
  }

  private flush(): void {
    while (this.inFlight < IN_FLIGHT && this.next < this.waiting.length && this.sending()) {
      const piece = this.waiting[this.next]!;
      this.next++;
      if (this.next === this.waiting.length || this.next >= 1024) {
        this.waiting.splice(0, this.next);
        this.next = 0;
      }
      this.inFlight += piece.bytes.length;
      this.request.write(piece.bytes, (err?: Error | null) => this.settle(piece, err));
    }
    if (!this.tail || this.ended) return;
    if (!this.sending()) {
      this.whenEnded?.(false);
    } else if (this.next === this.waiting.length) {
      this.ended = true;
      this.request.end(this.tail);
      this.whenEnded?.(true);
    }
  }

  private settle(piece: Piece, err: Error | null | undefined): void {
    this.inFlight -= piece.bytes.length;
    piece.done?.();
    if (err) {
      this.whenEnded?.(false);
      return;
    }
    this.accepted += piece.bytes.length;
    this.onAccepted(this.accepted);
    this.flush();
  }
}
