import { randomUUID } from 'node:crypto';
import type { PublishResult } from '../events.js';
import type { PreparedPublish } from '../prepare.js';
import type { FileFingerprint, FirmwareSpec } from '../spec.js';
import type { CloudTarget } from '../../cloud/target.js';
import { isOpen, type Verification } from '../verify/verification.js';
import { CloudError } from '../../cloud/errors.js';
import { DataFolderError, FileError } from '../../files/file-errors.js';
import { ValidationError } from '../../validation-issue.js';
import type { JobError } from './job-error.js';
import type { PreflightFinding, PreflightOptions } from '../preflight/decide.js';

export type { JobError } from './job-error.js';
export type JobState = 'queued' | 'running' | 'published' | 'failed' | 'cancelled';

/** Where a running job is; `file` counts from 1 for display. */
export type JobStep =
  | { readonly kind: 'uploading'; readonly file: number; readonly of: number }
  | { readonly kind: 'creating' }
  | { readonly kind: 'verifying' };

export interface JobAttempt {
  readonly at: number;
  readonly step?: JobStep['kind'];
  readonly error: JobError;
}

/** An uploaded object waiting for CreateOTAFirmware (which must come within 60 minutes). */
export interface JobUpload {
  readonly url: string;
  readonly uploadedAt: number;
}

/** One prepared publish in the outbox. Never holds a secret. */
export interface Job {
  readonly id: string;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly spec: FirmwareSpec;
  readonly files: readonly FileFingerprint[];
  readonly target: CloudTarget;
  /** Profile name the credentials come from (none: the environment). */
  readonly profile?: string;
  readonly state: JobState;
  readonly step?: JobStep;
  readonly uploads: readonly (JobUpload | null)[];
  /** Set just before CreateOTAFirmware is sent; while set, the outcome is unknown and must be reconciled. */
  readonly createSentAt?: number;
  /** CreateOTAFirmware calls sent so far: after the first, "name taken" may be our own package. */
  readonly createAttempts?: number;
  readonly firmwareId?: string;
  readonly result?: PublishResult;
  /** Why a job failed (final) — or the last transient problem of a queued one. */
  readonly error?: JobError;
  readonly attempts: readonly JobAttempt[];
  /** The user asked not to confirm the package with QueryOTAFirmware (`--no-verify`). */
  readonly skipVerify?: boolean;
  /** When QueryOTAFirmware confirmed the package holds what was sent. */
  readonly checkedAt?: number;
  /** When the runner tries a waiting job next (a backoff, a held job's recheck, an offline cloud). */
  readonly nextAttemptAt?: number;
  /** Bench devices to verify the package on once it exists (a recipe's verifyOn, `--verify-on`). */
  readonly verifyOn?: VerifyOn;
  /** The verification on those devices, from the moment it starts. */
  readonly verification?: Verification;
  /** The pre-flight (read-only checks before the first upload): how it runs, and that it passed. */
  readonly preflight?: JobPreflight;
}

/** Saved before the first upload once the pre-flight passed: it never runs again for the job. */
export interface JobPreflight extends PreflightOptions {
  readonly passedAt?: number;
  readonly warnings?: readonly PreflightFinding[];
  /** The module the pre-flight created (--create-module). */
  readonly createdModule?: string;
}

/** Where a job goes instead when its profile is gone: another profile, and the target it publishes to. */
export interface JobMove {
  readonly profile: string;
  readonly target: CloudTarget;
}

/** What a 'verify' or 'move' outbox request carries (checked when written and read). */
export interface RequestDetail {
  readonly verifyOn?: VerifyOn;
  readonly move?: JobMove;
}

export interface VerifyOn {
  readonly devices: readonly string[];
  readonly timeoutMinutes?: number;
}

/** How many past attempts a job keeps. */
const HISTORY = 50;

export function jobError(error: unknown): JobError {
  if (error instanceof CloudError) {
    const { kind, message, hint, code, requestId, status } = error;
    return { kind, message, hint, code, requestId, status };
  }
  if (error instanceof ValidationError) {
    return {
      kind: 'invalid',
      message: error.message,
      hint: { en: error.message, zh: error.issues.map((i) => i.message.zh).join('\n') },
    };
  }
  if (error instanceof FileError) return { kind: 'invalid', message: error.message, hint: error.hint };
  if (error instanceof DataFolderError) {
    return { kind: 'rejected', code: error.code, message: error.message, hint: error.hint };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { kind: 'rejected', message, hint: { en: message, zh: message } };
}

/** A copy of `job` with `changes`, stamped now. */
export function update(job: Job, changes: Partial<Omit<Job, 'id' | 'createdAt'>>): Job {
  return { ...job, ...changes, updatedAt: Date.now() };
}

/** A copy of `job` with `errors` added to its history; the last one becomes `error`. */
export function withAttempt(job: Job, ...errors: unknown[]): Job {
  if (errors.length === 0) return job;
  const added = errors.map((e): JobAttempt => ({ at: Date.now(), step: job.step?.kind, error: jobError(e) }));
  return update(job, { attempts: [...job.attempts, ...added].slice(-HISTORY), error: added.at(-1)!.error });
}

/** "uploading 2/3", "creating", "verifying"; null when the job is not running. */
export function stepLabel(job: Job): string | null {
  const s = job.step;
  if (!s || isFinal(job.state)) return null;
  return s.kind === 'uploading' ? `uploading ${s.file}/${s.of}` : s.kind;
}

export function isFinal(state: JobState): boolean {
  return state === 'published' || state === 'failed' || state === 'cancelled';
}

/** A published job whose verification on devices is still to start, running, or asked to act. */
export function verificationPending(job: Job): boolean {
  if (job.state !== 'published' || job.verifyOn === undefined) return false;
  return job.verification === undefined || isOpen(job.verification);
}

/** Whether the runner has work for this job. */
export function needsWork(job: Job): boolean {
  return job.state === 'queued' || job.state === 'running' || verificationPending(job);
}

/** Done for good: nothing left to send for it (it may be archived). */
export function isSettledJob(job: Job): boolean {
  return isFinal(job.state) && !verificationPending(job);
}

/** A queued job for a prepared publish. */
export function newJob(
  prepared: PreparedPublish,
  target: CloudTarget,
  profile?: string,
  verifyOn?: VerifyOn,
  preflight?: PreflightOptions,
): Job {
  const now = Date.now();
  return {
    id: randomUUID(),
    createdAt: now,
    updatedAt: now,
    spec: prepared.spec,
    files: prepared.files,
    target,
    profile,
    state: 'queued',
    uploads: prepared.files.map(() => null),
    attempts: [],
    verifyOn,
    ...(preflight && { preflight: { ...preflight } }),
  };
}
