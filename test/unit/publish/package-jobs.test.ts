import { describe, expect, it } from 'vitest';
import type { OtaJobInfo, Page } from '../../../electron/core/cloud/bench-types.js';
import { isUnfinishedJob, listAllJobs } from '../../../electron/core/publish/packages/package-detail.js';

/** A cloud that holds `count` jobs of one package and answers pages of them as ListOTAJobByFirmware does. */
function jobsCloud(count: number) {
  const asked: number[] = [];
  const jobs: OtaJobInfo[] = Array.from({ length: count }, (_, i) => ({
    jobId: `job-${i}`,
    jobType: 'verify',
    jobStatus: 'COMPLETED',
  }));
  return {
    asked,
    async listOtaJobByFirmware(q: {
      firmwareId: string;
      currentPage: number;
      pageSize: number;
    }): Promise<Page<OtaJobInfo>> {
      asked.push(q.currentPage);
      const items = jobs.slice((q.currentPage - 1) * q.pageSize, q.currentPage * q.pageSize);
      return {
        total: count,
        currentPage: q.currentPage,
        pageSize: q.pageSize,
        pageCount: Math.ceil(count / q.pageSize),
        items,
      };
    },
  };
}

describe('listAllJobs', () => {
  it('reads every page of a package with more than 100 jobs', async () => {
    const cloud = jobsCloud(250);
    const jobs = await listAllJobs(cloud, 'fw');
    expect(jobs.map((j) => j.jobId)).toEqual(Array.from({ length: 250 }, (_, i) => `job-${i}`));
    expect(cloud.asked).toEqual([1, 2, 3]);
  });

  it('stops after a full last page without asking for an empty one', async () => {
    const cloud = jobsCloud(200);
    expect(await listAllJobs(cloud, 'fw')).toHaveLength(200);
    expect(cloud.asked).toEqual([1, 2]);
  });
});

describe('isUnfinishedJob', () => {
  it('counts every status but COMPLETED and CANCELED as unfinished', () => {
    const unfinished = (['PLANNED', 'IN_PROGRESS', 'UNKNOWN', 'COMPLETED', 'CANCELED'] as const).filter((s) =>
      isUnfinishedJob({ jobStatus: s }),
    );
    expect(unfinished).toEqual(['PLANNED', 'IN_PROGRESS', 'UNKNOWN']);
  });
});
