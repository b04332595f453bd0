/**
 * A fixed ring of slots in one SharedArrayBuffer, so an upload's bytes are never copied in user
 * space: the file is read into a slot, hashed there by worker threads, and written to the socket
 * from there. A slot is reused once every user of its bytes has let go, so memory stays at
 * `slots × slotSize` whatever the file size.
 */
export class SlotRing {
  readonly memory: SharedArrayBuffer;
  private readonly free: number[] = [];
  /** Users still holding each slot. */
  private readonly holders: number[];
  private waiting: { resolve: (index: number) => void; reject: (error: Error) => void } | undefined;
  private failure: Error | undefined;

  constructor(
    readonly slots: number,
    readonly slotSize: number,
  ) {
    this.memory = new SharedArrayBuffer(slots * slotSize);
    this.holders = new Array<number>(slots).fill(0);
    for (let i = slots - 1; i >= 0; i--) this.free.push(i);
  }

  /** A free slot; waits while all are held. One caller at a time. */
  take(): Promise<number> {
    if (this.failure) return Promise.reject(this.failure);
    const index = this.free.pop();
    if (index !== undefined) return Promise.resolve(index);
    if (this.waiting) return Promise.reject(new Error('SlotRing.take() is already waiting.'));
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  /** The first `length` bytes of a slot, as a Buffer over the shared memory (no copy). */
  bytes(index: number, length = this.slotSize): Buffer {
    return Buffer.from(this.memory, index * this.slotSize, length);
  }

  /** Hands a taken slot to `users` users; it is free again after as many `release` calls. */
  share(index: number, users: number): void {
    this.holders[index] = users;
  }

  release(index: number): void {
    const left = (this.holders[index] ?? 0) - 1;
    this.holders[index] = left;
    if (left > 0) return;
    const waiting = this.waiting;
    this.waiting = undefined;
    if (waiting) waiting.resolve(index);
    else this.free.push(index);
  }

  /** Gives up: a waiting and every later `take` rejects with `error`. */
  close(error: Error): void {
    this.failure ??= error;
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.reject(this.failure);
  }
}
