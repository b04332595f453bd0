// @vitest-environment jsdom
import { act, fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { BenchDevice, JobSummary, PublishRequest, VerifySummary } from '../../electron/core/contract.js';
import { jobEventCoalescer } from '../../renderer/src/stores/job-events.js';
import { useOutboxStore } from '../../renderer/src/stores/outbox-store.js';
import { fakeBridge, job, type FakeBridge } from './fake-bridge.js';
import { afterJobEvents, hashedFile, renderApp, startAt } from './render-app.js';

const DIFF = {
  productKey: 'a1SandboxPK',
  files: [hashedFile('/fw/app.bin', 2048)],
  destVersion: '1.3.0',
  firmwareName: 'app-1_3_0',
  moduleName: 'app',
  type: 'diff' as const,
  srcVersion: '1.2.0',
};
const FULL = { ...DIFF, type: 'full' as const, srcVersion: '' };

const published = (patch: Partial<JobSummary> = {}): JobSummary =>
  job({ state: 'published', firmwareId: 'fw-1', updatedAt: 5, ...patch });

const verifying = (state: VerifySummary['state'], devices: VerifySummary['devices'], patch = {}) =>
  published({
    updatedAt: Math.floor(performance.now()) + 10,
    verify: { jobId: 'v-1', state, devices },
    ...patch,
  });

/** Publishes the draft (the fake answers with `answer`) and returns the panel. */
async function publishAndOpenPanel(bridge: FakeBridge, form: object = FULL): Promise<HTMLElement> {
  await renderApp(bridge);
  startAt('review', form);
  await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Publish now' })));
  act(() => bridge.emit('job-changed', published()));
  await afterJobEvents();
  const panel = await screen.findByTestId('verify-panel');
  await within(panel).findByRole('checkbox', { name: 'bench-01' });
  return panel;
}

const box = (panel: HTMLElement, name: string) =>
  within(panel).getByRole('checkbox', { name }) as HTMLInputElement;
const start = (panel: HTMLElement) =>
  within(panel).getByRole('button', { name: 'Start verification' }) as HTMLButtonElement;

describe('verify panel: picking devices', () => {
  it('lists each device with its online state and version; marks offline ones and SrcVersion mismatches', async () => {
    const bridge = fakeBridge({ settings: { lastProfile: 'sandbox' } });
    const panel = await publishAndOpenPanel(bridge, DIFF);
    // The devices of the package's product and module.
    expect(bridge.callsOf('cloud.devices').at(-1)?.args).toEqual(['sandbox', 'a1SandboxPK', 'app']);
    const row = (name: string) => panel.querySelector<HTMLElement>(`[data-device="${name}"]`)!;
    expect(row('bench-01').textContent).toContain('Online');
    expect(row('bench-01').textContent).toContain('runs 1.0.0');
    // A differential package from 1.2.0: bench-01 runs 1.0.0, so it will fail there.
    expect(row('bench-01').textContent).toContain('will fail: runs 1.0.0, package needs 1.2.0');
    expect(row('bench-02').textContent).not.toContain('will fail');
    expect(row('bench-02').querySelector('[data-mismatch]')).toBeNull();
    expect(row('bench-03').textContent).toContain('Offline');
    expect(row('bench-03').textContent).toContain('queued until it connects');
    expect(row('bench-01').textContent).not.toContain('queued until it connects');
    // The marks are the checkbox's description, so a screen reader hears them with the name.
    const described = document.getElementById(box(panel, 'bench-01').getAttribute('aria-describedby')!);
    expect(described?.textContent).toContain('will fail');
  });

  it('does not mark versions for a full package', async () => {
    const bridge = fakeBridge({ settings: { lastProfile: 'sandbox' } });
    const panel = await publishAndOpenPanel(bridge, FULL);
    expect(panel.querySelector('[data-mismatch]')).toBeNull();
  });

  it('allows at most ten devices', async () => {
    const many: BenchDevice[] = Array.from({ length: 12 }, (_, i) => ({
      name: `dev-${String(i + 1).padStart(2, '0')}`,
      status: 'ONLINE',
      version: '1.0.0',
    }));
    const bridge = fakeBridge({
      settings: { lastProfile: 'sandbox' },
      overrides: { cloud: { devices: () => ({ devices: many, total: 40 }) } },
    });
    await renderApp(bridge);
    startAt('review', FULL);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Publish now' })));
    act(() => bridge.emit('job-changed', published()));
    const panel = await screen.findByTestId('verify-panel');
    await within(panel).findByRole('checkbox', { name: 'dev-01' });
    expect(panel.textContent).toContain('Showing 12 of 40 devices.');
    for (let i = 1; i <= 10; i++) fireEvent.click(box(panel, `dev-${String(i).padStart(2, '0')}`));
    expect(box(panel, 'dev-11').disabled).toBe(true);
    expect(box(panel, 'dev-12').disabled).toBe(true);
    expect(box(panel, 'dev-10').disabled).toBe(false);
    expect(panel.textContent).toContain('10 of at most 10 selected');
    expect(panel.textContent).toContain('At most 10 devices: clear one to pick another.');
    fireEvent.click(box(panel, 'dev-03'));
    expect(box(panel, 'dev-11').disabled).toBe(false);
  });

  it('shows why the devices cannot be listed, in the picker, and loads them again', async () => {
    let fail = true;
    const bridge = fakeBridge({
      settings: { lastProfile: 'sandbox' },
      overrides: {
        cloud: {
          devices: () => {
            if (fail)
              throw { kind: 'offline', message: { en: 'The cloud is unreachable.', zh: '无法连接云端。' } };
            return { devices: [{ name: 'bench-01', status: 'ONLINE', version: '1.0.0' }], total: 1 };
          },
        },
      },
    });
    await renderApp(bridge);
    startAt('review', FULL);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Publish now' })));
    act(() => bridge.emit('job-changed', published()));
    const panel = await screen.findByTestId('verify-panel');
    const error = await within(panel).findByText(
      /Could not list the product’s devices: The cloud is unreachable\./,
    );
    expect(error.closest('.device-picker')).toBeTruthy();
    fail = false;
    await act(async () => fireEvent.click(within(panel).getByRole('button', { name: 'Load devices again' })));
    expect(await within(panel).findByRole('checkbox', { name: 'bench-01' })).toBeTruthy();
  });
  it('waits out throttling (the publish shares the account’s requests per second) before showing an error', async () => {
    let calls = 0;
    const bridge = fakeBridge({
      settings: { lastProfile: 'sandbox' },
      overrides: {
        cloud: {
          devices: () => {
            if (++calls === 1)
              throw {
                kind: 'throttled',
                code: 'Throttling.User',
                message: { en: 'Request was denied due to user flow control.', zh: '请求被限流。' },
              };
            return { devices: [{ name: 'bench-01', status: 'ONLINE', version: '1.0.0' }], total: 1 };
          },
        },
      },
    });
    await renderApp(bridge);
    startAt('review', FULL);
    const picker = await screen.findByTestId('review-verify');
    expect(await within(picker).findByRole('checkbox', { name: 'bench-01' }, { timeout: 3000 })).toBeTruthy();
    expect(picker.textContent).not.toContain('Could not list');
  });
});

describe('verify panel: running a verification', () => {
  it('starts on the chosen devices, then follows job-changed: progress, state, reason, overall result', async () => {
    const bridge = fakeBridge({ settings: { lastProfile: 'sandbox' } });
    const panel = await publishAndOpenPanel(bridge);
    expect(start(panel).disabled).toBe(true);
    fireEvent.click(box(panel, 'bench-01'));
    fireEvent.click(box(panel, 'bench-02'));
    expect(start(panel).disabled).toBe(false);
    await act(async () => fireEvent.click(start(panel)));
    expect(bridge.callsOf('outbox.verify')[0]?.args).toEqual(['job-1', ['bench-01', 'bench-02']]);
    // The answer is shown at once: the rows replace the picker.
    expect(within(panel).queryByRole('checkbox', { name: 'bench-01' })).toBeNull();
    expect(
      within(panel).getByRole('progressbar', { name: 'Upgrade of bench-01' }).getAttribute('value'),
    ).toBe('0');

    act(() =>
      bridge.emit(
        'job-changed',
        verifying('running', [
          { name: 'bench-01', state: 'IN_PROGRESS', progress: 40, reason: 'downloading' },
          { name: 'bench-02', state: 'NOTIFIED', progress: 0 },
        ]),
      ),
    );
    await afterJobEvents();
    const row = (name: string) => panel.querySelector<HTMLElement>(`[data-device-row="${name}"]`)!;
    expect(
      within(panel).getByRole('progressbar', { name: 'Upgrade of bench-01' }).getAttribute('value'),
    ).toBe('40');
    expect(row('bench-01').textContent).toContain('upgrading · 40%');
    expect(row('bench-02').textContent).toContain('notified · 0%');
    const status = within(panel).getByRole('status');
    expect(status.getAttribute('aria-live')).toBe('polite');
    expect(status.textContent).toContain('Verification: verifying on devices');
    expect(within(panel).getByRole('button', { name: 'Cancel verification' })).toBeTruthy();
    expect(within(panel).queryByRole('button', { name: 'Retry failed devices' })).toBeNull();

    act(() =>
      bridge.emit(
        'job-changed',
        verifying('failed', [
          { name: 'bench-01', state: 'SUCCEEDED', progress: 100 },
          { name: 'bench-02', state: 'FAILED', progress: 25, reason: 'firmware sign check failed' },
        ]),
      ),
    );
    await afterJobEvents();
    expect(row('bench-01').textContent).toContain('succeeded · 100%');
    expect(row('bench-02').getAttribute('data-task-state')).toBe('FAILED');
    const reason = within(row('bench-02')).getByText('firmware sign check failed');
    expect(reason.className).toContain('error');
    expect(status.textContent).toBe('Verification: failed · 1 of 2 devices succeeded · 1 failed');
    expect(within(panel).queryByRole('button', { name: 'Cancel verification' })).toBeNull();

    await act(async () =>
      fireEvent.click(within(panel).getByRole('button', { name: 'Retry failed devices' })),
    );
    expect(bridge.callsOf('outbox.retry')[0]?.args).toEqual(['job-1']);
  });

  it('cancels a running verification', async () => {
    const bridge = fakeBridge({ settings: { lastProfile: 'sandbox' } });
    const panel = await publishAndOpenPanel(bridge);
    act(() =>
      bridge.emit('job-changed', verifying('running', [{ name: 'bench-01', state: 'QUEUED', progress: 0 }])),
    );
    await afterJobEvents();
    await act(async () =>
      fireEvent.click(within(panel).getByRole('button', { name: 'Cancel verification' })),
    );
    expect(bridge.callsOf('outbox.cancel').at(-1)?.args).toEqual(['job-1']);
    // While the cancel is pending, it says so and offers nothing else.
    act(() =>
      bridge.emit(
        'job-changed',
        verifying('running', [{ name: 'bench-01', state: 'QUEUED', progress: 0 }], {
          verify: {
            jobId: 'v-1',
            state: 'running',
            devices: [{ name: 'bench-01', state: 'QUEUED', progress: 0 }],
            request: 'cancel',
          },
        }),
      ),
    );
    await afterJobEvents();
    expect(within(panel).getByRole('status').textContent).toContain('cancelling…');
    expect(within(panel).queryByRole('button', { name: 'Cancel verification' })).toBeNull();
  });

  it('shows a refused request where it was made, not as a banner', async () => {
    const bridge = fakeBridge({
      settings: { lastProfile: 'sandbox' },
      overrides: {
        outbox: {
          verify: () => {
            throw {
              kind: 'invalid',
              message: { en: 'Invalid devices.', zh: '设备无效。' },
              issues: [
                {
                  field: 'TargetDeviceName',
                  rule: 'charset',
                  message: { en: 'Device name "x" is not a DeviceName.', zh: '设备名称“x”无效。' },
                },
              ],
            };
          },
          retry: () => {
            throw { kind: 'conflict', message: { en: 'Nothing to retry.', zh: '没有可重试的。' } };
          },
        },
      },
    });
    const panel = await publishAndOpenPanel(bridge);
    fireEvent.click(box(panel, 'bench-01'));
    await act(async () => fireEvent.click(start(panel)));
    const issue = within(panel).getByText('Device name "x" is not a DeviceName.');
    expect(issue.closest('.device-picker')).toBeTruthy();
    expect(document.querySelector('.banner')).toBeNull();

    act(() =>
      bridge.emit(
        'job-changed',
        verifying('timed-out', [{ name: 'bench-01', state: 'QUEUED', progress: 0 }]),
      ),
    );
    await afterJobEvents();
    await act(async () =>
      fireEvent.click(within(panel).getByRole('button', { name: 'Retry failed devices' })),
    );
    const alert = within(panel).getByRole('alert');
    expect(alert.textContent).toContain('The verification request was refused');
    expect(alert.textContent).toContain('Nothing to retry.');
  });

  it('shows the engine’s problem with what to do next', async () => {
    const bridge = fakeBridge({ settings: { lastProfile: 'sandbox' } });
    const panel = await publishAndOpenPanel(bridge);
    act(() =>
      bridge.emit(
        'job-changed',
        verifying('failed', [], {
          verify: {
            jobId: null,
            state: 'failed',
            devices: [],
            problem: {
              message: 'The device bench-09 does not exist.',
              code: 'iot.device.NotExistedDevice',
              hint: { en: 'Pick devices of the product.', zh: '请选择该产品的设备。' },
            },
          },
        }),
      ),
    );
    await afterJobEvents();
    const alert = within(panel).getByRole('alert');
    expect(alert.textContent).toContain('The device bench-09 does not exist.');
    expect(alert.textContent).toContain('iot.device.NotExistedDevice');
    expect(alert.textContent).toContain('What to do next: Pick devices of the product.');
  });

  it('says plainly that a NeedToVerify package cannot be rolled out until verified', async () => {
    const bridge = fakeBridge({ settings: { lastProfile: 'sandbox' } });
    await renderApp(bridge);
    startAt('review', FULL);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Publish now' })));
    act(() => bridge.emit('job-changed', published({ needToVerify: true })));
    const panel = await screen.findByTestId('verify-panel');
    const notice = 'it cannot be rolled out to devices until a verification on test devices succeeds';
    expect(panel.textContent).toContain(notice);
    act(() =>
      bridge.emit(
        'job-changed',
        verifying('verified', [{ name: 'bench-01', state: 'SUCCEEDED', progress: 100 }], {
          needToVerify: true,
        }),
      ),
    );
    await afterJobEvents();
    expect(panel.textContent).not.toContain(notice);
    expect(panel.textContent).toContain('Verified: the package can now be rolled out.');
    expect(within(panel).queryByRole('button', { name: 'Retry failed devices' })).toBeNull();
  });

  it('speaks Chinese', async () => {
    const bridge = fakeBridge({ settings: { lastProfile: 'sandbox', locale: 'zh' } });
    await renderApp(bridge);
    startAt('review', DIFF);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: '立即发布' })));
    act(() =>
      bridge.emit(
        'job-changed',
        verifying('failed', [{ name: 'bench-01', state: 'FAILED', progress: 10, reason: 'timeout' }], {
          needToVerify: true,
        }),
      ),
    );
    const panel = await screen.findByTestId('verify-panel');
    expect(panel.textContent).toContain('在测试设备上验证');
    expect(panel.textContent).toContain('无法向设备批量升级');
    expect(within(panel).getByRole('status').textContent).toContain('验证：验证失败');
    expect(within(panel).getByRole('button', { name: '重试失败的设备' })).toBeTruthy();
    expect(within(panel).getByRole('progressbar', { name: 'bench-01 的升级进度' })).toBeTruthy();
  });
});

