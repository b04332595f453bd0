import { describe, expect, it } from 'vitest';
import { CloudError } from '../../../electron/core/cloud/errors.js';
import { text } from '../../../electron/core/i18n/text.js';
import { JobHeld } from '../../../electron/core/publish/job/held.js';
import { isSettledJob, needsWork, type Job, type JobState } from '../../../electron/core/publish/job/job.js';
import {
  cancelled,
  heldFor,
  moved,
  retried,
  settled,
  started,
  verifyRequested,
} from '../../../electron/core/publish/job/transitions.js';
import { newVerification, type Verification } from '../../../electron/core/publish/verify/verification.js';
import { refusal } from '../../../electron/core/publish/outbox/requests.js';
import { sampleJob } from './fixtures.js';

const job = (changes: Partial<Job> = {}): Job => ({ ...sampleJob('t_1'), ...changes });
const cloud = (kind: CloudError['kind']) =>
  new CloudError({ kind, action: 'CreateOTAFirmware', hint: text('h', 'h') });
const not = { cancelled: false, interrupted: false };

describe('job transitions', () => {
  it('a pass that fails: offline and transient errors queue it again, anything else fails it', () => {
    const running = started(job());
    expect(running.state).toBe('running');
    expect(settled(running, cloud('network'), not)).toMatchObject({
      job: { state: 'queued' },
      retry: 'network',
    });
    expect(settled(running, cloud('throttled'), not)).toMatchObject({
      job: { state: 'queued' },
      retry: 'transient',
    });
    const failed = settled(running, cloud('rejected'), not);
    expect(failed).toMatchObject({ job: { state: 'failed', error: { kind: 'rejected' } }, retry: 'none' });
    expect(failed.job.attempts).toHaveLength(1);
  });

  it('a cancel holds only while no create may have been sent; shutdown resumes where it stopped', () => {
    const cancel = { cancelled: true, interrupted: true };
    expect(settled(started(job()), new Error('abort'), cancel).job.state).toBe('cancelled');
    expect(settled(started(job({ createSentAt: 1 })), new Error('abort'), cancel).job.state).toBe('queued');
    const stopped = settled(started(job()), new Error('abort'), { cancelled: false, interrupted: true });
    expect(stopped).toMatchObject({ job: { state: 'queued' }, retry: 'none' });
    expect(stopped.job.attempts).toHaveLength(0);
  });

  it('holds a job with its reason once (no rewrite while the reason stays the same)', () => {
    const held = new JobHeld('TargetChanged', text('Held: moved.', '已暂停。'), text('Fix it.', '修正。'));
    const first = heldFor(started(job()), held)!;
    expect(first).toMatchObject({ state: 'queued', error: { kind: 'held', code: 'TargetChanged' } });
    expect(heldFor(first, held)).toBeUndefined();
  });

  it('retry queues failed and cancelled jobs again and leaves a queued one as it is', () => {
    expect(retried(job({ state: 'failed' }))?.state).toBe('queued');
    expect(retried(job({ state: 'cancelled' }))?.state).toBe('queued');
    expect(retried(job({ state: 'queued' }))).toBeUndefined();
  });
});

describe('request rules (app and CLI alike)', () => {
  it.each<[JobState, Partial<Job>, boolean, boolean]>([
    // state, changes, cancel allowed, retry allowed
    ['queued', {}, true, true],
    ['running', {}, true, false],
    ['running', { createSentAt: 5 }, false, false],
    ['failed', {}, false, true],
    ['cancelled', {}, false, true],
    ['published', {}, false, false],
  ])('%s %o: cancel %s, retry %s', (state, changes, cancel, retry) => {
    const j = job({ state, ...changes });
    expect(refusal(j, 'cancel') === undefined).toBe(cancel);
    expect(refusal(j, 'retry') === undefined).toBe(retry);
  });

  it('says the rule it enforces, in both languages', () => {
    const why = refusal(job({ state: 'running' }), 'retry')!;
    expect(why.en).toContain('only a failed, cancelled or queued job can be retried');
    expect(why.zh).toMatch(/失败、已取消或排队中/);
    const published = refusal(job({ state: 'published', firmwareId: 'fw-1' }), 'retry')!;
    expect(published.en).toContain('only a verification on devices can be started or retried');
    expect(published.zh).toContain('只能开始或重试设备验证');
  });
});

