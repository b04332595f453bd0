// @vitest-environment jsdom
/**
 * Issue 16: outbox rows that say what happens (in both languages), waiting jobs that say why, the
 * profile form's field errors, Test connection, focus and Escape, and removing a profile jobs need.
 */
import { act, fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { IpcError, JobSummary } from '../../electron/core/contract.js';
import { fakeBridge, job, TUYA } from './fake-bridge.js';
import { afterJobEvents, renderApp } from './render-app.js';

type Lang = 'en' | 'zh';

const L = {
  en: {
    outbox: 'Outbox',
    cancelled: 'Cancelled',
    running: 'Running',
    failed: 'Failed',
    queued: 'Queued',
    uploading: 'Uploading file 1 of 2',
    sandbox: 'Sandbox',
    live: 'Live',
    retryNow: 'Retry now',
    editProfile: 'Edit profile',
    reason: "can't reach iot.cn-shanghai.aliyuncs.com (ENOTFOUND)",
    next: /Next attempt at \d\d:\d\d:\d\d \(in (29|30) s\)/,
    diff: 'Differential package',
    editing: 'Edit tuya-eu',
    copyFirmware: 'Copy FirmwareId',
    copyRequest: 'Copy RequestId',
  },
  zh: {
    outbox: '发件箱',
    cancelled: '已取消',
    running: '进行中',
    failed: '失败',
    queued: '排队中',
    uploading: '正在上传第 1 个文件（共 2 个）',
    sandbox: '沙箱',
    live: '正式环境',
    retryNow: '立即重试',
    editProfile: '编辑云账号',
    reason: '无法连接 iot.cn-shanghai.aliyuncs.com（ENOTFOUND）',
    next: /下次尝试：\d\d:\d\d:\d\d（(29|30) 秒后）/,
    diff: '差分包',
    editing: '编辑 tuya-eu',
    copyFirmware: '复制FirmwareId',
    copyRequest: '复制RequestId',
  },
} as const;

function jobs(now: number): JobSummary[] {
  return [
    job({
      id: 'c',
      name: 'cancelled-one',
      state: 'cancelled',
      createdAt: 5,
      error: {
        message: 'outbox cancel failed',
        hint: { en: 'Cancelled by the user.', zh: '已由用户取消。' },
      },
    }),
    job({
      id: 'r',
      name: 'running-one',
      state: 'running',
      step: 'uploading 1/2',
      createdAt: 4,
      files: [
        { name: 'a.bin', size: 1000, md5: 'm', sha256: 's' },
        { name: 'b.bin', size: 1000, md5: 'm', sha256: 's' },
      ],
    }),
    job({
      id: 'f',
      name: 'failed-one',
      state: 'failed',
      createdAt: 3,
      sandbox: false,
      profile: 'tuya-eu',
      packageType: 'diff',
      moduleName: 'wifi',
      error: {
        message: 'CreateOTAFirmware failed: X.Y — boom (HTTP 400) [RequestId R-ONCE-1]',
        code: 'X.Y',
        requestId: 'R-ONCE-1',
        hint: { en: 'Correct it.', zh: '请修正。' },
      },
    }),
    job({
      id: 'w',
      name: 'waiting-one',
      state: 'queued',
      createdAt: 2,
      sandbox: false,
      profile: 'tuya-eu',
      waiting: {
        kind: 'network',
        endpoint: 'https://iot.cn-shanghai.aliyuncs.com',
        message: {
          en: "can't reach iot.cn-shanghai.aliyuncs.com (ENOTFOUND)",
          zh: '无法连接 iot.cn-shanghai.aliyuncs.com（ENOTFOUND）',
        },
      },
      nextAttemptAt: now + 30_000,
    }),
    job({ id: 'p', name: 'done-one', state: 'published', firmwareId: 'fw-77', createdAt: 1 }),
  ];
}

const row = (name: string): HTMLElement => screen.getByText(name).closest('li')!;

describe.each(['en', 'zh'] as const)('outbox rows (%s)', (lang: Lang) => {
  const s = L[lang];

  it('shows each state as it is, with progress, one RequestId, badges and copy buttons', async () => {
    const bridge = fakeBridge({
      settings: { locale: lang, lastProfile: 'sandbox' },
      overrides: { outbox: { list: () => jobs(Date.now()) } },
    });
    await renderApp(bridge);
    fireEvent.click(screen.getByRole('button', { name: new RegExp(s.outbox) }));
    await screen.findByText('cancelled-one');

    // Cancelled is cancelled: no red error, no "cancel failed".
    const cancelled = row('cancelled-one');
    expect(within(cancelled).getByText(s.cancelled, { selector: '.badge' })).toBeTruthy();
    expect(cancelled.querySelector('.error')).toBeNull();
    expect(cancelled.textContent).not.toMatch(/cancel failed/);

    // Running: the step in this language and a bar that follows job-progress.
    const running = row('running-one');
    expect(within(running).getByText(s.running, { selector: '.badge' })).toBeTruthy();
    expect(within(running).getByText(s.uploading)).toBeTruthy();
    expect(running.textContent).not.toContain('uploading 1/2');
    const bar = within(running).getByRole('progressbar') as HTMLProgressElement;
    act(() =>
      bridge.emit('job-progress', { jobId: 'r', step: 'uploading', fileIndex: 0, bytes: 500, total: 1000 }),
    );
    await afterJobEvents();
    expect(bar.value).toBeCloseTo(0.25);
    expect(running.textContent).toContain('25%');

    // Failed: the RequestId once, with a copy button; module, type, profile and the Live badge.
    const failed = row('failed-one');
    expect(within(failed).getByText(s.failed, { selector: '.badge' })).toBeTruthy();
    expect(failed.textContent!.split('R-ONCE-1').length - 1).toBe(1);
    expect(within(failed).getByRole('button', { name: s.copyRequest })).toBeTruthy();
    expect(within(failed).getByText(s.live)).toBeTruthy();
    expect(within(failed).getByText('wifi')).toBeTruthy();
    expect(failed.textContent).toContain(s.diff);
    expect(within(failed).getByText('tuya-eu')).toBeTruthy();
    expect(within(failed).getByRole('time')).toBeTruthy();
    expect(within(row('done-one')).getByText(s.sandbox)).toBeTruthy();
    expect(within(row('done-one')).getByRole('button', { name: s.copyFirmware })).toBeTruthy();

    // Waiting: why, when next, and what to do now.
    const waiting = row('waiting-one');
    expect(waiting.textContent).toContain(s.reason);
    expect(waiting.textContent).toMatch(s.next);
    await act(async () => fireEvent.click(within(waiting).getByText(s.retryNow)));
    expect(bridge.callsOf('outbox.retry')[0]?.args).toEqual(['w']);
  });

  it('"Edit profile" on a waiting job opens that profile in the form', async () => {
    const bridge = fakeBridge({
      settings: { locale: lang, lastProfile: 'sandbox' },
      overrides: { outbox: { list: () => jobs(Date.now()) } },
    });
    await renderApp(bridge);
    fireEvent.click(screen.getByRole('button', { name: new RegExp(s.outbox) }));
    await screen.findByText('waiting-one');
    await act(async () => fireEvent.click(within(row('waiting-one')).getByText(s.editProfile)));
    expect(await screen.findByRole('heading', { name: s.editing })).toBeTruthy();
    expect(screen.getByDisplayValue(TUYA.endpoint!)).toBeTruthy();
  });
});

describe('the header cloud status', () => {
  it("follows cloud-status for the selected profile's endpoint, apart from the OS network", async () => {
    const bridge = fakeBridge({ settings: { lastProfile: 'sandbox' } });
    await renderApp(bridge);
    const badge = screen.getByTestId('cloud-status');
    expect(badge.dataset.state).toBe('unknown');
    act(() => bridge.emit('cloud-status', { endpoint: 'https://other.example', state: 'unreachable' }));
    expect(badge.dataset.state).toBe('unknown');
    act(() =>
      bridge.emit('cloud-status', {
        endpoint: 'http://127.0.0.1:9',
        state: 'unreachable',
        reason: { en: "can't reach 127.0.0.1:9 (ECONNREFUSED)", zh: '无法连接 127.0.0.1:9（ECONNREFUSED）' },
      }),
    );
    expect(badge.dataset.state).toBe('unreachable');
    expect(badge.textContent).toContain('Cloud unreachable');
    expect(badge.textContent).toContain('ECONNREFUSED');
    expect(screen.getByTestId('network-status').textContent).toBe('Online');
    act(() => bridge.emit('cloud-status', { endpoint: 'http://127.0.0.1:9/', state: 'reachable' }));
    expect(badge.dataset.state).toBe('reachable');
  });
});

async function openProfiles(bridge: ReturnType<typeof fakeBridge>): Promise<void> {
  await renderApp(bridge);
  fireEvent.click(screen.getByRole('button', { name: /^(Profiles|云账号)$/ }));
  await screen.findByRole('button', { name: /^(Add profile|添加云账号)$/ });
}

function expectFieldError(label: string, text: string): void {
  const control = screen.getByLabelText(label);
  expect(control.getAttribute('aria-invalid')).toBe('true');
  const ids = (control.getAttribute('aria-describedby') ?? '').split(' ');
  const said = ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
  expect(said).toContain(text);
}

describe('profile form', () => {
  it('shows problems at their field with aria-invalid, local and from the main process', async () => {
    const issue = {
      field: 'endpoint',
      rule: 'https',
      message: { en: 'The endpoint must use https://.', zh: 'Endpoint 必须使用 https://。' },
    };
    const refusal: IpcError = {
      kind: 'invalid',
      message: { en: 'Invalid profile', zh: '配置无效' },
      issues: [issue],
    };
    const bridge = fakeBridge({
      settings: { lastProfile: 'sandbox' },
      overrides: {
        profiles: {
          save: () => {
            throw refusal;
          },
        },
      },
    });
    await openProfiles(bridge);
    fireEvent.click(screen.getByRole('button', { name: 'Add profile' }));
    expect(screen.getByLabelText('Name').getAttribute('aria-invalid')).toBe('false');
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expectFieldError('Name', 'Give the profile a name.');
    expectFieldError('AccessKey ID', 'Enter the AccessKey ID.');
    expectFieldError('AccessKey secret', 'Enter the AccessKey secret.');
    // Correcting a field clears what was said about it.
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'prod' } });
    expect(screen.getByLabelText('Name').getAttribute('aria-invalid')).toBe('false');

    fireEvent.change(screen.getByLabelText('AccessKey ID'), { target: { value: 'LTAI5tKey' } });
    fireEvent.change(screen.getByLabelText('AccessKey secret'), { target: { value: 's3cret' } });
    fireEvent.change(screen.getByLabelText('Custom endpoint (optional)'), {
      target: { value: 'http://example.com' },
    });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save' })));
    expectFieldError('Custom endpoint (optional)', 'The endpoint must use https://.');
    expect(document.body.textContent).not.toMatch(/Something went wrong:/);
    expect(bridge.callsOf('profiles.test')).toEqual([]);
  });

  it('tests the connection and shows a failure at its field; a passing test is said', async () => {
    let answer = {
      ok: false,
      field: 'secret',
      code: 'SignatureDoesNotMatch',
      requestId: 'REQ-SIG',
      message: {
        en: 'The AccessKey secret does not match the AccessKey ID (SignatureDoesNotMatch).',
        zh: 'AccessKey Secret 与 AccessKey ID 不匹配（SignatureDoesNotMatch）。',
      },
    };
    const bridge = fakeBridge({
      settings: { lastProfile: 'sandbox' },
      overrides: { profiles: { test: () => answer } },
    });
    await openProfiles(bridge);
    fireEvent.click(screen.getByRole('button', { name: 'Add profile' }));
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'prod' } });
    fireEvent.change(screen.getByLabelText('AccessKey ID'), { target: { value: 'LTAI5tKey' } });
    fireEvent.change(screen.getByLabelText('AccessKey secret'), { target: { value: 'wrong' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Test connection' })));
    expect(bridge.callsOf('profiles.test')[0]?.args).toEqual([
      {
        name: 'prod',
        provider: 'aliyun',
        accessKeyId: 'LTAI5tKey',
        regionId: 'cn-shanghai',
        instanceId: undefined,
        endpoint: undefined,
      },
      'wrong',
      null,
    ]);
    expectFieldError('AccessKey secret', 'The AccessKey secret does not match the AccessKey ID');
    expect(screen.getByLabelText('AccessKey ID').getAttribute('aria-invalid')).toBe('false');
    expect(document.body.textContent).toContain('REQ-SIG');
    expect(bridge.callsOf('profiles.save')).toEqual([]);

    answer = { ok: true, message: { en: 'Connected to 127.0.0.1.', zh: '已连接。' } } as typeof answer;
    fireEvent.change(screen.getByLabelText('AccessKey secret'), { target: { value: 'right' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Test connection' })));
    expect(screen.getByText(/Connected to 127\.0\.0\.1\./)).toBeTruthy();
    expect(screen.getByLabelText('AccessKey secret').getAttribute('aria-invalid')).toBe('false');

    // Save tests too; a passing test closes the form and says so.
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save' })));
    expect(bridge.callsOf('profiles.test')).toHaveLength(3);
    expect(screen.getByText('Saved prod. Connection test passed.')).toBeTruthy();
  });

  it('keeps a saved profile open when the test on save fails, with the problem at its field', async () => {
    const bridge = fakeBridge({
      settings: { lastProfile: 'sandbox' },
      overrides: {
        profiles: {
          test: () => ({
            ok: false,
            field: 'endpoint',
            code: 'ECONNREFUSED',
            message: {
              en: "Can't reach 127.0.0.1:9 (ECONNREFUSED).",
              zh: '无法连接 127.0.0.1:9（ECONNREFUSED）。',
            },
          }),
        },
      },
    });
    await openProfiles(bridge);
    fireEvent.click(screen.getByRole('button', { name: 'Add profile' }));
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'lab' } });
    fireEvent.change(screen.getByLabelText('Provider'), { target: { value: 'tuya' } });
    fireEvent.change(screen.getByLabelText('Endpoint'), { target: { value: 'http://127.0.0.1:9' } });
    fireEvent.change(screen.getByLabelText('AccessKey ID'), { target: { value: 'k' } });
    fireEvent.change(screen.getByLabelText('AccessKey secret'), { target: { value: 's' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save' })));
    expect(bridge.callsOf('profiles.save')).toHaveLength(1);
    expectFieldError('Endpoint', "Can't reach 127.0.0.1:9 (ECONNREFUSED).");
    expect(screen.getByText(/Saved lab, but the connection test failed/)).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Edit lab' })).toBeTruthy();
  });

  it('moves focus into the form and back, and closes on Escape', async () => {
    const bridge = fakeBridge({ settings: { lastProfile: 'sandbox' } });
    await openProfiles(bridge);
    const add = screen.getByRole('button', { name: 'Add profile' });
    fireEvent.click(add);
    expect(document.activeElement).toBe(screen.getByLabelText('Name'));
    fireEvent.keyDown(screen.getByLabelText('AccessKey ID'), { key: 'Escape' });
    expect(screen.queryByLabelText('Name')).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Add profile' }));

    fireEvent.click(screen.getByRole('button', { name: 'Edit tuya-eu' }));
    // The name of a saved profile cannot change: focus goes to the first field that can.
    expect(document.activeElement).toBe(screen.getByLabelText('Provider'));
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Edit tuya-eu' }));
  });
});

describe('removing a profile', () => {
  it('asks first when queued jobs use it, naming them (name, version, state)', async () => {
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(true);
    const bridge = fakeBridge({
      settings: { lastProfile: 'sandbox' },
      overrides: {
        profiles: {
          usage: (name: string) =>
            name === 'tuya-eu'
              ? [
                  job({ id: 'u1', name: 'cam-2_0_0', version: '2.0.0', state: 'queued', profile: 'tuya-eu' }),
                  job({
                    id: 'u2',
                    name: 'cam-2_0_1',
                    version: '2.0.1',
                    state: 'running',
                    profile: 'tuya-eu',
                  }),
                ]
              : [],
        },
      },
    });
    await openProfiles(bridge);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Remove tuya-eu' })));
    const dialog = screen.getByRole('alertdialog', { name: 'Remove profile tuya-eu?' });
    expect(dialog.textContent).toContain('2 jobs in the outbox still need this profile');
    const items = within(dialog)
      .getAllByRole('listitem')
      .map((li) => li.textContent);
    expect(items).toEqual(['cam-2_0_0 2.0.0 (Queued)', 'cam-2_0_1 2.0.1 (Running)']);
    expect(confirm).not.toHaveBeenCalled();
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Keep the profile' }));

    fireEvent.click(within(dialog).getByRole('button', { name: 'Keep the profile' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(bridge.callsOf('profiles.remove')).toEqual([]);

    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Remove tuya-eu' })));
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Remove anyway' })));
    expect(bridge.callsOf('profiles.remove')[0]?.args).toEqual(['tuya-eu']);
    confirm.mockRestore();
  });
});
