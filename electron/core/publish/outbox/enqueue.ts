import { text } from '../../i18n/text.js';
import type { PublishListener } from '../events.js';
import { preparePublish, type DigestLookup } from '../prepare.js';
import type { FirmwareSpec } from '../spec.js';
import type { CloudTarget } from '../../cloud/target.js';
import { ValidationError, type ValidationIssue } from '../../validation-issue.js';
import { newJob, type Job, type VerifyOn } from '../job/job.js';
import type { Journal } from './journal.js';
import type { PreflightOptions } from '../preflight/decide.js';

/**
 * A live outbox job already using the spec's FirmwareName (names are unique per account): on the
 * same endpoint, or — when the target is not known yet (the wizard's checks) — for the same
 * ProductKey, which belongs to one account only.
 */
export function nameClash(
  jobs: readonly Job[],
  spec: FirmwareSpec,
  endpoint?: string,
): ValidationIssue | undefined {
  const clash = jobs.find(
    (j) =>
      j.spec.firmwareName === spec.firmwareName &&
      (endpoint === undefined ? j.spec.productKey === spec.productKey : j.target.endpoint === endpoint) &&
      j.state !== 'cancelled' &&
      j.state !== 'failed',
  );
  if (!clash) return undefined;
  return {
    field: 'FirmwareName',
    rule: 'unique',
    message: text(
      `FirmwareName "${spec.firmwareName}" is already in the outbox as job ${clash.id} (${clash.state}); names are unique per account.`,
      `升级包名称“${spec.firmwareName}”已在发件箱中（任务 ${clash.id}，${clash.state}）；名称在账号内必须唯一。`,
    ),
  };
}

/**
 * Validates and hashes now (works offline), then adds the job to the outbox. The fingerprints
 * taken here are what the runner will insist on uploading.
 */
export async function enqueue(
  journal: Journal,
  spec: FirmwareSpec,
  target: CloudTarget,
  options: {
    readonly profile?: string;
    readonly signal?: AbortSignal;
    readonly onEvent?: PublishListener;
    /** Digests the caller already has (the wizard hashed the files): no second read of them. */
    readonly known?: DigestLookup;
    /** False: do not confirm with QueryOTAFirmware once created. */
    readonly verify?: boolean;
    /** Verify on these bench devices once published. */
    readonly verifyOn?: VerifyOn;
    /** How the pre-flight runs at send time (strict, create a missing module). */
    readonly preflight?: PreflightOptions;
  } = {},
): Promise<Job> {
  const { jobs } = await journal.load();
  const clash = nameClash(jobs, spec, target.endpoint);
  if (clash) throw new ValidationError([clash]);
  const prepared = await preparePublish(spec, target.dialect, options);
  const job = {
    ...newJob(prepared, target, options.profile, options.verifyOn, options.preflight),
    ...(options.verify === false && { skipVerify: true }),
  };
  await journal.put(job);
  return job;
}
