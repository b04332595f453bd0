/**
 * The pre-flight's decision from fetched facts, the free-name suggestion, the dry-run plan, and
 * when the job step may run at all (never once anything of the job may have been sent).
 */
import { describe, expect, it } from 'vitest';
import type { FirmwareSummary } from '../../../electron/core/cloud/iot-client.js';
import type { CloudTarget } from '../../../electron/core/cloud/target.js';
import { newJob, update, type Job } from '../../../electron/core/publish/job/job.js';
import { STEPS, type WorkContext } from '../../../electron/core/publish/job/steps.js';
import {
  decidePreflight,
  type PreflightFacts,
  type PreflightVerdict,
} from '../../../electron/core/publish/preflight/decide.js';
import { buildDryRunPlan } from '../../../electron/core/publish/preflight/dry-run.js';
import { suggestFreeName } from '../../../electron/core/publish/preflight/free-name.js';
import type { FileFingerprint, FirmwareSpec } from '../../../electron/core/publish/spec.js';

const PK = 'a1uctKe1234';
const spec = (over: Partial<FirmwareSpec> = {}): FirmwareSpec => ({
  productKey: PK,
  firmwareName: 'app-2_0_0',
  destVersion: '2.0.0',
  type: 'full',
  signMethod: 'MD5',
  files: [{ path: '/fw/app.bin' }],
  ...over,
});
let ids = 0;
const pkg = (over: Partial<FirmwareSummary> = {}): FirmwareSummary => ({
  firmwareId: `fw${++ids}`,
  firmwareName: `old-${ids}`,
  destVersion: '1.0.0',
  moduleName: 'default',
  type: 'full',
  ...over,
});
const facts = (packages: FirmwareSummary[] = [], over: Partial<PreflightFacts> = {}): PreflightFacts => ({
  packages,
  packageCount: packages.length,
  modules: ['default', 'wifi'],
  ...over,
});
const rules = (v: PreflightVerdict) => ({
  refusals: v.refusals.map((f) => `${f.field}:${f.rule}`),
  warnings: v.warnings.map((f) => `${f.field}:${f.rule}`),
});

