/** Deleting packages: never one a job may still act on (checked with ListOTAJobByFirmware first). */
import type { IotClient } from '../../cloud/iot-client.js';
import { withRetry } from '../retry.js';
import { isUnfinishedJob, listAllJobs } from './package-detail.js';

export type DeleteResult =
  | { readonly firmwareId: string; readonly outcome: 'deleted' }
  /** Refused here: the package has these unfinished jobs. */
  | { readonly firmwareId: string; readonly outcome: 'in-use'; readonly jobIds: readonly string[] }
  /** The cloud refused or could not be reached (the error as thrown). */
  | { readonly firmwareId: string; readonly outcome: 'failed'; readonly error: unknown };

type DeleteClient = Pick<IotClient, 'listOtaJobByFirmware' | 'deleteOtaFirmware'>;

/** Deletes the package unless it has an unfinished job. Cloud errors are thrown. */
export async function deletePackage(
  client: DeleteClient,
  firmwareId: string,
  signal?: AbortSignal,
): Promise<Exclude<DeleteResult, { outcome: 'failed' }>> {
  const unfinished = (await listAllJobs(client, firmwareId, signal)).filter(isUnfinishedJob);
  if (unfinished.length > 0) return { firmwareId, outcome: 'in-use', jobIds: unfinished.map((j) => j.jobId) };
  // Only throttling is retried: a delete the cloud did not refuse may have happened.
  await withRetry(() => client.deleteOtaFirmware(firmwareId, signal), { attempts: 1, signal });
  return { firmwareId, outcome: 'deleted' };
}

/**
 * Deletes each package in turn, reporting each result as it comes (`onResult`); one failure does
 * not stop the others, but cancelling (the signal) does.
 */
export async function deletePackages(
  client: DeleteClient,
  firmwareIds: readonly string[],
  options: { signal?: AbortSignal; onResult?: (result: DeleteResult) => void } = {},
): Promise<DeleteResult[]> {
  const results: DeleteResult[] = [];
  for (const firmwareId of firmwareIds) {
    options.signal?.throwIfAborted();
    let result: DeleteResult;
    try {
      result = await deletePackage(client, firmwareId, options.signal);
    } catch (error) {
      if (options.signal?.aborted) throw error;
      result = { firmwareId, outcome: 'failed', error };
    }
    results.push(result);
    options.onResult?.(result);
  }
  return results;
}
