import { parseArgs } from 'node:util';
import {
  advanceVerification,
  runVerification,
  type VerifyContext,
} from '../../core/publish/verify/advance.js';
import {
  DEFAULT_TIMEOUT_MINUTES,
  isSettled,
  newVerification,
  verifyTargetIssues,
  type Verification,
} from '../../core/publish/verify/verification.js';
import { verifySummary } from '../../core/publish/verify/summary.js';
import { ValidationError } from '../../core/validation-issue.js';
import { CloudError } from '../../core/cloud/errors.js';
import type { CloudTarget } from '../../core/cloud/target.js';
import { withRetry } from '../../core/publish/retry.js';
import { connectFromFlags, TARGET_HELP, TARGET_OPTIONS } from '../connect.js';
import { UsageError } from '../exit-codes.js';
import { verificationExit, verificationReport } from '../verify-result.js';
import { VerifyView } from '../verify-view.js';
import { defaultDataDir } from '../../core/paths.js';
import { HistoryLog, historyWarningText } from '../../core/publish/history/history-log.js';
import { say } from '../locale.js';

export const VERIFY_HELP = `Usage: ota-publish verify FIRMWARE_ID --product PK --device NAME [--device NAME…] [options]
       ota-publish verify --job JOB_ID [--cancel | --retry-failed] [options]

Verifies a package on bench devices (CreateOTAVerifyJob) and watches every device until the
result: a package created with NeedToVerify (the default) cannot be rolled out before that.
A package already being verified is watched, not verified twice.

  --product PK            ProductKey of the package's product
  --device NAME           a device to verify on (1–10; repeat, or NAME,NAME)
  --timeout-minutes N     a device that does not finish in N minutes fails (1–1440, default ${DEFAULT_TIMEOUT_MINUTES})
  --job JOB_ID            an existing verify job: watch it, or with
  --cancel                  cancel its unfinished devices
  --retry-failed            try its failed devices again
  --no-wait               start (or act) and return at once
  --json                  print the result as one JSON line on stdout
${TARGET_HELP}

Examples:
  ota-publish verify 6hK…2a --product a1Bc… --device bench-01 --device bench-02 --profile lab
  ota-publish verify --job 3eQ…Zk --retry-failed --profile lab

Exit codes: 0 verified (or started, with --no-wait), 2 invalid input, 3 refused by the cloud,
4 cloud unreachable, 5 failed, timed out or cancelled on at least one device (reasons printed).`;

const OPTIONS = {
  ...TARGET_OPTIONS,
  product: { type: 'string' },
  device: { type: 'string', multiple: true },
  'timeout-minutes': { type: 'string' },
  job: { type: 'string' },
  cancel: { type: 'boolean' },
  'retry-failed': { type: 'boolean' },
  'no-wait': { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

/** `--device a --device b,c` → [a, b, c]. */
export function deviceList(values: readonly string[] | undefined): string[] {
  return (values ?? [])
    .flatMap((v) => v.split(','))
    .map((d) => d.trim())
    .filter((d) => d !== '');
}

/** A whole number of minutes, checked with the verify job's rules. */
export function timeoutFlag(flag: string, value: string | undefined): number {
  if (value === undefined) return DEFAULT_TIMEOUT_MINUTES;
  if (!/^\d+$/.test(value))
    throw new UsageError(`--${flag} must be a whole number of minutes, not "${value}".`);
  return Number(value);
}

export async function runVerify(argv: readonly string[], signal: AbortSignal): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: OPTIONS,
    allowPositionals: true,
    strict: true,
  });
  if (values.cancel && values['retry-failed'])
    throw new UsageError('Give --cancel or --retry-failed, not both.');
  if (values.job === undefined && (values.cancel || values['retry-failed'])) {
    throw new UsageError('--cancel and --retry-failed act on a verify job: give --job JOB_ID.');
  }
  const start = values.job === undefined ? planned(values, positionals) : undefined;
  const { target, client } = await connectFromFlags(values);
  const view = new VerifyView(process.stderr);
  const ctx: VerifyContext = {
    client,
    dialect: target.dialect,
    signal,
    save: async (v) => (view.show(v), v),
  };
  // Throttling (another run on the same AccessKey) is waited out here as in the watch.
  const patient = <T>(call: () => Promise<T>) => withRetry(call, { attempts: 3, signal });
  let v = await patient(() => (start ? attachOrStart(start, ctx) : fromJob(values.job!, ctx)));
  const asked = values.cancel ? 'cancel' : values['retry-failed'] ? 'retry-failed' : undefined;
  if (asked) v = { ...v, request: asked };
  // A verification that had ended before this run was only looked at: not a new end to record.
  const endedBefore = isSettled(v) && !asked;
  // --no-wait: act until the verify job exists and the request was sent, then stop watching.
  const started = (x: Verification) => x.request === undefined && x.jobId !== undefined;
  v = await watch(v, values['no-wait'] ? { ...ctx, until: started } : ctx);
  if (!endedBefore) await recordEnd(v, target, values);
  if (values.json)
    process.stdout.write(`${JSON.stringify({ firmwareId: v.firmwareId, verify: verifySummary(v) })}\n`);
  else process.stdout.write(verificationReport(v));
  return verificationExit(v, asked === 'cancel' ? 'cancel' : undefined);
}

