import { describe, expect, it, vi } from 'vitest';
import { CloudError, cancelledError } from '../../../electron/core/cloud/errors.js';
import { AttemptState } from '../../../electron/core/cloud/oss-upload/phase.js';

interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every pending promise callback run. */
const settled = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** An attempt whose body, answer and verification the test resolves by hand. */
function attempt() {
  const state = new AttemptState<string>();
  const body = deferred<number | undefined>();
  const answer = deferred<string>();
  const verification = deferred<string>();
  const verify = vi.fn((_sent: number, _answer: string) => verification.promise);
  const stop = vi.fn();
  state.whenOver(stop);
  state.settleWhen(body.promise, answer.promise, verify);
  // The outcome is inspected after the fact; keep a rejection from counting as unhandled.
  const outcome = state.outcome.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  return { state, body, answer, verification, verify, stop, outcome };
}

const expiredError = new CloudError({
  kind: 'policy-expired',
  action: 'PostObject',
  hint: { en: 'h', zh: 'h' },
});

describe('AttemptState', () => {
  it('sending → awaiting-response → verifying → done, stopping once with failed = false', async () => {
    const a = attempt();
    expect(a.state.phase).toBe('sending');
    a.body.resolve(42);
    await settled();
    expect(a.state.phase).toBe('awaiting-response');
    a.answer.resolve('accepted');
    await settled();
    expect(a.state.phase).toBe('verifying');
    expect(a.verify).toHaveBeenCalledWith(42, 'accepted');
    expect(a.stop).not.toHaveBeenCalled();
    a.verification.resolve('result');
    expect(await a.outcome).toEqual({ value: 'result' });
    expect(a.state.phase).toBe('done');
    expect(a.stop).toHaveBeenCalledTimes(1);
    expect(a.stop).toHaveBeenCalledWith(false);
  });

  it('a success that comes before the body waits for it', async () => {
    const a = attempt();
    a.answer.resolve('accepted');
    await settled();
    expect(a.state.phase).toBe('sending');
    expect(a.verify).not.toHaveBeenCalled();
    a.body.resolve(7);
    await settled();
    expect(a.verify).toHaveBeenCalledWith(7, 'accepted');
    a.verification.resolve('result');
    expect(await a.outcome).toEqual({ value: 'result' });
  });

  it('an error answer while sending fails at once; the body that ends later changes nothing', async () => {
    const a = attempt();
    a.answer.reject(expiredError);
    await settled();
    expect(a.state.phase).toBe('failed');
    expect(await a.outcome).toEqual({ error: expiredError });
    expect(a.stop).toHaveBeenCalledWith(true);
    a.body.resolve(7);
    await settled();
    expect(a.verify).not.toHaveBeenCalled();
    expect(a.stop).toHaveBeenCalledTimes(1);
  });

  it('fail stops synchronously, and the first failure wins over later ones and a late verification', async () => {
    const a = attempt();
    a.body.resolve(1);
    a.answer.resolve('accepted');
    await settled();
    expect(a.state.phase).toBe('verifying');
    const cancelled = cancelledError('PostObject');
    a.state.fail(cancelled);
    expect(a.stop).toHaveBeenCalledWith(true);
    a.state.fail(expiredError);
    a.verification.resolve('too late');
    await settled();
    expect(await a.outcome).toEqual({ error: cancelled });
    expect(a.state.phase).toBe('failed');
    expect(a.stop).toHaveBeenCalledTimes(1);
  });

  it('a body that stopped because the attempt was over is never verified', async () => {
    const a = attempt();
    a.state.fail(cancelledError('PostObject'));
    a.body.resolve(undefined);
    a.answer.resolve('accepted');
    await settled();
    expect(a.verify).not.toHaveBeenCalled();
  });

  it('a rejection that is not a CloudError fails the attempt as a network error', async () => {
    const a = attempt();
    a.body.reject(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    const { error } = (await a.outcome) as { error: CloudError };
    expect(error).toBeInstanceOf(CloudError);
    expect(error).toMatchObject({ kind: 'network', action: 'PostObject', cloudMessage: 'EPIPE' });
  });

  it('a failing verification fails the attempt with its error', async () => {
    const a = attempt();
    a.body.resolve(1);
    a.answer.resolve('accepted');
    await settled();
    a.verification.reject(expiredError);
    expect(await a.outcome).toEqual({ error: expiredError });
    expect(a.stop).toHaveBeenCalledWith(true);
  });

  it('a stop registered once the attempt is over runs at once', () => {
    const state = new AttemptState<string>();
    state.fail(cancelledError('PostObject'));
    state.outcome.catch(() => undefined);
    const stop = vi.fn();
    state.whenOver(stop);
    expect(stop).toHaveBeenCalledWith(true);
  });
});
