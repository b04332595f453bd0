import type { Locale } from '../i18n/text.js';
import type { Job } from '../publish/job/job.js';
import { isSettled } from '../publish/verify/verification.js';

export interface JobNotification {
  readonly jobId: string;
  readonly title: string;
  readonly body: string;
}

/** What a notification is about: the job's state, then its verification's end. */
const stage = (job: Job): string =>
  job.verification && isSettled(job.verification) && !job.verification.request
    ? `verification-${job.verification.state}`
    : job.state;

/**
 * Decides when a job deserves an OS notification: when this run sees it become published or
 * failed, or its verification on devices end (not for jobs that were already so before).
 */
export class JobNotifier {
  private readonly seen = new Map<string, string>();

  constructor(
    private readonly notify: (n: JobNotification) => void,
    private readonly locale: () => Locale,
  ) {}

  observe(job: Job): void {
    const before = this.seen.get(job.id);
    const now = stage(job);
    this.seen.set(job.id, now);
    if (before === now) return;
    const zh = this.locale() === 'zh';
    const label = `${job.spec.firmwareName} (${job.spec.destVersion})`;
    if (now.startsWith('verification-')) {
      if (before !== undefined) this.notify(this.verificationNotice(job, label, zh));
    } else if (job.state === 'published') {
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

  private verificationNotice(job: Job, label: string, zh: boolean): JobNotification {
    const v = job.verification!;
    const failed = v.tasks.filter((t) => t.status !== 'SUCCEEDED').map((t) => t.device);
    if (v.state === 'verified') {
      return {
        jobId: job.id,
        title: zh ? '设备验证通过' : 'Verified on devices',
        body: zh
          ? `${label} 已在 ${v.tasks.length} 台设备上验证通过，可以批量升级。`
          : `${label} is verified on ${v.tasks.length} device(s) and can be rolled out.`,
      };
    }
    const why = v.problem?.hint[zh ? 'zh' : 'en'] ?? failed.join(', ');
    return {
      jobId: job.id,
      title: zh ? '设备验证未通过' : 'Verification on devices did not pass',
      body: `${label}: ${why}`,
    };
  }
}
