import type { Job } from '../publish/job/job.js';
import { OutboxRunner, type RunnerOptions } from '../publish/outbox/runner.js';
import { sleep } from '../publish/retry.js';
import { runnerEventLogger } from '../diagnostics/job-log.js';

/** After an unexpected runner failure (e.g. the data folder vanished), try again this much later. */
const RESTART_MS = 5_000;

/**
 * Keeps one OutboxRunner working for as long as the app is open: start, stop (the running job is
 * put back in the queue and resumes next time), and wake (cut an offline or idle wait short).
 */
export class RunnerHost {
  private controller: AbortController | undefined;
  private loop: Promise<void> | undefined;
  private runner: OutboxRunner | undefined;
  /** Jobs being worked right now, by id. */
  readonly active = new Map<string, Job>();
  private readonly log = runnerEventLogger();

  constructor(
    private readonly options: RunnerOptions,
    private readonly onFailure: (error: unknown) => void = () => {},
  ) {}

  get running(): boolean {
    return this.controller !== undefined;
  }

  start(): void {
    if (this.controller) return;
    const controller = (this.controller = new AbortController());
    const runner = (this.runner = new OutboxRunner({
      ...this.options,
      onEvent: (event) => this.observe(event),
    }));
    this.loop = (async () => {
      while (!controller.signal.aborted) {
        try {
          await runner.runForever(controller.signal);
        } catch (error) {
          this.onFailure(error);
          await sleep(RESTART_MS, controller.signal).catch(() => undefined);
        }
      }
    })();
  }

  /** Stops working; resolves once the runner let go of the outbox (its job re-queued). */
  async stop(): Promise<void> {
    this.controller?.abort();
    this.controller = undefined;
    await this.loop;
    this.loop = undefined;
    this.runner = undefined;
    this.active.clear();
  }

  /** The network came back, or the user wants a job now: the runner probes and looks at once. */
  wake(): void {
    this.runner?.wake();
  }

  /** A request was left for the runner: it looks at once (offline backoffs stay). */
  nudge(): void {
    this.runner?.nudge();
  }

  private observe(event: Parameters<NonNullable<RunnerOptions['onEvent']>>[0]): void {
    this.log(event);
    if (event.type === 'job') {
      if (event.job.state === 'running') this.active.set(event.job.id, event.job);
      else this.active.delete(event.job.id);
    }
    this.options.onEvent?.(event);
  }
}
