import type { CloudError } from '../../cloud/errors.js';
import type { IotClient } from '../../cloud/iot-client.js';
import { createRequest, signOf, verifyFirmware } from '../create-firmware.js';
import type { PublishedFile, PublishListener, PublishResult } from '../events.js';
import { uploadFile } from '../upload-file.js';
import { update, type Job, type JobUpload } from './job.js';
import { findPublished } from './reconcile.js';

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
const refusedOutright = (e: CloudError) =>
  e.kind === 'rejected' || e.kind === 'auth' || e.kind === 'throttled';

function publishedFiles(job: Job, uploads: readonly (JobUpload | null)[]): PublishedFile[] {
  return job.files.map((f, i) => ({
    ...f,
    url: uploads[i]?.url ?? '',
    sign: signOf(f, job.spec.signMethod),
  }));
}

/** Uploads what is missing or too old, keeping each upload in the journal. */
async function uploadAll(job: Job, ctx: WorkContext): Promise<Job> {
  let current = job;
  const n = job.files.length;
  if (!job.uploads.every(fresh)) ctx.onEvent?.({ type: 'step', step: 'uploading' });
  for (const [i, file] of job.files.entries()) {
    if (fresh(current.uploads[i])) continue;
    current = await ctx.save(update(current, { step: { kind: 'uploading', file: i + 1, of: n } }));
    const done = await uploadFile(ctx.client, file, i, job.target.dialect, {
      signal: ctx.signal,
      onEvent: ctx.onEvent,
    });
    const uploads = [...current.uploads];
    uploads[i] = done;
    current = await ctx.save(update(current, { uploads }));
  }
  return current;
}

/**
 * Takes one job as far as it can go: reconcile an unknown create, upload, create exactly once,
 * verify. Every transition is saved before the next step; failures propagate to the runner.
 */
export async function workJob(job: Job, ctx: WorkContext): Promise<Job> {
  let current = job;
  if (current.createSentAt !== undefined && current.firmwareId === undefined) {
    current = await ctx.save(update(current, { step: { kind: 'creating' } }));
    const found = await findPublished(
      ctx.client,
      job.spec,
      publishedFiles(current, current.uploads),
      ctx.signal,
    );
    current = await ctx.save(update(current, { firmwareId: found, createSentAt: undefined }));
  }

  while (current.firmwareId === undefined) {
    current = await uploadAll(current, ctx);
    // Uploading many large files can outlast the 60-minute window of the first ones.
    if (!current.uploads.every(fresh)) continue;
    current = await ctx.save(update(current, { step: { kind: 'creating' }, createSentAt: Date.now() }));
    ctx.onEvent?.({ type: 'step', step: 'creating' });
    try {
      const request = createRequest(job.spec, publishedFiles(current, current.uploads));
      const { firmwareId } = await ctx.client.createOtaFirmware(request, ctx.signal);
      current = await ctx.save(update(current, { firmwareId, createSentAt: undefined }));
      ctx.onEvent?.({ type: 'created', firmwareId });
    } catch (error) {
      if (refusedOutright(error as CloudError)) await ctx.save(update(current, { createSentAt: undefined }));
      throw error;
    }
  }

  const firmwareId = current.firmwareId;
  const files = publishedFiles(current, current.uploads);
  const verified = ctx.verify !== false;
  if (verified) {
    current = await ctx.save(update(current, { step: { kind: 'verifying' } }));
    ctx.onEvent?.({ type: 'step', step: 'verifying' });
    await verifyFirmware(ctx.client, firmwareId, files, ctx.signal);
  }
  const result: PublishResult = {
    firmwareId,
    firmwareName: job.spec.firmwareName,
    productKey: job.spec.productKey,
    destVersion: job.spec.destVersion,
    signMethod: job.spec.signMethod,
    verified,
    files,
  };
  ctx.onEvent?.({ type: 'published', result });
  return ctx.save(update(current, { state: 'published', step: undefined, result, error: undefined }));
}
