/**
 * At most one value per key per `intervalMs`: the first goes out at once, later ones are held and
 * only the newest is sent when the interval ends, so the last value (e.g. 100 %) is never lost.
 */
export class KeyedThrottle<T> {
  private readonly keys = new Map<string, { last: number; pending?: T; timer?: NodeJS.Timeout }>();

  constructor(
    private readonly intervalMs: number,
    private readonly send: (value: T) => void,
  ) {}

  push(key: string, value: T): void {
    const now = Date.now();
    const entry = this.keys.get(key) ?? { last: 0 };
    this.keys.set(key, entry);
    if (!entry.timer && now - entry.last >= this.intervalMs) {
      entry.last = now;
      this.send(value);
      return;
    }
    entry.pending = value;
    entry.timer ??= setTimeout(() => this.flush(key), Math.max(0, entry.last + this.intervalMs - now));
  }

  /** Sends the held value of `key` once its interval allows (never sooner). */
  flush(key: string): void {
    const entry = this.keys.get(key);
    if (!entry) return;
    clearTimeout(entry.timer);
    entry.timer = undefined;
    const pending = entry.pending;
    entry.pending = undefined;
    if (pending !== undefined) this.push(key, pending);
  }

  /**
   * Forgets `key` (a finished hash or job): what it holds is dropped, because the final result
   * replaces it. The key's last send time is kept, so a late value cannot burst the rate.
   */
  done(key: string): void {
    const entry = this.keys.get(key);
    if (!entry) return;
    clearTimeout(entry.timer);
    entry.timer = undefined;
    entry.pending = undefined;
    if (Date.now() - entry.last >= this.intervalMs) this.keys.delete(key);
    else
      setTimeout(
        () => this.keys.get(key) === entry && !entry.timer && this.keys.delete(key),
        this.intervalMs,
      ).unref();
  }

  /** Drops everything held (shutdown). */
  clear(): void {
    for (const entry of this.keys.values()) clearTimeout(entry.timer);
    this.keys.clear();
  }
}
