/**
 * Issue 17 through the app service against the built-in sandbox over real HTTP: the Packages view's
 * list/show/delete, History and its CSV export, the FirmwareName check at the field, the pre-flight
 * with "Create module", and "Check only" (which sends no write call). Every answer the renderer
 * would receive is searched for the sandbox's AccessKey secret.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BuiltInSandbox } from '../../../electron/core/app/builtin-sandbox.js';
import type { JobSummary } from '../../../electron/core/contract.js';
import { dispatch } from '../../../electron/core/app/dispatch.js';
import { historyToCsv } from '../../../electron/core/publish/history/csv.js';
import { readHistory } from '../../../electron/core/publish/history/history-file.js';
import type { FirmwareSpec } from '../../../electron/core/publish/spec.js';
import { DEMO_PRODUCT_KEY } from '../../../electron/core/sandbox/index.js';
import { MemoryProfiles } from '../../e2e/memory-profiles.js';
import { startHarness, type Harness } from './helpers.js';

const ctx = {};
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function spec(path: string, name: string, version: string, moduleName?: string): FirmwareSpec {
  return {
    productKey: DEMO_PRODUCT_KEY,
    firmwareName: name,
    destVersion: version,
    moduleName,
    type: 'full',
    signMethod: 'SHA256',
    files: [{ path }],
  };
}

async function publish(harness: Harness, name: string, version: string): Promise<JobSummary> {
  const path = await harness.file(`${name}.bin`, 50_000);
  const job = await harness.service.publish.now(ctx, { profile: 'sandbox', spec: spec(path, name, version) });
  return harness.next('job-changed', (j) => j.id === job.id && j.state === 'published', 30_000);
}

/** The built-in sandbox's AccessKey secret of this run (the renderer must never see it). */
function sandboxSecret(harness: Harness): string {
  const sandbox = (harness.service as unknown as { sandbox: BuiltInSandbox }).sandbox;
  return sandbox.running!.accessKeySecret;
}