/** Appends the verification's end to the history (a failure is a warning on stderr). */
async function recordEnd(
  v: Verification,
  target: CloudTarget,
  values: { profile?: string; 'data-dir'?: string },
): Promise<void> {
  const history = new HistoryLog(values['data-dir'] ?? defaultDataDir(), {
    outbox: false,
    onWarning: (e) => process.stderr.write(`${say(historyWarningText(e))}\n`),
  });
  await history.noteVerification(v, { target, profile: values.profile });
}

function planned(
  values: { product?: string; device?: string[]; 'timeout-minutes'?: string },
  positionals: readonly string[],
): Verification {
  const [firmwareId, ...extra] = positionals;
  if (!firmwareId) throw new UsageError('Give the FIRMWARE_ID of the package to verify (or --job JOB_ID).');
  if (extra.length > 0) throw new UsageError(`One FIRMWARE_ID at a time (also given: ${extra.join(' ')}).`);
  if (!values.product) throw new UsageError('--product is required (ProductKey of the package).');
  const devices = deviceList(values.device);
  const timeout = timeoutFlag('timeout-minutes', values['timeout-minutes']);
  const issues = verifyTargetIssues(devices, timeout);
  if (issues.length > 0) throw new ValidationError(issues);
  return newVerification(firmwareId, values.product, devices, timeout);
}

/** Runs the verification; a create refused because another run made one meanwhile watches that one. */
async function watch(v: Verification, ctx: Parameters<typeof runVerification>[1]): Promise<Verification> {
  try {
    return await runVerification(v, ctx);
  } catch (error) {
    if (v.jobId !== undefined || !(error instanceof CloudError && error.kind === 'rejected')) throw error;
    const other = await withRetry(() => attachOrStart(v, ctx), { attempts: 3, signal: ctx.signal });
    if (other.jobId === undefined) throw error;
    return runVerification(other, ctx);
  }
}

/**
 * The package's unfinished verify job when it has one (watched instead of refused), its last one
 * when it is already verified (the cloud allows no other), else a new verification.
 */
async function attachOrStart(v: Verification, ctx: VerifyContext): Promise<Verification> {
  const page = await ctx.client.listOtaJobByFirmware(
    { firmwareId: v.firmwareId, currentPage: 1, pageSize: 100 },
    ctx.signal,
  );
  const jobs = page.items.filter((j) => j.jobType === 'verify');
  const open = jobs.find((j) => j.jobStatus === 'IN_PROGRESS' || j.jobStatus === 'PLANNED');
  if (open) {
    process.stderr.write(
      `Package ${v.firmwareId} is already being verified by job ${open.jobId}: watching it.\n`,
    );
    return fromJob(open.jobId, ctx);
  }
  if (jobs.length === 0 || (await ctx.client.queryOtaFirmware(v.firmwareId, ctx.signal)).status !== 1)
    return v;
  const last = jobs.reduce((a, b) => ((b.utcCreate ?? '') > (a.utcCreate ?? '') ? b : a));
  process.stderr.write(`Package ${v.firmwareId} is already verified (job ${last.jobId}).\n`);
  return fromJob(last.jobId, ctx);
}

/** An existing verify job as a verification, with its tasks as they are now. */
async function fromJob(jobId: string, ctx: VerifyContext): Promise<Verification> {
  const { client, signal } = ctx;
  const job = await client.queryOtaJob(jobId, signal);
  if (job.jobType !== 'verify' || !job.firmwareId || !job.productKey) {
    throw new UsageError(`Job ${jobId} is not a verify job of a package.`);
  }
  const tasks = await client.listOtaTaskByJob({ jobId, currentPage: 1, pageSize: 100 }, signal);
  const devices = tasks.items.map((t) => t.deviceName);
  const base = newVerification(job.firmwareId, job.productKey, devices, job.timeoutInMinutes);
  // One poll fills in every task's state.
  return advanceVerification({ ...base, jobId, state: 'running' }, ctx);
}
