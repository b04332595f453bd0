import { describe, expect, it } from 'vitest';
import type { OpenRequest } from '../../electron/core/contract.js';
import { EMPTY_FORM, wizardFile } from '../../renderer/src/wizard/draft.js';
import {
  FRESH_WIZARD,
  wizardReducer,
  type WizardAction,
  type WizardFormState,
} from '../../renderer/src/wizard/form-reducer.js';
import type { WizardFile, WizardForm } from '../../renderer/src/wizard/wizard-types.js';

const TARGET = { profile: 'sandbox', productKey: 'a1SandboxPK' } as const;

function state(patch: Partial<WizardFormState> = {}, form: Partial<WizardForm> = {}): WizardFormState {
  return { ...FRESH_WIZARD, ...patch, form: { ...EMPTY_FORM, ...TARGET, ...form } };
}

/** `start` after each action in turn. */
const after = (start: WizardFormState, ...actions: WizardAction[]): WizardFormState =>
  actions.reduce(wizardReducer, start);

/** A file just added, its run started at t = 1 s. */
function hashing(path: string, id = `hash-${path}`): WizardFile {
  const file = wizardFile({ path, name: '', size: 4096 }, id);
  return { ...file, hash: { ...file.hash, startedAt: 1_000 } };
}

function hashed(path: string): WizardFile {
  const file = hashing(path);
  return { ...file, hash: { ...file.hash, status: 'done', bytes: file.size, md5: 'm', sha256: 's' } };
}

describe('wizard form reducer: fields', () => {
  it('sets a field and marks the API field it is checked as, once typed in', () => {
    const s = after(state(), { type: 'set', key: 'desc', value: 'Night mode' });
    expect(s.form.desc).toBe('Night mode');
    expect(s.touched).toEqual({ FirmwareDesc: true });
    // A choice (not typed) marks nothing.
    expect(after(state(), { type: 'set', key: 'signMethod', value: 'SHA256' }).touched).toEqual({});
  });

  it('refreshes the suggested FirmwareName as product, module and version change', () => {
    const s = after(
      state({}, { productKey: '' }),
      { type: 'edit', key: 'productKey', value: 'a1PK' },
      { type: 'edit', key: 'destVersion', value: '1.2.0' },
    );
    expect(s.form.firmwareName).toBe('a1PK-1_2_0');
    const moduled = after(s, { type: 'edit', key: 'moduleName', value: 'app' });
    expect(moduled.form.firmwareName).toBe('app-1_2_0');
    expect(moduled.touched).toEqual({ ProductKey: true, DestVersion: true, ModuleName: true });
  });

  it('keeps a typed FirmwareName, and hands a cleared one back to the suggestion', () => {
    const typed = after(
      state({}, { destVersion: '1.2.0' }),
      { type: 'edit', key: 'firmwareName', value: 'mine' },
      { type: 'edit', key: 'destVersion', value: '1.3.0' },
    );
    expect(typed.form).toMatchObject({ firmwareName: 'mine', firmwareNameEdited: true });
    expect(typed.touched.FirmwareName).toBe(true);
    const cleared = after(typed, { type: 'edit', key: 'firmwareName', value: '' });
    expect(cleared.form).toMatchObject({ firmwareName: 'a1SandboxPK-1_3_0', firmwareNameEdited: false });
  });

  it('fills an empty ProductKey from the profile’s recent product, never over a typed one', () => {
    const choose = { type: 'chooseProfile', profile: 'tuya-eu', recentProduct: 'a1RecentPK' } as const;
    expect(after(state({}, { productKey: '' }), choose).form).toMatchObject({
      profile: 'tuya-eu',
      productKey: 'a1RecentPK',
    });
    expect(after(state(), choose).form.productKey).toBe('a1SandboxPK');
    const none = { ...choose, recentProduct: undefined };
    expect(after(state({}, { productKey: '' }), none).form.productKey).toBe('');
  });
});