describe('verify: named up front', () => {
  it('the Review step’s devices go into the PublishRequest, and the panel says it verifies by itself', async () => {
    const bridge = fakeBridge({
      settings: { lastProfile: 'sandbox' },
      overrides: {
        publish: {
          queue: (r: PublishRequest) => job({ state: 'queued', verifyOn: r.verifyOn ?? null }),
        },
      },
    });
    await renderApp(bridge);
    startAt('review', DIFF);
    const picker = await screen.findByTestId('review-verify');
    await within(picker).findByRole('checkbox', { name: 'bench-02' });
    // The same marks as after publishing: the package's SrcVersion against what each device runs.
    expect(picker.querySelector('[data-device="bench-01"] [data-mismatch]')).toBeTruthy();
    fireEvent.click(within(picker).getByRole('checkbox', { name: 'bench-02' }));
    fireEvent.click(within(picker).getByRole('checkbox', { name: 'bench-03' }));
    fireEvent.click(screen.getByLabelText(/Queue until online/));
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Queue' })));
    const [request] = bridge.callsOf('publish.queue')[0]!.args as [PublishRequest];
    expect(request.verifyOn).toEqual(['bench-02', 'bench-03']);
    expect(bridge.callsOf('outbox.verify')).toEqual([]);

    act(() => bridge.emit('job-changed', published({ verifyOn: ['bench-02', 'bench-03'], updatedAt: 7 })));
    const panel = await screen.findByTestId('verify-panel');
    expect(panel.textContent).toContain(
      'Verifies by itself on bench-02, bench-03 as soon as the package is published.',
    );
    expect(within(panel).queryByRole('button', { name: 'Start verification' })).toBeNull();
  });

  it('a recipe’s verifyOn preselects the devices and starts nothing', async () => {
    const bridge = fakeBridge({ settings: { lastProfile: 'sandbox' } });
    await renderApp(bridge);
    await act(async () =>
      bridge.emit('open', {
        files: [],
        recipe: {
          path: '/build/app.otapub',
          spec: { productKey: 'a1SandboxPK', destVersion: '1.3.0' },
          files: [{ path: '/build/app.bin', name: 'app.bin' }],
          verifyOn: ['bench-01', 'bench-07'],
        },
      }),
    );
    startAt('review', { files: [hashedFile('/build/app.bin')] });
    const picker = await screen.findByTestId('review-verify');
    const one = (await within(picker).findByRole('checkbox', { name: 'bench-01' })) as HTMLInputElement;
    expect(one.checked).toBe(true);
    expect((within(picker).getByRole('checkbox', { name: 'bench-02' }) as HTMLInputElement).checked).toBe(
      false,
    );
    // A name the product does not list stays chosen, marked, so the user decides.
    const unlisted = within(picker).getByRole('checkbox', { name: 'bench-07' }) as HTMLInputElement;
    expect(unlisted.checked).toBe(true);
    expect(picker.querySelector('[data-device="bench-07"]')?.textContent).toContain(
      'not in the product’s device list',
    );
    expect(bridge.callsOf('outbox.verify')).toEqual([]);
    expect(bridge.callsOf('publish.now')).toEqual([]);
    expect(bridge.callsOf('publish.queue')).toEqual([]);
  });
});

