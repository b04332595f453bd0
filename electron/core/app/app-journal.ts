import { Journal } from '../publish/outbox/journal.js';
import type { Job } from '../publish/outbox/job.js';

/**
 * The outbox journal as the app's runner sees it. The runner works the first runnable job that
 * `load()` returns, so this view is how the app steers it without the runner knowing:
 * - jobs the user asked to publish "now" come first (newest "now" first; this run only);
 * - `view` may rewrite a job (a built-in-sandbox job gets this run's endpoint) or hide it
 *   (a job queued by the CLI with environment credentials the app does not have).
 * Listing for the user goes through a plain Journal on the same folder.
 */
export class AppJournal extends Journal {
  private readonly urgent: string[] = [];

  constructor(
    outboxDir: string,
    private readonly view: (job: Job) => Job | undefined = (job) => job,
  ) {
    super(outboxDir);
  }

  /** Puts job `id` ahead of every other job. */
  prioritize(id: string): void {
    this.urgent.unshift(id);
  }

  override async load(): ReturnType<Journal['load']> {
    const loaded = await super.load();
    const rank = (id: string) => {
      const i = this.urgent.indexOf(id);
      return i < 0 ? Number.MAX_SAFE_INTEGER : i;
    };
    const jobs = loaded.jobs.flatMap((job) => {
      const seen = this.view(job);
      return seen ? [seen] : [];
    });
    // Array.prototype.sort is stable: other jobs keep the journal's oldest-first order.
    jobs.sort((a, b) => rank(a.id) - rank(b.id));
    return { jobs, damaged: loaded.damaged };
  }
}
