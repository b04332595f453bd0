import { CloudError } from '../../cloud/errors.js';
import type { IotClient } from '../../cloud/iot-client.js';
import { createRequest, signOf, uploadDigests, verifyFirmware } from '../create-firmware.js';
import type { PublishedFile, PublishEvent, PublishListener, PublishResult } from '../events.js';
import { uploadFile, type UploadedFile } from '../upload-file.js';
import { advanceVerification, isDue } from '../verify/advance.js';
import { isOpen, newVerification, type Verification } from '../verify/verification.js';
import { update, withAttempt, type Job, type JobUpload } from './job.js';
import { findPublished } from './reconcile.js';
import { runPreflight } from '../preflight/run.js';

/** CreateOTAFirmware must come within 60 minutes of the upload; leave a margin. */
export const UPLOAD_MAX_AGE_MS = 55 * 60 * 1000;

export interface WorkContext {
  readonly client: IotClient;
  readonly signal: AbortSignal;
  /** Persists a job change durably before the work goes on. */
  readonly save: (job: Job) => Promise<Job>;
  readonly onEvent?: PublishListener;
  /** Confirm with QueryOTAFirmware (default true). */
  readonly verify?: boolean;
}

const fresh = (u: JobUpload | null | undefined): u is JobUpload =>
  !!u && Date.now() - u.uploadedAt < UPLOAD_MAX_AGE_MS;

/** A create that failed this way was certainly not committed. */
const refusedOutright = (e: unknown): e is CloudError =>
  e instanceof CloudError && (e.kind === 'rejected' || e.kind === 'auth' || e.kind === 'throttled');

function publishedFiles(job: Job): PublishedFile[] {
  return job.files.map((f, i) => ({
    ...f,
    url: job.uploads[i]?.url ?? '',
    sign: signOf(f, job.spec.signMethod),
  }));
}

/**
 * Nothing of the job can have reached the cloud: no upload begun (a step is saved before each),
 * none kept, no create sent. Only then may the pre-flight run: after a create, the job's own
 * package would look like a name clash.
 */
function nothingSent(job: Job): boolean {
  return (
    job.step === undefined &&
    job.uploads.every((u) => u === null) &&
    job.createSentAt === undefined &&
    !job.createAttempts &&
    job.firmwareId === undefined
  );
}

/** The read-only checks before the first upload; that they passed is saved before any upload. */
async function preflight(job: Job, ctx: WorkContext): Promise<Job> {
  const { strict, createModule } = job.preflight ?? {};
  // Throttling waited out is shown and kept in the job's history, as an upload's retries are.
  const retried: unknown[] = [];
  const onRetry = (error: CloudError, delayMs: number) => {
    retried.push(error);
    ctx.onEvent?.({ type: 'retry', step: 'validating', error, delayMs });
  };
  let passed;
  try {
    passed = await runPreflight(ctx.client, job.spec, { strict, createModule }, ctx.signal, onRetry);
  } catch (error) {
    if (retried.length > 0) await ctx.save(withAttempt(job, ...retried)).catch(() => job);
    throw error;
  }
  ctx.onEvent?.({ type: 'preflight', ...passed });
  const checked = update(job, { preflight: { ...job.preflight, ...passed, passedAt: Date.now() } });
  return ctx.save(withAttempt(checked, ...retried));
}

