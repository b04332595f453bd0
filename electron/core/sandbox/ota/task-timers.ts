/**
 * One timer per task with a deadline (a verify job's TimeoutInMinutes; the rule is in
 * task-machine.ts). A deadline beyond setTimeout's limit is reached in several hops. Timers never
 * keep the process alive.
 */

/** setTimeout's limit. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class TaskTimers {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly now: () => number,
    /** Called when `taskId`'s deadline has passed (it may have changed since: check it). */
    private readonly expired: (taskId: string, deadline: number) => void,
  ) {}

  /** Arms (or re-arms, or with no deadline clears) the timer of a task. */
  set(taskId: string, deadline: number | undefined): void {
    this.clear(taskId);
    if (deadline === undefined) return;
    const wait = Math.min(MAX_TIMER_MS, Math.max(0, deadline - this.now()));
    const timer = setTimeout(() => {
      this.timers.delete(taskId);
      if (this.now() < deadline) this.set(taskId, deadline);
      else this.expired(taskId, deadline);
    }, wait);
    timer.unref();
    this.timers.set(taskId, timer);
  }

  clear(taskId: string): void {
    const timer = this.timers.get(taskId);
    if (timer) clearTimeout(timer);
    this.timers.delete(taskId);
  }

  clearAll(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