describe('wizard form reducer: files and hashing', () => {
  it('adds files (clearing the no-path notice), renames and removes them', () => {
    const s = after(
      state(),
      { type: 'pathsMissing' },
      { type: 'addFiles', files: [hashing('/fw/a.bin', 'a'), hashing('/fw/b.bin', 'b')] },
    );
    expect(s.filesNotice).toBeNull();
    expect(after(state(), { type: 'pathsMissing' }).filesNotice).toBe('no-path');
    const renamed = after(
      s,
      { type: 'renameFile', id: 'b', name: 'second' },
      { type: 'removeFile', id: 'a' },
    );
    expect(renamed.form.files.map((f) => [f.id, f.name])).toEqual([['b', 'second']]);
  });

  it('folds progress into size, bytes and rate, and ignores progress after the run ended', () => {
    const s = after(state({}, { files: [hashing('/fw/a.bin', 'a')] }), {
      type: 'hash',
      id: 'a',
      event: { kind: 'progress', bytes: 2_000_000, total: 8_000_000, at: 3_000 },
    });
    // startedAt is 1 000: 2 MB in 2 s.
    expect(s.form.files[0]).toMatchObject({ size: 8_000_000, hash: { bytes: 2_000_000, rate: 1_000_000 } });

    const done = after(state({}, { files: [hashed('/fw/a.bin')] }));
    const late = { kind: 'progress', bytes: 1, total: 1, at: 5_000 } as const;
    expect(after(done, { type: 'hash', id: done.form.files[0]!.id, event: late })).toEqual(done);
  });

  it('records the digests when done, and a failure as Text in both languages', () => {
    const start = state({}, { files: [hashing('/fw/a.bin', 'a')] });
    const fingerprint = { path: '/fw/a.bin', name: 'a.bin', size: 10, mtimeMs: 0, md5: 'md5', sha256: 'sha' };
    const done = after(start, { type: 'hash', id: 'a', event: { kind: 'done', fingerprint } });
    expect(done.form.files[0]).toMatchObject({
      size: 10,
      hash: { status: 'done', bytes: 10, md5: 'md5', sha256: 'sha' },
    });

    const error = { en: 'Permission denied', zh: '权限不足' };
    const failed = after(start, { type: 'hash', id: 'a', event: { kind: 'failed', error } });
    expect(failed.form.files[0]!.hash).toMatchObject({ status: 'failed', error });
  });

  it('leaves the state as it is for a run of a file no longer listed', () => {
    const s = state({}, { files: [hashing('/fw/a.bin', 'a')] });
    const error = { en: 'cancelled', zh: '已取消' };
    expect(wizardReducer(s, { type: 'hash', id: 'gone', event: { kind: 'failed', error } })).toBe(s);
  });
});

describe('wizard form reducer: steps', () => {
  it('advances through the steps but never into progress, and marks a refused step', () => {
    expect(after(state(), { type: 'advance' }).step).toBe('files');
    expect(after(state({ step: 'review' }), { type: 'advance' }).step).toBe('review');
    expect(after(state(), { type: 'refuse', step: 'target' }).attempted).toEqual({ target: true });
  });

  it('goes back, except from the first step and from progress', () => {
    expect(after(state({ step: 'version' }), { type: 'back' }).step).toBe('files');
    expect(after(state(), { type: 'back' }).step).toBe('target');
    expect(after(state({ step: 'progress' }), { type: 'back' }).step).toBe('progress');
  });

  it('jumps back freely, forward only over valid steps, and never to or from progress', () => {
    const goTo = (step: WizardFormState['step']) => ({ type: 'goTo', step, dialect: 'aliyun' }) as const;
    expect(after(state({ step: 'udi' }), goTo('target')).step).toBe('target');

    const stopped = after(state(), goTo('review'));
    expect(stopped).toMatchObject({ step: 'files', attempted: { files: true } });

    const filled = state(
      {},
      { files: [hashed('/fw/a.bin')], destVersion: '1.0.0', firmwareName: 'app-1_0_0' },
    );
    expect(after(filled, goTo('review')).step).toBe('review');
    expect(after(filled, goTo('progress')).step).toBe('target');
    expect(after(state({ step: 'progress' }), goTo('target')).step).toBe('progress');
  });
});

