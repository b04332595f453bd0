import type { Locale } from '../i18n/text.js';
import type { Job, JobState } from '../publish/job/job.js';

export interface JobNotification {
  readonly jobId: string;
  readonly title: string;
  readonly body: string;
}

/**
 * Decides when a job deserves an OS notification: when this run sees it become published or
 * failed (not for jobs that were already final before).
 */
export class JobNotifier {
  private readonly seen = new Map<string, JobState>();

  constructor(
    private readonly notify: (n: JobNotification) => void,
    private readonly locale: () => Locale,
  ) {}

  observe(job: Job): void {
    const before = this.seen.get(job.id);
    this.seen.set(job.id, job.state);
    if (before === job.state) return;
    const zh = this.locale() === 'zh';
    const label = `${job.spec.firmwareName} (${job.spec.destVersion})`;
    if (job.state === 'published') {
      this.notify({
        jobId: job.id,
        title: zh ? '升级包已发布' : 'Package published',
        body: zh
          ? `${label} 已发布，FirmwareId ${job.firmwareId ?? ''}`
          : `${label} is published as ${job.firmwareId ?? ''}`,
      });
    } else if (job.state === 'failed') {
      const hint = job.error?.hint[zh ? 'zh' : 'en'] ?? '';
      this.notify({
        jobId: job.id,
        title: zh ? '发布失败' : 'Publishing failed',
        body: `${label}: ${hint}`,
      });
    }
  }
}