describe('verify: keyboard and render rate', () => {
  it('is reachable with the keyboard: native checkboxes, then Start, in tab order', async () => {
    const bridge = fakeBridge({ settings: { lastProfile: 'sandbox' } });
    const panel = await publishAndOpenPanel(bridge);
    const tabbable = () =>
      [...panel.querySelectorAll<HTMLElement>('input, button')].filter(
        (e) => !(e as HTMLButtonElement).disabled && e.tabIndex >= 0,
      );
    const boxes = ['bench-01', 'bench-02', 'bench-03'].map((n) => box(panel, n));
    // Start is disabled (so skipped by Tab) until a device is chosen.
    expect(tabbable()).toEqual(boxes);
    fireEvent.click(boxes[0]!);
    expect(tabbable()).toEqual([...boxes, start(panel)]);
    // Buttons are type=button: Enter on them never submits the wizard's form.
    expect(start(panel).type).toBe('button');
  });

  it('renders a job at most ten times a second however fast its events come', async () => {
    const bridge = fakeBridge({ settings: { lastProfile: 'sandbox' } });
    await publishAndOpenPanel(bridge);
    await afterJobEvents();
    let updates = 0;
    const off = useOutboxStore.subscribe(() => updates++);
    act(() => {
      for (let i = 0; i < 50; i++) {
        bridge.emit(
          'job-changed',
          verifying('running', [{ name: 'bench-01', state: 'IN_PROGRESS', progress: i }], {
            updatedAt: 1000 + i,
          }),
        );
      }
    });
    expect(updates).toBe(1);
    await afterJobEvents();
    expect(updates).toBe(2);
    expect(useOutboxStore.getState().jobs['job-1']?.verify?.devices[0]?.progress).toBe(49);
    off();
  });
});