describe('request rules for a created package', () => {
  it('never cancels a job whose package exists, and says a finished job is finished', () => {
    const created = job({ state: 'queued', firmwareId: 'fw-1' });
    expect(refusal(created, 'cancel')?.en).toContain('fw-1');
    const failedMidCreate = job({ state: 'failed', createSentAt: 5 });
    expect(refusal(failedMidCreate, 'cancel')?.en).toContain('already failed');
  });
});

describe('a published job and its verification on devices', () => {
  const verification = (state: Verification['state']): Verification => ({
    ...newVerification('fw-1', 'pk', ['bench-01']),
    jobId: 'vj-1',
    state,
  });
  const published = (v?: Verification): Job =>
    job({ state: 'published', firmwareId: 'fw-1', verifyOn: { devices: ['bench-01'] }, verification: v });

  it('needs work until its verification settles, and only then may be archived', () => {
    expect(needsWork(published())).toBe(true);
    expect(needsWork(published(verification('running')))).toBe(true);
    expect(needsWork(published(verification('failed')))).toBe(false);
    expect(isSettledJob(published(verification('running')))).toBe(false);
    expect(isSettledJob(published(verification('verified')))).toBe(true);
    expect(started(published()).state).toBe('published');
  });

  it('cancel and retry act on the verification; verify is refused while one runs or once verified', () => {
    const running = published(verification('running'));
    expect(refusal(running, 'cancel')).toBeUndefined();
    expect(cancelled(running)).toMatchObject({ state: 'published', verification: { request: 'cancel' } });
    expect(refusal(running, 'verify')?.en).toContain('being verified');
    expect(refusal(running, 'retry')).toBeDefined();
    const failed = published(verification('failed'));
    expect(refusal(failed, 'retry')).toBeUndefined();
    expect(retried(failed)).toMatchObject({ verification: { request: 'retry-failed' } });
    expect(refusal(failed, 'verify')).toBeUndefined();
    expect(refusal(published(verification('verified')), 'verify')?.en).toContain('verified');
    expect(refusal(job({ state: 'queued' }), 'verify')?.en).toContain('no package yet');
    const asked = verifyRequested(published(), { devices: ['bench-02'] });
    expect(asked.verifyOn).toEqual({ devices: ['bench-02'] });
    expect(asked.verification).toBeUndefined();
  });

  it('a failed round keeps the job published: transient errors retry, a refusal ends the verification', () => {
    const running = published(verification('running'));
    expect(settled(running, cloud('network'), not)).toMatchObject({
      job: { state: 'published' },
      retry: 'network',
    });
    const refused = settled(running, cloud('rejected'), not);
    expect(refused.retry).toBe('none');
    expect(refused.job.state).toBe('published');
    expect(refused.job.verification).toMatchObject({ state: 'failed', problem: { kind: 'rejected' } });
  });
});

describe('moving a job to another profile', () => {
  const to = { profile: 'lab', target: { dialect: 'tuya' as const, endpoint: 'https://lab.example' } };

  it('only while nothing of it is in a cloud; its uploads start over there', () => {
    const uploaded = job({ state: 'queued', uploads: [{ url: 'https://old/oss/x', uploadedAt: 1 }] });
    expect(refusal(uploaded, 'move')).toBeUndefined();
    const moved_ = moved(uploaded, to);
    expect(moved_).toMatchObject({ profile: 'lab', target: to.target, state: 'queued', uploads: [null] });
    expect(refusal(job({ state: 'failed' }), 'move')).toBeUndefined();
    expect(refusal(job({ state: 'queued', createSentAt: 5 }), 'move')?.en).toContain('cannot move');
    expect(refusal(job({ state: 'queued', firmwareId: 'fw' }), 'move')?.zh).toContain('无法改用');
    expect(refusal(job({ state: 'running' }), 'move')).toBeDefined();
  });

  it('checks the new cloud again before uploading: the old pre-flight pass is dropped, its options kept', () => {
    const passed = job({
      state: 'failed',
      preflight: { strict: true, createModule: true, passedAt: 1, warnings: [], createdModule: 'wifi' },
    });
    expect(moved(passed, to).preflight).toEqual({ strict: true, createModule: true });
  });
});