describe('packages, history and pre-flight from the app', () => {
  it('lists, shows and deletes packages; refuses one with an unfinished job', async () => {
    h = await startHarness();
    const answers: unknown[] = [];
    const first = await publish(h, 'pkg_a', '1.0.0');
    const second = await publish(h, 'pkg_b', '1.1.0');

    const listed = await h.service.packages.list(ctx, 'sandbox', DEMO_PRODUCT_KEY, null);
    answers.push(listed);
    expect(listed.rows.map((r) => r.firmwareName)).toEqual(['pkg_b', 'pkg_a']);
    expect(listed.rows[0]).toMatchObject({ moduleName: 'default', type: 'full', destVersion: '1.1.0' });
    expect(listed.rows[0]!.statusText.en).toMatch(/\S/);
    expect(listed).toMatchObject({ count: 2, limit: 500, warnFrom: 450 });
    const other = await h.service.packages.list(ctx, 'sandbox', DEMO_PRODUCT_KEY, 'no_such_module');
    expect(other.rows).toEqual([]);

    const detail = await h.service.packages.show(ctx, 'sandbox', first.firmwareId!);
    answers.push(detail);
    expect(detail.files).toEqual([expect.objectContaining({ size: 50_000, sign: first.files[0]!.sha256 })]);
    expect(JSON.stringify(detail)).not.toMatch(/https?:\/\//);

    // A verification on the offline bench device stays unfinished: the package cannot be deleted.
    await h.service.outbox.verify(ctx, first.id, ['bench-03']);
    await h.next('job-changed', (j) => j.id === first.id && j.verify?.jobId != null, 15_000);
    const withJob = await h.service.packages.show(ctx, 'sandbox', first.firmwareId!);
    expect(withJob.jobs).toEqual([expect.objectContaining({ jobType: 'verify', unfinished: true })]);
    const refused = await h.service.packages.remove(ctx, 'sandbox', first.firmwareId!);
    answers.push(refused);
    expect(refused).toMatchObject({ outcome: 'in-use', jobIds: [withJob.jobs[0]!.jobId] });
    expect(refused.outcome === 'in-use' && refused.message.en).toMatch(/unfinished OTA job/);

    const deleted = await h.service.packages.remove(ctx, 'sandbox', second.firmwareId!);
    expect(deleted).toEqual({ outcome: 'deleted', firmwareId: second.firmwareId });
    const after = await h.service.packages.list(ctx, 'sandbox', DEMO_PRODUCT_KEY, null);
    expect(after.rows.map((r) => r.firmwareName)).toEqual(['pkg_a']);
    expect(after.count).toBe(1);
    expect(JSON.stringify(answers)).not.toContain(sandboxSecret(h));
  });

  it('lists the history newest first and exports historyToCsv to the chosen path', async () => {
    let asked = '';
    let answer: string | null = null;
    h = await startHarness({
      chooseCsvPath: async (defaultPath) => {
        asked = defaultPath;
        return answer;
      },
    });
    await publish(h, 'hist_a', '1.0.0');
    await publish(h, 'hist_b', '1.0.1');
    const history = await h.service.history.list(ctx);
    expect(history.skipped).toBe(0);
    expect(history.records.map((r) => [r.event, r.firmwareName])).toEqual([
      ['publish', 'hist_b'],
      ['publish', 'hist_a'],
    ]);

    expect(await h.service.history.exportCsv(ctx)).toBeNull();
    expect(asked).toMatch(/ota-publisher-history-\d{4}-\d\d-\d\d\.csv$/);
    answer = join(h.dir, 'export');
    const written = await h.service.history.exportCsv(ctx);
    expect(written).toBe(join(h.dir, 'export.csv'));
    const { records } = await readHistory(join(h.dir, 'data'));
    expect(await readFile(written!, 'utf8')).toBe(historyToCsv(records));
    expect(JSON.stringify(history)).not.toContain(sandboxSecret(h));
  });

  it('checks the FirmwareName at the field: taken with a free suggestion, free, or unchecked offline', async () => {
    let online = true;
    h = await startHarness({
      isOnline: () => online,
      profiles: new MemoryProfiles([
        {
          input: {
            name: 'down',
            provider: 'aliyun',
            accessKeyId: 'LTAI-down',
            endpoint: 'http://127.0.0.1:9',
          },
          secret: 'down-secret',
        },
        {
          input: { name: 'live', provider: 'aliyun', accessKeyId: 'LTAI-live', regionId: 'cn-shanghai' },
          secret: 'live-secret',
        },
      ]),
    });
    await publish(h, 'name_a', '1.0.0');
    const taken = await h.service.preflight.checkName(ctx, 'sandbox', DEMO_PRODUCT_KEY, 'name_a');
    expect(taken).toMatchObject({ state: 'taken', suggestion: 'name_a-2' });
    expect(taken.state === 'taken' && taken.message.en).toContain('name_a');
    expect(await h.service.preflight.checkName(ctx, 'sandbox', DEMO_PRODUCT_KEY, 'name_b')).toEqual({
      state: 'free',
    });
    // The cloud does not answer: nothing is claimed.
    const down = await h.service.preflight.checkName(ctx, 'down', DEMO_PRODUCT_KEY, 'name_a');
    expect(down.state).toBe('unchecked');
    // The OS is offline: a live cloud is not even asked; the loopback sandbox still is.
    online = false;
    const offline = await h.service.preflight.checkName(ctx, 'live', DEMO_PRODUCT_KEY, 'name_a');
    expect(offline).toEqual({
      state: 'unchecked',
      reason: expect.objectContaining({ en: expect.stringMatching(/offline/) }),
    });
    expect((await h.service.preflight.checkName(ctx, 'sandbox', DEMO_PRODUCT_KEY, 'name_a')).state).toBe(
      'taken',
    );
  });

  it('runs the pre-flight at Review, creates a missing module, and "Check only" sends no write', async () => {
    h = await startHarness();
    const answers: unknown[] = [];
    const path = await h.file('mod.bin', 40_000);
    const draft = spec(path, 'mod_pkg', '2.0.0', 'gps_new');

    const before = await h.service.preflight.check(ctx, 'sandbox', draft);
    answers.push(before);
    expect(before).toMatchObject({ state: 'checked', missingModule: 'gps_new' });
    expect(before.state === 'checked' && before.refusals.map((f) => f.rule)).toEqual(['module-missing']);

    const only = await h.service.preflight.checkOnly(ctx, { profile: 'sandbox', spec: draft });
    answers.push(only);
    expect(only.issues).toEqual([]);
    expect(only.plan?.calls.map((c) => c.action)).toEqual([
      'GenerateOTAUploadURL',
      'PostObject',
      'CreateOTAFirmware',
      'QueryOTAFirmware',
    ]);
    const create = only.plan!.calls.find((c) => c.action === 'CreateOTAFirmware')!;
    expect(create.params).toMatchObject({
      FirmwareName: 'mod_pkg',
      DestVersion: '2.0.0',
      ModuleName: 'gps_new',
    });
    expect((await h.service.packages.list(ctx, 'sandbox', DEMO_PRODUCT_KEY, null)).count).toBe(0);

    await h.service.preflight.createModule(ctx, 'sandbox', DEMO_PRODUCT_KEY, 'gps_new');
    const modules = await h.service.cloud.modules(ctx, 'sandbox', DEMO_PRODUCT_KEY);
    expect(modules.map((m) => m.moduleName)).toContain('gps_new');
    const again = await h.service.preflight.check(ctx, 'sandbox', draft);
    expect(again).toEqual({ state: 'checked', refusals: [], warnings: [], missingModule: null });
    await expect(
      h.service.preflight.createModule(ctx, 'sandbox', DEMO_PRODUCT_KEY, 'bad name!'),
    ).rejects.toThrow(/ModuleName/);

    // Validation problems come back as issues, with no plan.
    const invalid = await h.service.preflight.checkOnly(ctx, {
      profile: 'sandbox',
      spec: { ...draft, destVersion: '' },
    });
    expect(invalid.plan).toBeNull();
    expect(invalid.issues.map((i) => i.field)).toContain('DestVersion');
    const seen = JSON.stringify(answers);
    expect(seen).not.toContain(sandboxSecret(h));
    expect(seen).not.toMatch(/"Signature":"(?!<)/);
  });

  it('sends no secret to the renderer, also when the cloud refuses the secret', async () => {
    const SECRET = 'Pk9C4n4ry+Zq/Leak=Wx!17';
    h = await startHarness({
      profiles: new MemoryProfiles([
        {
          input: {
            name: 'wrong',
            provider: 'aliyun',
            accessKeyId: 'LTAI-wrong',
            endpoint: 'http://127.0.0.1:1',
          },
          secret: SECRET,
        },
      ]),
    });
    const { endpoint, accessKeyId } = (await h.service.profiles.list(ctx))[0]!;
    // The same profile now names the sandbox's AccessKey ID, whose signatures this secret gets wrong.
    await h.service.profiles.save(
      ctx,
      { name: 'wrong', provider: 'aliyun', accessKeyId, endpoint },
      null,
      null,
    );
    const path = await h.file('leak.bin', 10_000);
    const draft = spec(path, 'leak_pkg', '1.0.0');
    const calls: [string, string, unknown[]][] = [
      ['packages', 'list', ['wrong', DEMO_PRODUCT_KEY, null]],
      ['packages', 'show', ['wrong', 'no-such-id']],
      ['packages', 'remove', ['wrong', 'no-such-id']],
      ['preflight', 'checkName', ['wrong', DEMO_PRODUCT_KEY, 'leak_pkg']],
      ['preflight', 'check', ['wrong', draft]],
      ['preflight', 'createModule', ['wrong', DEMO_PRODUCT_KEY, 'leak_mod']],
      ['preflight', 'checkOnly', [{ profile: 'wrong', spec: draft }]],
      ['preflight', 'checkOnly', [{ profile: 'sandbox', spec: draft }]],
      ['history', 'list', []],
    ];
    const answers = [];
    for (const [ns, method, args] of calls) answers.push(await dispatch(h.service, ctx, ns, method, args));
    // The wrong secret was really used and refused (not a request that never left).
    expect(answers[0]).toMatchObject({ ok: false, error: { kind: 'auth', code: 'SignatureDoesNotMatch' } });
    expect(answers[3]).toMatchObject({ ok: true, value: { state: 'unchecked' } });
    expect(answers[7]).toMatchObject({ ok: true, value: { plan: { calls: expect.any(Array) } } });
    const seen = JSON.stringify([answers, h.events]);
    for (const secret of [SECRET, sandboxSecret(h)]) {
      expect(seen).not.toContain(secret);
      expect(seen).not.toContain(encodeURIComponent(secret));
    }
  });
});
