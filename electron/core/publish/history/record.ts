/**
 * One line of `<data>/history.jsonl`: who published what, when, where and with which digests, or
 * how a verification on devices ended. Built field by field from the job (never spread from it),
 * so nothing secret can ride along: no AccessKey, token, signature, policy, upload ticket or URL.
 */
import { userInfo } from 'node:os';
import { isLoopbackHost, type CloudTarget, type Dialect } from '../../cloud/target.js';
import type { TaskStatus } from '../../cloud/bench-types.js';
import type { Job } from '../job/job.js';
import type { PackageType, SignMethod } from '../spec.js';
import type { Verification, VerificationState } from '../verify/verification.js';

export const HISTORY_FORMAT = 1;

export type VerifyResult = Extract<VerificationState, 'verified' | 'failed' | 'timed-out' | 'cancelled'>;

export interface HistoryCloud {
  readonly dialect: Dialect;
  readonly endpoint: string;
  readonly regionId: string | null;
  readonly instanceId: string | null;
  /** The built-in sandbox: it runs on loopback, the only host plain http is allowed to (see target.ts). */
  readonly sandbox: boolean;
}

export interface HistoryFile {
  readonly name: string;
  readonly size: number;
  readonly md5: string;
  readonly sha256: string;
}

export interface HistoryVerify {
  /** The verify job's JobId (null when the cloud refused to create one). */
  readonly jobId: string | null;
  readonly result: VerifyResult;
  readonly devices: readonly { readonly name: string; readonly status: TaskStatus }[];
}

/** What the package is; null where a standalone `verify` does not know it. */
export interface HistoryPackage {
  readonly productKey: string;
  readonly firmwareName: string | null;
  readonly destVersion: string | null;
  readonly srcVersion: string | null;
  readonly moduleName: string | null;
  readonly type: PackageType | null;
  readonly signMethod: SignMethod | null;
  readonly firmwareId: string;
  readonly files: readonly HistoryFile[];
}

export interface HistoryRecord extends HistoryPackage {
  readonly v: typeof HISTORY_FORMAT;
  /** Identifies the event: a replayed append carries the same key, and readers keep the first. */
  readonly key: string;
  readonly event: 'publish' | 'verification';
  /** ISO 8601, UTC. */
  readonly at: string;
  /** The OS user who ran it; null when the OS cannot say. */
  readonly user: string | null;
  readonly profile: string | null;
  readonly cloud: HistoryCloud;
  /** The outbox job (publish --queue, the desktop app); null for a direct publish or verify. */
  readonly outboxJobId: string | null;
  readonly verify: HistoryVerify | null;
}

/** Who is running this; an OS without a user database (some containers) answers with null. */
export function osUser(): string | null {
  try {
    return userInfo().username || null;
  } catch {
    return null;
  }
}

export function cloudOf(target: CloudTarget): HistoryCloud {
  let loopback = false;
  try {
    loopback = isLoopbackHost(new URL(target.endpoint).hostname);
  } catch {
    // Not a URL: not the sandbox either.
  }
  return {
    dialect: target.dialect,
    endpoint: target.endpoint,
    regionId: target.regionId ?? null,
    instanceId: target.instanceId ?? null,
    sandbox: loopback,
  };
}

function packageOf(job: Job, firmwareId: string): HistoryPackage {
  const { spec } = job;
  return {
    productKey: spec.productKey,
    firmwareName: spec.firmwareName,
    destVersion: spec.destVersion,
    srcVersion: spec.srcVersion ?? null,
    moduleName: spec.moduleName ?? null,
    type: spec.type,
    signMethod: spec.signMethod,
    firmwareId,
    files: job.files.map(({ name, size, md5, sha256 }) => ({ name, size, md5, sha256 })),
  };
}

export const publishKey = (jobId: string): string => `${jobId}:publish`;
export const verifyKey = (owner: string, v: Verification): string =>
  `${owner}:verify:${v.jobId ?? '-'}:${v.finishedAt ?? 0}`;

/** Where a record comes from: the job (outbox or in-memory), and whether it is an outbox job. */
export interface RecordSource {
  readonly outbox: boolean;
}

/** The publish record of a published job (its time: when it was checked, else when it was saved). */
export function publishRecord(job: Job, source: RecordSource): HistoryRecord {
  return {
    v: HISTORY_FORMAT,
    key: publishKey(job.id),
    event: 'publish',
    at: new Date(job.checkedAt ?? job.updatedAt).toISOString(),
    user: osUser(),
    profile: job.profile ?? null,
    cloud: cloudOf(job.target),
    ...packageOf(job, job.result?.firmwareId ?? job.firmwareId ?? ''),
    outboxJobId: source.outbox ? job.id : null,
    verify: null,
  };
}

export function verifyOf(v: Verification): HistoryVerify {
  return {
    jobId: v.jobId ?? null,
    result: v.state as VerifyResult,
    devices: v.tasks.map((t) => ({ name: t.device, status: t.status })),
  };
}

/** The record of a job's settled verification. */
export function jobVerificationRecord(job: Job, v: Verification, source: RecordSource): HistoryRecord {
  return {
    ...publishRecord(job, source),
    key: verifyKey(job.id, v),
    event: 'verification',
    at: new Date(v.finishedAt ?? job.updatedAt).toISOString(),
    firmwareId: v.firmwareId,
    verify: verifyOf(v),
  };
}

/** The record of a standalone verification (`ota-publish verify`): only the package's ids are known. */
export function verificationRecord(
  v: Verification,
  where: { readonly target: CloudTarget; readonly profile?: string },
): HistoryRecord {
  return {
    v: HISTORY_FORMAT,
    key: verifyKey('cli', v),
    event: 'verification',
    at: new Date(v.finishedAt ?? Date.now()).toISOString(),
    user: osUser(),
    profile: where.profile ?? null,
    cloud: cloudOf(where.target),
    productKey: v.productKey,
    firmwareName: null,
    destVersion: null,
    srcVersion: null,
    moduleName: null,
    type: null,
    signMethod: null,
    firmwareId: v.firmwareId,
    files: [],
    outboxJobId: null,
    verify: verifyOf(v),
  };
}
