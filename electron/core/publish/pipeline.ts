import type { IotClient } from '../cloud/iot-client.js';
import { CreatedUncheckedError, isVerificationMismatch } from './created-unchecked.js';
import type { PublishListener, PublishResult, PublishStep } from './events.js';
import { newJob, type Job, type VerifyOn } from './job/job.js';
import { verificationWait, workJob } from './job/steps.js';
import { preparePublish, type PreparedPublish } from './prepare.js';
import { sleep, withRetry } from './retry.js';
import { verificationRefused } from './verify/advance.js';
import type { Verification } from './verify/verification.js';
import type { FirmwareSpec } from './spec.js';
import type { PreflightOptions } from './preflight/decide.js';
import type { CloudTarget } from '../cloud/target.js';
import { HistoryLog, type HistoryWarning } from './history/history-log.js';

export interface PublishOptions {
  readonly client: IotClient;
  readonly target: CloudTarget;
  readonly signal?: AbortSignal;
  readonly onEvent?: PublishListener;
  /** Confirm with QueryOTAFirmware (default true). */
  readonly verify?: boolean;
  /** Then verify the package on these bench devices, and wait for the result. */
  readonly verifyOn?: VerifyOn;
  /** Append the publish (and verification) to `<dataDir>/history.jsonl`; a failure is only a warning. */
  readonly history?: {
    readonly dataDir: string;
    readonly profile?: string;
    readonly onWarning?: HistoryWarning;
  };
  /** How the pre-flight before the first upload runs (strict, create a missing module). */
  readonly preflight?: PreflightOptions;
}

/** The package, and how its verification on devices ended (when one was asked for). */
export type PublishOutcome = PublishResult & { readonly verification?: Verification };

/**
 * Attempts of the whole remaining publish on transient failures (uploads retry on their own too).
 * Throttling does not count: it is waited out (see withRetry).
 */
const ATTEMPTS = 4;

/**
 * Publishes now, as an in-memory outbox job: the same steps and the same exactly-once rule (a
 * create whose answer was lost is reconciled by name before any new create). Once the package
 * exists, a failure of the check afterwards is a CreatedUncheckedError naming it.
 */
export async function publishPrepared(
  prepared: PreparedPublish,
  options: PublishOptions,
): Promise<PublishOutcome> {
  let job: Job = newJob(
    prepared,
    options.target,
    options.history?.profile,
    options.verifyOn,
    options.preflight,
  );
  const signal = options.signal ?? new AbortController().signal;
  const history =
    options.history && new HistoryLog(options.history.dataDir, { outbox: false, ...options.history });
  const save = async (j: Job) => {
    job = j;
    await history?.note(j);
    return j;
  };
  const pass = () =>
    withRetry(
      () =>
        workJob(job, {
          client: options.client,
          signal,
          save,
          onEvent: options.onEvent,
          verify: options.verify,
        }),
      {
        attempts: ATTEMPTS,
        signal,
        // Offline is reported at once (exit 4), unless a create's outcome is pending reconciliation
        // or the package exists: the cloud answered a moment ago, so a dropped link is worth a retry.
        retryOn: (e) =>
          e.retryable &&
          (e.kind !== 'network' || job.createSentAt !== undefined || job.firmwareId !== undefined),
        onRetry: (error, delayMs) =>
          options.onEvent?.({ type: 'retry', step: retryStep(job), error, delayMs }),
      },
    );
  for (;;) {
    try {
      job = await pass();
    } catch (error) {
      if (job.state !== 'published') throw createdButUnchecked(job, error) ?? error;
      // The package exists; its verification could not go on: that is its result.
      if (!job.verification || signal.aborted) throw error;
      await save({ ...job, verification: verificationRefused(job.verification, error) });
      options.onEvent?.({ type: 'verification', verification: job.verification! });
    }
    const wait = verificationWait(job);
    if (wait === undefined) return { ...job.result!, verification: job.verification };
    await sleep(wait, signal);
  }
}

/** The step a retried failure belongs to ('verifying' for the verification on devices too). */
function retryStep(job: Job): PublishStep {
  if (job.state === 'published') return 'verifying';
  return job.step?.kind ?? 'uploading';
}

/** The error to report when `job` created its package and then failed other than by a mismatch. */
function createdButUnchecked(job: Job, error: unknown): CreatedUncheckedError | undefined {
  if (job.firmwareId === undefined || isVerificationMismatch(error)) return undefined;
  const { firmwareName, productKey, destVersion } = job.spec;
  return new CreatedUncheckedError(
    { firmwareId: job.firmwareId, firmwareName, productKey, destVersion },
    error,
  );
}

/**
 * validate → per file: upload URL + PostObject (hashing MD5 and SHA-256 of the bytes sent) →
 * CreateOTAFirmware → QueryOTAFirmware. Publishing at once, the file is read once: its digests
 * come from the upload itself (a queued publish hashes when prepared, and the upload must match).
 */
export async function publish(spec: FirmwareSpec, options: PublishOptions): Promise<PublishOutcome> {
  const prepared = await preparePublish(spec, options.target.dialect, {
    signal: options.signal,
    onEvent: options.onEvent,
    hash: false,
  });
  return publishPrepared(prepared, options);
}