describe('decidePreflight', () => {
  it('passes a publish the cloud holds nothing against', () => {
    expect(decidePreflight(spec(), facts([pkg()]))).toEqual({ refusals: [], warnings: [] });
  });

  it('refuses a FirmwareName already used, suggesting a free one, in both languages', () => {
    const v = decidePreflight(spec(), facts([pkg({ firmwareName: 'app-2_0_0', destVersion: '1.9.0' })]));
    expect(rules(v)).toEqual({ refusals: ['FirmwareName:name-taken'], warnings: [] });
    expect(v.refusals[0]!.message.en).toContain('"app-2_0_0-2"');
    expect(v.refusals[0]!.message.zh).toContain('“app-2_0_0-2”');
  });

  it('refuses a missing module unless asked to create it; `default` always exists', () => {
    expect(rules(decidePreflight(spec({ moduleName: 'mcu' }), facts()))).toEqual({
      refusals: ['ModuleName:module-missing'],
      warnings: [],
    });
    const create = decidePreflight(spec({ moduleName: 'mcu' }), facts(), { createModule: true });
    expect(create).toMatchObject({ refusals: [], moduleToCreate: 'mcu' });
    expect(
      decidePreflight(spec({ moduleName: 'wifi' }), facts(), { createModule: true }).moduleToCreate,
    ).toBe(undefined);
    expect(decidePreflight(spec(), facts([], { modules: [] })).refusals).toEqual([]);
    expect(decidePreflight(spec({ moduleName: 'default' }), facts([], { modules: [] })).refusals).toEqual([]);
  });

  it('refuses a module that exists only in other letter case, even with createModule', () => {
    const v = decidePreflight(spec({ moduleName: 'WiFi' }), facts(), { createModule: true });
    expect(rules(v).refusals).toEqual(['ModuleName:module-case']);
    expect(v.refusals[0]!.message.en).toContain('"wifi"');
    expect(v.moduleToCreate).toBeUndefined();
  });

  it('creates nothing when another rule refuses the publish', () => {
    const v = decidePreflight(spec({ moduleName: 'mcu' }), facts([pkg({ firmwareName: 'app-2_0_0' })]), {
      createModule: true,
    });
    expect(v.moduleToCreate).toBeUndefined();
  });

  it('warns of the same package again (module, DestVersion, kind); strict refuses it', () => {
    const published = facts([pkg({ destVersion: '2.0.0' })]);
    expect(rules(decidePreflight(spec(), published))).toEqual({
      refusals: [],
      warnings: ['DestVersion:version-published'],
    });
    expect(rules(decidePreflight(spec(), published, { strict: true }))).toEqual({
      refusals: ['DestVersion:version-published'],
      warnings: [],
    });
    // Another module, or a differential package next to the full one, is not a repeat.
    expect(decidePreflight(spec({ moduleName: 'wifi' }), published).warnings).toEqual([]);
    const diff = spec({ type: 'diff', srcVersion: '1.0.0' });
    const withSource = facts([pkg({ destVersion: '2.0.0' }), pkg({ destVersion: '1.0.0' })]);
    expect(decidePreflight(diff, withSource).warnings).toEqual([]);
    const sameDiff = facts([
      pkg({ destVersion: '1.0.0' }),
      pkg({ destVersion: '2.0.0', type: 'diff', srcVersion: '1.0.0' }),
    ]);
    expect(rules(decidePreflight(diff, sameDiff)).warnings).toEqual(['DestVersion:version-published']);
  });

  it('warns of a SrcVersion no package of the module leads to', () => {
    const diff = spec({ type: 'diff', srcVersion: '1.5.0', moduleName: 'wifi' });
    const otherModule = facts([pkg({ destVersion: '1.5.0', moduleName: 'default' })]);
    expect(rules(decidePreflight(diff, otherModule)).warnings).toEqual(['SrcVersion:src-version-unknown']);
    const known = facts([pkg({ destVersion: '1.5.0', moduleName: 'wifi' })]);
    expect(decidePreflight(diff, known).warnings).toEqual([]);
    // A package listed without a module is the default module's.
    const unnamed = facts([pkg({ destVersion: '1.5.0', moduleName: undefined })]);
    expect(decidePreflight({ ...diff, moduleName: undefined }, unnamed).warnings).toEqual([]);
  });

  it('counts packages against 500: quiet to 449, a warning from 450, a refusal naming prune at 500', () => {
    const at = (count: number) => decidePreflight(spec(), facts([], { packageCount: count }));
    expect(rules(at(449))).toEqual({ refusals: [], warnings: [] });
    expect(rules(at(450)).warnings).toEqual(['ProductKey:package-count']);
    expect(at(450).warnings[0]!.message.en).toContain('50 more can be created');
    expect(rules(at(499)).warnings).toEqual(['ProductKey:package-count']);
    expect(rules(at(500)).refusals).toEqual(['ProductKey:package-count']);
    expect(at(500).refusals[0]!.message.en).toContain(`ota-publish packages prune --product ${PK} --keep N`);
    expect(at(500).refusals[0]!.message.zh).toContain(`ota-publish packages prune --product ${PK} --keep N`);
    expect(rules(at(612)).refusals).toEqual(['ProductKey:package-count']);
  });
});

describe('suggestFreeName', () => {
  it('adds -2, -3, … until the name is free', () => {
    expect(suggestFreeName('app-1_0_1', ['app-1_0_1'])).toBe('app-1_0_1-2');
    expect(suggestFreeName('app-1_0_1', ['app-1_0_1', 'app-1_0_1-2', 'app-1_0_1-3'])).toBe('app-1_0_1-4');
    expect(suggestFreeName('app-1_0_1', ['other'])).toBe('app-1_0_1');
    expect(suggestFreeName('固件', ['固件'])).toBe('固件-2');
  });

  it('keeps within 40 characters (counted as code points) and the FirmwareName rules', () => {
    const long = 'a'.repeat(40);
    expect(suggestFreeName(long, [long])).toBe(`${'a'.repeat(38)}-2`);
    const han = '固'.repeat(40);
    expect([...suggestFreeName(han, [han])!]).toHaveLength(40);
    expect(suggestFreeName('', [])).toBeUndefined();
    expect(suggestFreeName('-bad', ['-bad'])).toBeUndefined();
  });
});

const fingerprint = (path: string, size: number): FileFingerprint => ({
  path,
  name: path.split('/').pop()!,
  size,
  mtimeMs: 1,
  md5: 'a'.repeat(32),
  sha256: 'b'.repeat(64),
});
const target: CloudTarget = { dialect: 'aliyun', endpoint: 'https://iot.cn-shanghai.aliyuncs.com' };