/** Uploads what is missing or too old, keeping each upload (and each retried error) in the journal. */
async function uploadAll(job: Job, ctx: WorkContext): Promise<Job> {
  let current = job;
  const n = job.files.length;
  if (!job.uploads.every(fresh)) ctx.onEvent?.({ type: 'step', step: 'uploading' });
  for (const [i, file] of job.files.entries()) {
    if (fresh(current.uploads[i])) continue;
    current = await ctx.save(update(current, { step: { kind: 'uploading', file: i + 1, of: n } }));
    const retried: unknown[] = [];
    const onEvent = (event: PublishEvent) => {
      if (event.type === 'retry') retried.push(event.error);
      ctx.onEvent?.(event);
    };
    let done: UploadedFile;
    try {
      done = await uploadFile(ctx.client, file, i, job.target.dialect, {
        digests: uploadDigests(job.spec.signMethod),
        signal: ctx.signal,
        onEvent,
      });
    } catch (error) {
      // Keep the history of what went wrong; the caller decides about the error itself.
      if (retried.length > 0) current = await ctx.save(withAttempt(current, ...retried)).catch(() => current);
      throw error;
    }
    const uploads = [...current.uploads];
    uploads[i] = { url: done.url, uploadedAt: done.uploadedAt };
    let files = current.files;
    if (file.md5 === '') {
      // One-pass publish: the digests are those of the bytes just uploaded.
      files = files.map((f, j) => (j === i ? { ...f, md5: done.md5, sha256: done.sha256 || f.sha256 } : f));
      ctx.onEvent?.({ type: 'hashed', fileIndex: i, file: files[i]! });
    }
    current = await ctx.save(withAttempt(update(current, { uploads, files }), ...retried));
  }
  return current;
}

/** A create whose outcome is unknown (answer lost, process killed): look the package up by name. */
async function reconcile(job: Job, ctx: WorkContext): Promise<Job> {
  const current = await ctx.save(update(job, { step: { kind: 'creating' } }));
  const found = await findPublished(ctx.client, job.spec, publishedFiles(current), ctx.signal);
  return ctx.save(update(current, { firmwareId: found, createSentAt: undefined }));
}

/** CreateOTAFirmware, marked in the journal before it is sent so a lost answer is reconciled. */
async function create(job: Job, ctx: WorkContext): Promise<Job> {
  // A cancel or shutdown that arrived while uploading wins: nothing is created after it.
  ctx.signal.throwIfAborted();
  const attempts = (job.createAttempts ?? 0) + 1;
  let current = await ctx.save(
    update(job, { step: { kind: 'creating' }, createSentAt: Date.now(), createAttempts: attempts }),
  );
  if (ctx.signal.aborted) {
    // Stopped while the mark was being written: nothing was sent, so say so (a cancel then holds).
    await ctx.save(update(current, { createSentAt: undefined }));
    ctx.signal.throwIfAborted();
  }
  ctx.onEvent?.({ type: 'step', step: 'creating' });
  try {
    const request = createRequest(job.spec, publishedFiles(current));
    const { firmwareId } = await ctx.client.createOtaFirmware(request, ctx.signal);
    current = await ctx.save(update(current, { firmwareId, createSentAt: undefined }));
    ctx.onEvent?.({ type: 'created', firmwareId });
    return current;
  } catch (error) {
    if (!refusedOutright(error)) throw error;
    current = await ctx.save(update(current, { createSentAt: undefined }));
    // After an earlier create whose answer never came, a refusal may just say "that name exists":
    // the package may be ours. Look (this throws when the name belongs to another package).
    if (error.kind === 'rejected' && attempts > 1) {
      const found = await findPublished(ctx.client, job.spec, publishedFiles(current), ctx.signal);
      if (found) return ctx.save(update(current, { firmwareId: found }));
    }
    throw error;
  }
}

/** The check after creating: QueryOTAFirmware must hold what was sent (unless the user opted out). */
async function check(job: Job, ctx: WorkContext): Promise<Job> {
  const current = await ctx.save(update(job, { step: { kind: 'verifying' } }));
  ctx.onEvent?.({ type: 'step', step: 'verifying' });
  await verifyFirmware(ctx.client, job.firmwareId!, publishedFiles(current), ctx.signal);
  return ctx.save(update(current, { checkedAt: Date.now() }));
}

/** The publish is done: the result the user sees, and the job leaves the queue. */
async function finish(job: Job, ctx: WorkContext): Promise<Job> {
  const result: PublishResult = {
    firmwareId: job.firmwareId!,
    firmwareName: job.spec.firmwareName,
    productKey: job.spec.productKey,
    destVersion: job.spec.destVersion,
    signMethod: job.spec.signMethod,
    verified: job.checkedAt !== undefined,
    files: publishedFiles(job),
  };
  ctx.onEvent?.({ type: 'published', result });
  return ctx.save(update(job, { state: 'published', step: undefined, result, error: undefined }));
}

