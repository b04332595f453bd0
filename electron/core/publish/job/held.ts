import { text, type Text } from '../../i18n/text.js';
import type { CloudTarget } from '../../cloud/target.js';
import { describeTarget, sameTarget } from '../../cloud/target-identity.js';
import type { Job, JobError } from './job.js';

/**
 * Thrown by a runner's `connect` hook when a job must wait for the user (its profile cannot be used
 * as it is): the job stays queued, shows `reason`, and is looked at again later or on retry.
 */
export class JobHeld extends Error {
  constructor(
    readonly code: string,
    readonly reason: Text,
    readonly hint: Text,
  ) {
    super(reason.en);
    this.name = 'JobHeld';
  }

  /** `message` is English (logs, `--json`); `hint` says the reason and what to do in both languages. */
  toJobError(): JobError {
    const hint = text(`${this.reason.en} ${this.hint.en}`, `${this.reason.zh}${this.hint.zh}`);
    return { kind: 'held', code: this.code, message: this.reason.en, hint };
  }
}

/**
 * Holds a job when its profile now publishes elsewhere than the job was prepared for: the
 * credentials belong to the profile as it is stored now, so they are never sent to the job's
 * recorded target unless the two are the same.
 */
export function assertSameTarget(job: Job, current: CloudTarget): void {
  if (sameTarget(job.target, current)) return;
  const profile = job.profile ?? '';
  throw new JobHeld(
    'TargetChanged',
    text(
      `Held: this job was prepared for ${describeTarget(job.target)}, but profile "${profile}" now publishes to ${describeTarget(current)}.`,
      `已暂停：此任务是为 ${describeTarget(job.target)} 准备的，但配置“${profile}”现在发布到 ${describeTarget(current)}。`,
    ),
    job.createSentAt === undefined
      ? text(
          `Nothing was sent. Change profile "${profile}" back to publish this job, or cancel it and publish again to the new target.`,
          `未发送任何请求。请将配置“${profile}”改回原目标以发布此任务，或取消此任务并向新目标重新发布。`,
        )
      : text(
          `Nothing was sent. Its package may already exist there: change profile "${profile}" back so the outcome can be checked.`,
          `未发送任何请求。其升级包可能已在原目标创建：请将配置“${profile}”改回，以便核实结果。`,
        ),
  );
}