describe('buildDryRunPlan', () => {
  it('lists each upload (FileSuffix, PostObject fields with placeholders), then CreateOTAFirmware', () => {
    const files = [fingerprint('/fw/a.bin', 10), fingerprint('/fw/b.tar.gz', 20)];
    const s = spec({ signMethod: 'SHA256', files: files.map((f) => ({ path: f.path })) });
    const plan = buildDryRunPlan(
      { spec: s, files },
      {
        target: { ...target, instanceId: 'iot-cn-abc123' },
        verdict: { refusals: [], warnings: [] },
        verify: false,
      },
    );
    expect(plan.calls.map((c) => `${c.action}${c.write ? '' : ' (read)'}`)).toEqual([
      'GenerateOTAUploadURL',
      'PostObject',
      'GenerateOTAUploadURL',
      'PostObject',
      'CreateOTAFirmware',
    ]);
    expect(plan.calls[2]!.params).toEqual({ FileSuffix: 'tar.gz', IotInstanceId: 'iot-cn-abc123' });
    expect(plan.calls[3]!.params).toEqual({
      key: '<Key from GenerateOTAUploadURL #2>',
      OSSAccessKeyId: '<OSSAccessKeyId from GenerateOTAUploadURL #2>',
      policy: '<Policy from GenerateOTAUploadURL #2>',
      Signature: '<Signature from GenerateOTAUploadURL #2>',
      success_action_status: '200',
      file: 'b.tar.gz (20 bytes)',
    });
    expect(plan.calls[4]!.params).toMatchObject({
      'MultiFiles.2.Name': 'b.tar.gz',
      'MultiFiles.2.Url': '<FirmwareUrl from GenerateOTAUploadURL #2>',
      'MultiFiles.2.Size': '20',
      'MultiFiles.2.SignValue': 'b'.repeat(64),
      'MultiFiles.2.FileMd5': 'a'.repeat(32),
      SignMethod: 'SHA256',
      IotInstanceId: 'iot-cn-abc123',
    });
  });

  it('adds CreateOTAModule first when the pre-flight would create it, and CreateOTAVerifyJob last', () => {
    const files = [fingerprint('/fw/a.bin', 10)];
    const plan = buildDryRunPlan(
      { spec: spec({ moduleName: 'mcu' }), files },
      {
        target,
        verdict: { refusals: [], warnings: [], moduleToCreate: 'mcu' },
        verifyOn: { devices: ['d1', 'd2'], timeoutMinutes: 5 },
      },
    );
    expect(plan.calls.map((c) => c.action)).toEqual([
      'CreateOTAModule',
      'GenerateOTAUploadURL',
      'PostObject',
      'CreateOTAFirmware',
      'QueryOTAFirmware',
      'CreateOTAVerifyJob',
    ]);
    expect(plan.calls.at(-1)!.params).toEqual({
      FirmwareId: '<FirmwareId from CreateOTAFirmware>',
      ProductKey: PK,
      'TargetDeviceName.1': 'd1',
      'TargetDeviceName.2': 'd2',
      TimeoutInMinutes: '5',
    });
  });
});

describe('the pre-flight step runs only while nothing of the job may have been sent', () => {
  const ctx = {} as WorkContext;
  const first = (job: Job) => STEPS.find((s) => s.applies(job, ctx))?.name;
  const fresh = newJob({ spec: spec(), files: [fingerprint('/fw/app.bin', 10)] }, target);
  const upload = { url: 'https://x.oss-cn-shanghai.aliyuncs.com/k', uploadedAt: Date.now() };

  it('runs first for a new job, and not again once it passed', () => {
    expect(first(fresh)).toBe('preflight');
    expect(first(update(fresh, { preflight: { passedAt: Date.now() } }))).toBe('upload');
  });

  it('never runs once an upload began, an upload is kept, or a create was sent or answered', () => {
    // Each as a job of a version without the pre-flight might have left it: no pass recorded.
    expect(first(update(fresh, { step: { kind: 'uploading', file: 1, of: 1 } }))).toBe('upload');
    expect(first(update(fresh, { uploads: [upload] }))).toBe('create');
    expect(first(update(fresh, { uploads: [upload], createSentAt: Date.now() }))).toBe('reconcile');
    expect(first(update(fresh, { createSentAt: Date.now() }))).toBe('reconcile');
    expect(first(update(fresh, { createAttempts: 1 }))).not.toBe('preflight');
    expect(first(update(fresh, { firmwareId: 'fw1' }))).toBe('check');
  });
});
