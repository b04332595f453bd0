/** A prune against the cloud: the plan from the packages and their jobs, then the deletes. */
import type { IotClient } from '../../cloud/iot-client.js';
import { deletePackages, type DeleteResult } from './package-delete.js';
import { isUnfinishedJob, listAllJobs } from './package-detail.js';
import { listPackages, type PackageQuota } from './package-list.js';
import { checkKeep, planPrune, pruneCandidates, type PrunePlan } from './prune-plan.js';

export interface PruneRequest {
  readonly productKey: string;
  /** Only this module; default every module of the product. */
  readonly moduleName?: string;
  /** How many of the newest packages of each module stay (≥ 1). */
  readonly keep: number;
}

export interface PlannedPrune extends PrunePlan {
  readonly productKey: string;
  readonly quota: PackageQuota;
}

type PruneClient = Pick<IotClient, 'listOtaFirmware' | 'listOtaJobByFirmware' | 'deleteOtaFirmware'>;

/** What a prune would delete and why each other package stays; deletes nothing. */
export async function buildPrunePlan(
  client: PruneClient,
  request: PruneRequest,
  signal?: AbortSignal,
): Promise<PlannedPrune> {
  checkKeep(request.keep);
  const { items, quota } = await listPackages(client, request, signal);
  const unfinished = new Map<string, string[]>();
  for (const p of pruneCandidates(items, request.keep)) {
    const jobs = await listAllJobs(client, p.firmwareId, signal);
    unfinished.set(
      p.firmwareId,
      jobs.filter(isUnfinishedJob).map((j) => j.jobId),
    );
  }
  const plan = planPrune(items, request.keep, (id) => unfinished.get(id) ?? []);
  return { ...plan, productKey: request.productKey, quota };
}

/**
 * Deletes what the plan says, each package checked again for unfinished jobs right before (one may
 * have started since the plan was made); reports each result.
 */
export function executePrunePlan(
  client: PruneClient,
  plan: PrunePlan,
  options: { signal?: AbortSignal; onResult?: (result: DeleteResult) => void } = {},
): Promise<DeleteResult[]> {
  return deletePackages(
    client,
    plan.toDelete.map((d) => d.package.firmwareId),
    options,
  );
}
