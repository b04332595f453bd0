/**
 * Which packages a prune deletes: per module the `keep` newest stay; so do the newest verified
 * (Status 1) package of each module, and any package with an unfinished job. The rest go.
 * Pure: the caller supplies the packages and the unfinished jobs (see prune.ts).
 */
import type { FirmwareSummary } from '../../cloud/iot-client.js';
import { text, type Text } from '../../i18n/text.js';
import { moduleOf } from './package-list.js';

export type KeepReason = 'newest' | 'newest-verified' | 'unfinished-job';

export interface KeptPackage {
  readonly package: FirmwareSummary;
  readonly module: string;
  readonly reason: KeepReason;
  /** For 'unfinished-job': the jobs that may still act on it. */
  readonly jobIds?: readonly string[];
}

export interface DoomedPackage {
  readonly package: FirmwareSummary;
  readonly module: string;
  /** Always: older than the module's `keep` newest, not its newest verified, no unfinished job. */
  readonly reason: 'older';
}

export interface PrunePlan {
  readonly keep: number;
  /** Newest first within each module. */
  readonly toDelete: readonly DoomedPackage[];
  readonly kept: readonly KeptPackage[];
}

/** A plan needs the unfinished jobs of the packages it would delete, and nothing of the others. */
export type UnfinishedJobs = (firmwareId: string) => readonly string[];

export function checkKeep(keep: number): void {
  if (!Number.isInteger(keep) || keep < 1)
    throw new RangeError(`keep must be a positive integer, not ${keep}.`);
}

/** Newest first by UtcCreate; packages of the same instant keep the order the cloud listed them in. */
export function newestFirst(packages: readonly FirmwareSummary[]): FirmwareSummary[] {
  return packages.toSorted((a, b) => {
    const [x, y] = [a.utcCreate ?? '', b.utcCreate ?? ''];
    return x < y ? 1 : x > y ? -1 : 0;
  });
}

/** Each module's packages, newest first, modules in the order of their newest package. */
export function byModule(packages: readonly FirmwareSummary[]): Map<string, FirmwareSummary[]> {
  const modules = new Map<string, FirmwareSummary[]>();
  for (const p of newestFirst(packages)) {
    const list = modules.get(moduleOf(p)) ?? [];
    list.push(p);
    modules.set(moduleOf(p), list);
  }
  return modules;
}

/** The packages a plan must look up jobs for: neither among the `keep` newest nor the newest verified. */
export function pruneCandidates(packages: readonly FirmwareSummary[], keep: number): FirmwareSummary[] {
  checkKeep(keep);
  return [...byModule(packages).values()].flatMap((list) => {
    const verified = list.find((p) => p.status === 1);
    return list.slice(keep).filter((p) => p !== verified);
  });
}

export function planPrune(
  packages: readonly FirmwareSummary[],
  keep: number,
  unfinishedJobs: UnfinishedJobs,
): PrunePlan {
  checkKeep(keep);
  const toDelete: DoomedPackage[] = [];
  const kept: KeptPackage[] = [];
  for (const [module, list] of byModule(packages)) {
    const verified = list.find((p) => p.status === 1);
    list.forEach((p, index) => {
      const jobIds = index < keep || p === verified ? [] : unfinishedJobs(p.firmwareId);
      if (index < keep) kept.push({ package: p, module, reason: 'newest' });
      else if (p === verified) kept.push({ package: p, module, reason: 'newest-verified' });
      else if (jobIds.length > 0) kept.push({ package: p, module, reason: 'unfinished-job', jobIds });
      else toDelete.push({ package: p, module, reason: 'older' });
    });
  }
  return { keep, toDelete, kept };
}

/** Why a package stays, in words. */
export function keepReasonText(k: Pick<KeptPackage, 'reason' | 'jobIds'>, keep: number): Text {
  switch (k.reason) {
    case 'newest':
      return text(`among the ${keep} newest of its module`, `属于该模块最新的 ${keep} 个`);
    case 'newest-verified':
      return text('the newest verified package of its module', '该模块最新的已验证升级包');
    case 'unfinished-job': {
      const jobs = (k.jobIds ?? []).join(', ');
      return text(`has an unfinished job (${jobs})`, `有未结束的任务（${jobs}）`);
    }
  }
}
