/**
 * What a job record must hold, checked on load with the project's shape checker: a record that
 * passes its checksum but not this (hand edits, a bug) is reported as damaged, never half-used.
 * Unknown fields are refused rather than dropped, so a rewrite can never lose what a newer
 * version stored (a newer format carries a higher `v`, see outbox/job-record.ts).
 */
import {
  array,
  bool,
  check,
  either,
  explain,
  int,
  nullable,
  number,
  object,
  oneOf,
  optional,
  str,
  type Checker,
} from '../../shape/index.js';
import type { CloudTarget } from '../../cloud/target.js';
import type { PublishedFile, PublishResult } from '../events.js';
import type { FileFingerprint, FirmwareFileSpec, FirmwareSpec } from '../spec.js';
import type { DeviceTask, Verification } from '../verify/verification.js';
import type { PreflightFinding } from '../preflight/decide.js';
import type {
  Job,
  JobAttempt,
  JobPreflight,
  JobError,
  JobMove,
  JobStep,
  JobUpload,
  RequestDetail,
  VerifyOn,
} from './job.js';

const text = object({ en: str(), zh: str() });
const count = int(0);

const fileSpec: Checker<FirmwareFileSpec> = object({ path: str(), name: optional(str()) });

const spec: Checker<FirmwareSpec> = object({
  productKey: str(),
  firmwareName: str(),
  destVersion: str(),
  moduleName: optional(str()),
  type: oneOf('full', 'diff'),
  srcVersion: optional(str()),
  signMethod: oneOf('MD5', 'SHA256'),
  desc: optional(str()),
  udi: optional(str()),
  needToVerify: optional(bool),
  files: array(fileSpec),
});

const fingerprintFields = {
  path: str(),
  name: str(),
  size: count,
  mtimeMs: number,
  md5: str(),
  sha256: str(),
};
const fingerprint: Checker<FileFingerprint> = object(fingerprintFields);
const publishedFile: Checker<PublishedFile> = object({ ...fingerprintFields, url: str(), sign: str() });

const target: Checker<CloudTarget> = object({
  dialect: oneOf('aliyun', 'tuya'),
  endpoint: str(),
  regionId: optional(str()),
  instanceId: optional(str()),
});

const step: Checker<JobStep> = either(
  'a step (uploading, creating or verifying)',
  object({ kind: oneOf('uploading'), file: count, of: count }),
  object({ kind: oneOf('creating', 'verifying') }),
);

const error: Checker<JobError> = object({
  kind: oneOf(
    'rejected',
    'auth',
    'throttled',
    'unavailable',
    'network',
    'policy-expired',
    'integrity',
    'cancelled',
    'invalid',
    'held',
  ),
  message: str(),
  hint: text,
  code: optional(str()),
  requestId: optional(str()),
  status: optional(int()),
});

const attempt: Checker<JobAttempt> = object({
  at: number,
  step: optional(oneOf('uploading', 'creating', 'verifying')),
  error,
});

const upload: Checker<JobUpload> = object({ url: str(), uploadedAt: number });

const result: Checker<PublishResult> = object({
  firmwareId: str(),
  firmwareName: str(),
  productKey: str(),
  destVersion: str(),
  signMethod: oneOf('MD5', 'SHA256'),
  verified: bool,
  files: array(publishedFile),
});

const deviceNames = array(str(64), 10);

const verifyOn: Checker<VerifyOn> = object({ devices: deviceNames, timeoutMinutes: optional(int(1, 1440)) });

const deviceTask: Checker<DeviceTask> = object({
  device: str(),
  status: oneOf('CONFIRM', 'QUEUED', 'NOTIFIED', 'IN_PROGRESS', 'SUCCEEDED', 'FAILED', 'CANCELED', 'UNKNOWN'),
  progress: int(0, 100),
  reason: optional(str()),
  taskId: optional(str()),
});

const verification: Checker<Verification> = object({
  firmwareId: str(),
  productKey: str(),
  devices: deviceNames,
  timeoutMinutes: optional(int(1, 1440)),
  state: oneOf('starting', 'running', 'verified', 'failed', 'timed-out', 'cancelled'),
  jobId: optional(str()),
  createSentAt: optional(number),
  knownJobIds: optional(array(str())),
  tasks: array(deviceTask),
  packageStatus: optional(int()),
  verifyProgress: optional(int()),
  request: optional(oneOf('cancel', 'retry-failed')),
  idlePolls: count,
  nextPollAt: optional(number),
  finishedAt: optional(number),
  problem: optional(error),
});

const finding: Checker<PreflightFinding> = object({
  severity: oneOf('refusal', 'warning'),
  field: str(),
  rule: oneOf(
    'name-taken',
    'module-missing',
    'module-case',
    'version-published',
    'src-version-unknown',
    'package-count',
  ),
  message: text,
});

const preflight: Checker<JobPreflight> = object({
  strict: optional(bool),
  createModule: optional(bool),
  passedAt: optional(number),
  warnings: optional(array(finding)),
  createdModule: optional(str()),
});

const job: Checker<Job> = object({
  id: str(64),
  createdAt: number,
  updatedAt: number,
  spec,
  files: array(fingerprint),
  target,
  profile: optional(str()),
  state: oneOf('queued', 'running', 'published', 'failed', 'cancelled'),
  step: optional(step),
  uploads: array(nullable(upload)),
  createSentAt: optional(number),
  createAttempts: optional(count),
  firmwareId: optional(str()),
  result: optional(result),
  error: optional(error),
  attempts: array(attempt),
  skipVerify: optional(bool),
  checkedAt: optional(number),
  nextAttemptAt: optional(number),
  verifyOn: optional(verifyOn),
  verification: optional(verification),
  preflight: optional(preflight),
});

/** The job in a record (format current), or Error naming the first field that does not fit. */
export function checkJob(value: unknown): Job {
  const checked = check(job, value, { path: 'job' });
  if (!checked.ok) throw new Error(`not a job record: ${explain(checked.problems[0]!)}`);
  return checked.value;
}

const move: Checker<JobMove> = object({ profile: str(256), target });
const requestDetail: Readonly<Record<string, Checker<RequestDetail>>> = {
  verify: object({ verifyOn }),
  move: object({ move }),
};

/** A verify or move request's detail, checked the same way when written and when read. */
export function checkRequestDetail(action: string, value: unknown): RequestDetail {
  const checker = requestDetail[action];
  if (!checker) throw new Error(`request ${action} carries no detail`);
  const checked = check(checker, value, { path: action });
  if (!checked.ok) throw new Error(`not a ${action} request: ${explain(checked.problems[0]!)}`);
  return checked.value;
}