describe('job event coalescer', () => {
  it('applies the first event at once, then one batch per window with the newest summary', () => {
    let clock = 0;
    const batches: { id: string; updatedAt?: number; progress: number }[] = [];
    const timers: (() => void)[] = [];
    const realSetTimeout = globalThis.setTimeout;
    globalThis.setTimeout = ((fn: () => void) => (timers.push(fn), 0)) as unknown as typeof setTimeout;
    try {
      const c = jobEventCoalescer(
        (id, b) => batches.push({ id, updatedAt: b.summary?.updatedAt, progress: b.progress.length }),
        100,
        () => clock,
      );
      c.changed(job({ id: 'a', updatedAt: 1 }));
      c.changed(job({ id: 'a', updatedAt: 3 }));
      c.changed(job({ id: 'a', updatedAt: 2 }));
      c.progress({ jobId: 'a', step: 'uploading' });
      c.changed(job({ id: 'b', updatedAt: 1 }));
      expect(batches).toEqual([
        { id: 'a', updatedAt: 1, progress: 0 },
        { id: 'b', updatedAt: 1, progress: 0 },
      ]);
      clock = 100;
      timers.shift()!();
      expect(batches[2]).toEqual({ id: 'a', updatedAt: 3, progress: 1 });
      c.stop();
    } finally {
      globalThis.setTimeout = realSetTimeout;
    }
  });
});

