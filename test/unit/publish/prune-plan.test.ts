import { describe, expect, it } from 'vitest';
import type { FirmwareSummary } from '../../../electron/core/cloud/iot-client.js';
import {
  keepReasonText,
  planPrune,
  pruneCandidates,
  type PrunePlan,
} from '../../../electron/core/publish/packages/prune-plan.js';

/** Package `id` of `module`, created `minute` minutes past the hour. */
function pkg(id: string, minute: number, extra: Partial<FirmwareSummary> = {}): FirmwareSummary {
  const at = new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();
  return { firmwareId: id, firmwareName: id, destVersion: `1.${minute}`, utcCreate: at, status: 0, ...extra };
}

const none = (): readonly string[] => [];
const ids = (plan: PrunePlan) => ({
  deleted: plan.toDelete.map((d) => d.package.firmwareId),
  kept: Object.fromEntries(plan.kept.map((k) => [k.package.firmwareId, k.reason])),
});

describe('planPrune', () => {
  it('keeps the N newest of each module and deletes the older ones, whatever order they come in', () => {
    const packages = [
      pkg('d1', 1),
      pkg('d3', 3),
      pkg('w1', 1, { moduleName: 'wifi' }),
      pkg('d2', 2),
      pkg('w2', 2, { moduleName: 'wifi' }),
      pkg('d4', 4, { moduleName: '' }),
    ];
    const plan = planPrune(packages, 2, none);
    expect(ids(plan)).toEqual({
      deleted: ['d2', 'd1'],
      kept: { d4: 'newest', d3: 'newest', w2: 'newest', w1: 'newest' },
    });
    expect(plan.toDelete.every((d) => d.reason === 'older' && d.module === 'default')).toBe(true);
  });

  it('never deletes a package with an unfinished job', () => {
    const jobs: Record<string, string[]> = { d1: ['job-1'] };
    const plan = planPrune([pkg('d1', 1), pkg('d2', 2), pkg('d3', 3)], 1, (id) => jobs[id] ?? []);
    expect(ids(plan)).toEqual({ deleted: ['d2'], kept: { d3: 'newest', d1: 'unfinished-job' } });
    expect(plan.kept.find((k) => k.reason === 'unfinished-job')?.jobIds).toEqual(['job-1']);
  });

  it('keeps the newest verified package of each module even when older than the N newest', () => {
    const packages = [
      pkg('d1', 1, { status: 1 }),
      pkg('d2', 2, { status: 1 }),
      pkg('d3', 3, { status: 3 }),
      pkg('d4', 4, { status: 0 }),
      pkg('w1', 1, { moduleName: 'wifi', status: 1 }),
      pkg('w2', 2, { moduleName: 'wifi', status: 1 }),
    ];
    const plan = planPrune(packages, 1, none);
    // d2 is the newest verified of "default"; w2 is kept as newest and is the newest verified too.
    expect(ids(plan)).toEqual({
      deleted: ['d3', 'd1', 'w1'],
      kept: { d4: 'newest', d2: 'newest-verified', w2: 'newest' },
    });
  });

  it('counts a package that needs no verification (Status -1) as one devices can take', () => {
    const packages = [pkg('d1', 1, { status: -1 }), pkg('d2', 2, { status: 0 }), pkg('d3', 3, { status: 0 })];
    expect(ids(planPrune(packages, 1, none))).toEqual({
      deleted: ['d2'],
      kept: { d3: 'newest', d1: 'newest-verified' },
    });
  });

  it('asks for the jobs of the candidates only', () => {
    const asked: string[] = [];
    const packages = [pkg('d1', 1), pkg('d2', 2, { status: 1 }), pkg('d3', 3), pkg('d4', 4)];
    planPrune(packages, 2, (id) => (asked.push(id), []));
    expect(asked).toEqual(['d1']);
    expect(pruneCandidates(packages, 2).map((p) => p.firmwareId)).toEqual(['d1']);
  });

  it('deletes nothing when every module has no more than N', () => {
    const plan = planPrune([pkg('d1', 1), pkg('w1', 1, { moduleName: 'wifi' })], 3, none);
    expect(plan.toDelete).toEqual([]);
    expect(plan.kept).toHaveLength(2);
  });

  it('orders packages of the same instant as the cloud listed them (newest first)', () => {
    const plan = planPrune([pkg('b', 1), pkg('a', 1)], 1, none);
    expect(ids(plan)).toEqual({ deleted: ['a'], kept: { b: 'newest' } });
  });

  it('refuses a keep that is not a positive integer', () => {
    for (const keep of [0, -1, 1.5, Number.NaN])
      expect(() => planPrune([], keep, none)).toThrow(/keep must be a positive integer/);
  });

  it('says why a package stays, in English and Chinese', () => {
    expect(keepReasonText({ reason: 'newest' }, 3).en).toBe('among the 3 newest of its module');
    expect(keepReasonText({ reason: 'unfinished-job', jobIds: ['j1', 'j2'] }, 3)).toEqual({
      en: 'has an unfinished job (j1, j2)',
      zh: '有未结束的任务（j1, j2）',
    });
    expect(keepReasonText({ reason: 'newest-verified' }, 3).zh).toBe(
      '该模块最新的可升级升级包（已验证或无需验证）',
    );
  });
});