/** The package exists: its verification on the devices asked for starts (saved before any call). */
async function planVerify(job: Job, ctx: WorkContext): Promise<Job> {
  const { devices, timeoutMinutes } = job.verifyOn!;
  const verification = newVerification(job.firmwareId!, job.spec.productKey, devices, timeoutMinutes);
  ctx.onEvent?.({ type: 'verification', verification });
  return ctx.save(update(job, { verification }));
}

/** One round of the verification (see ../verify/advance.ts); each change is saved with the job. */
async function verifyRound(job: Job, ctx: WorkContext): Promise<Job> {
  let current = job;
  const save = async (verification: Verification): Promise<Verification> => {
    current = await ctx.save(update(current, { verification }));
    ctx.onEvent?.({ type: 'verification', verification });
    return verification;
  };
  await advanceVerification(job.verification!, {
    client: ctx.client,
    dialect: job.target.dialect,
    signal: ctx.signal,
    save,
  });
  return current;
}

const wantsCheck = (job: Job, ctx: WorkContext): boolean => ctx.verify !== false && job.skipVerify !== true;

/** One step of a publish: when it applies to the job as saved, and what it does. */
interface Step {
  readonly name: string;
  readonly applies: (job: Job, ctx: WorkContext) => boolean;
  readonly run: (job: Job, ctx: WorkContext) => Promise<Job>;
}

/**
 * The publish, read top to bottom. Each pass runs the first step that applies to the job as it
 * was last saved, so a job resumes exactly where it stopped (a crash, a restart, a retry). A
 * verification between polls has no step due: the job is returned unfinished, with the time of
 * its next round in `verification.nextPollAt` (see verificationWait).
 */
export const STEPS: readonly Step[] = [
  // Before the first upload only, once (see nothingSent): what the cloud holds may refuse it.
  {
    name: 'preflight',
    applies: (j) => j.preflight?.passedAt === undefined && nothingSent(j),
    run: preflight,
  },
  // A create whose answer was lost (or a process killed after sending it): never create twice.
  {
    name: 'reconcile',
    applies: (j) => j.createSentAt !== undefined && j.firmwareId === undefined,
    run: reconcile,
  },
  // Upload what is missing, and again what is older than the create's 60-minute window.
  { name: 'upload', applies: (j) => j.firmwareId === undefined && !j.uploads.every(fresh), run: uploadAll },
  { name: 'create', applies: (j) => j.firmwareId === undefined, run: create },
  { name: 'check', applies: (j, ctx) => j.checkedAt === undefined && wantsCheck(j, ctx), run: check },
  { name: 'finish', applies: (j) => j.state !== 'published', run: finish },
  // Then, when asked for, verification on bench devices: one round whenever one is due.
  {
    name: 'plan-verify',
    applies: (j) => j.verifyOn !== undefined && j.verification === undefined,
    run: planVerify,
  },
  {
    name: 'verify',
    applies: (j) => j.verification !== undefined && isOpen(j.verification) && isDue(j.verification),
    run: verifyRound,
  },
];

/**
 * Takes one job as far as it can go. Every transition is saved before the next step; failures
 * propagate to the caller (the runner decides what they mean for the job: see transitions.ts).
 */
export async function workJob(job: Job, ctx: WorkContext): Promise<Job> {
  let current = job;
  for (let step = nextStep(current, ctx); step; step = nextStep(current, ctx)) {
    current = await step.run(current, ctx);
  }
  return current;
}

function nextStep(job: Job, ctx: WorkContext): Step | undefined {
  return STEPS.find((s) => s.applies(job, ctx));
}

/** How long until the job's verification has a round due; undefined when it has none to come. */
export function verificationWait(job: Job): number | undefined {
  const v = job.verification;
  if (!v || !isOpen(v)) return undefined;
  return Math.max(0, (v.nextPollAt ?? 0) - Date.now());
}