describe('outbox rows', () => {
  it('show the verify state and how many devices are done', async () => {
    const bridge = fakeBridge({
      settings: { lastProfile: 'sandbox' },
      overrides: {
        outbox: {
          list: () => [
            published({
              id: 'v',
              name: 'verified-one',
              verify: {
                jobId: 'v-1',
                state: 'failed',
                devices: [
                  { name: 'bench-01', state: 'SUCCEEDED', progress: 100 },
                  { name: 'bench-02', state: 'FAILED', progress: 20, reason: 'timeout' },
                ],
              },
              needToVerify: true,
            }),
            job({ id: 'q', name: 'queued-one', state: 'queued', verifyOn: ['bench-01'], createdAt: 2 }),
          ],
        },
      },
    });
    await renderApp(bridge);
    fireEvent.click(screen.getByRole('button', { name: /Outbox/ }));
    const done = (await screen.findByText('verified-one')).closest('li')!;
    expect(done.querySelector('[data-verify-line]')?.textContent).toBe(
      'Verify: failed · 1/2 devices ok · Cannot be rolled out until verified',
    );
    const queued = screen.getByText('queued-one').closest('li')!;
    expect(queued.querySelector('[data-verify-line]')?.textContent).toBe(
      'Verifies on 1 device once published',
    );
  });
});