describe('wizard form reducer: submitting', () => {
  it('tracks a submission to the progress step, or the error that stopped it', () => {
    const error = { kind: 'network', message: { en: 'offline', zh: '离线' } };
    const sending = after(state({ step: 'review', submitError: error }), { type: 'submitting' });
    expect(sending).toMatchObject({ submitting: true, submitError: null });
    expect(after(sending, { type: 'submitted', jobId: 'job-1' })).toMatchObject({
      submitting: false,
      jobId: 'job-1',
      step: 'progress',
    });
    expect(after(sending, { type: 'submitFailed', error })).toMatchObject({
      submitting: false,
      submitError: error,
    });
  });

  it('keeps a submission in flight when adding files fails meanwhile', () => {
    const error = { kind: 'io', message: { en: 'gone', zh: '不存在' } };
    const s = after(state(), { type: 'submitting' }, { type: 'filesFailed', error });
    expect(s).toMatchObject({ submitting: true, submitError: error });
  });

  it('remembers the chosen mode', () => {
    expect(after(state(), { type: 'setMode', mode: 'queue' }).mode).toBe('queue');
  });
});

describe('wizard form reducer: opening and starting over', () => {
  const recipe: NonNullable<OpenRequest['recipe']> = {
    path: '/build/cam.otapub',
    spec: { destVersion: '2.1.0', signMethod: 'SHA256' },
    files: [],
    profile: 'tuya-eu',
  };
  const problems = [{ en: 'refused', zh: '已拒绝' }];
  const used = state(
    { step: 'version', jobId: 'job-1', touched: { Udi: true } },
    { files: [hashed('/fw/old.bin')], desc: 'left over', udi: 'old' },
  );

  it('opening plain files goes back to the first step and keeps the draft', () => {
    const s = after(used, { type: 'openFiles' });
    expect(s).toMatchObject({ step: 'target', jobId: null, form: used.form, touched: used.touched });
  });

  it('a recipe starts a fresh draft on the same target, and asks about a different profile', () => {
    const s = after(used, { type: 'openRecipe', recipe, problems });
    expect(s).toMatchObject({ step: 'target', jobId: null, touched: {} });
    expect(s.form).toEqual({
      ...EMPTY_FORM,
      ...TARGET,
      destVersion: '2.1.0',
      signMethod: 'SHA256',
      firmwareName: 'a1SandboxPK-2_1_0',
    });
    expect(s.recipe).toEqual({ path: recipe.path, askedProfile: 'tuya-eu', problems });

    for (const profile of ['sandbox', undefined]) {
      const same = after(used, { type: 'openRecipe', recipe: { ...recipe, profile }, problems });
      expect(same.recipe?.askedProfile).toBeNull();
    }
  });

  it('settles the profile question, and closes the notice', () => {
    const opened = after(used, { type: 'openRecipe', recipe, problems });
    const answered = after(opened, { type: 'recipeProfileAnswered' });
    expect(answered.recipe).toEqual({ ...opened.recipe, askedProfile: null });
    expect(after(answered, { type: 'dismissRecipe' }).recipe).toBeNull();
    const none = state();
    expect(wizardReducer(none, { type: 'recipeProfileAnswered' })).toBe(none);
  });

  it('starts over on the same target, on the Files step, with the next version suggested', () => {
    // "Publish another" keeps profile, product, module and sign settings; new files, new version.
    expect(after(used, { type: 'reset' })).toEqual(
      state({ step: 'files' }, { destVersion: '', firmwareName: '' }),
    );
    const published = state(
      { step: 'progress', jobId: 'job-1' },
      { moduleName: 'wifi', destVersion: '1.2.9', signMethod: 'SHA256', needToVerify: false, udi: 'x' },
    );
    expect(after(published, { type: 'reset' })).toEqual(
      state(
        { step: 'files' },
        {
          moduleName: 'wifi',
          destVersion: '1.2.10',
          firmwareName: 'wifi-1_2_10',
          signMethod: 'SHA256',
          needToVerify: false,
        },
      ),
    );
    // Without a valid target it starts where that is entered.
    expect(after(state({}, { productKey: '' }), { type: 'reset' }).step).toBe('target');
  });
});
