import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ValidationError } from '../../../electron/core/validation-issue.js';
import { CloudError } from '../../../electron/core/cloud/errors.js';
import { fakeHandlers } from './fake-handlers.js';

vi.mock('electron', () => import('../../mocks/electron.js'));
const electron = await import('../../mocks/electron.js');
const { setupIpc, forwardEvents } = await import('../../../electron/main/ipc.js');
const { WindowHost } = await import('../../../electron/main/window-host.js');
const { AppEvents } = await import('../../../electron/core/app/app-events.js');

beforeEach(() => electron.resetElectronMock());

function setup() {
  const fake = fakeHandlers();
  const host = new WindowHost();
  const window = new electron.BrowserWindow({});
  host.attach(window as never);
  setupIpc(fake.handlers, host, () => {});
  const own = { sender: window.webContents, senderFrame: { url: 'app://bundle/index.html' } };
  const call = (channel: string, event: unknown, ...args: unknown[]) =>
    electron.ipcMain.handlers.get(channel)!(event, ...args) as Promise<{
      ok: boolean;
      value?: unknown;
      error?: { kind: string; message: { en: string; zh: string } };
    }>;
  return { ...fake, host, window, own, call };
}

describe('IPC handlers', () => {
  it('answer the app window with the handler value', async () => {
    const { call, own, calls } = setup();
    expect(await call('outbox:retry', own, 'job-1')).toEqual({ ok: true, value: 'outbox:retry' });
    expect(calls).toEqual([{ channel: 'outbox:retry', args: ['job-1'] }]);
  });

  it('reject every other sender: another webContents, another page, a destroyed window', async () => {
    const { call, own, calls, window } = setup();
    const other = new electron.MockWebContents();
    const cases = [
      { sender: other, senderFrame: { url: 'app://bundle/index.html' } },
      { sender: own.sender, senderFrame: { url: 'https://evil.example/' } },
      { sender: own.sender, senderFrame: { url: 'app://bundlex/index.html' } },
      { sender: own.sender, senderFrame: null },
    ];
    for (const event of cases) {
      const answer = await call('settings:get', event);
      expect(answer).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    }
    window.destroyed = true;
    expect(await call('settings:get', own)).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    expect(calls).toEqual([]);
  });

  it('check every argument before the handler runs', async () => {
    const { call, own, calls } = setup();
    const bad: [string, unknown[]][] = [
      ['outbox:retry', []],
      ['outbox:retry', [42]],
      ['outbox:retry', ['a', 'b']],
      ['files:hash', ['h', ['relative/path.bin']]],
      ['files:hash', ['h', 'not-a-list']],
      ['files:stat', [['/a\0b']]],
      ['settings:set', [{ locale: 'fr' }]],
      ['settings:set', [{ theme: 'dark', __proto__: { polluted: true } }]],
      ['settings:set', [{ theme: 'dark', extra: 1 }]],
      ['profiles:save', [{ name: 'p', provider: 'aws', accessKeyId: 'k' }, null, null]],
      ['profiles:save', [{ name: 'p', provider: 'aliyun', accessKeyId: 'k' }, 7, null]],
      ['spec:validate', [{ productKey: 'p' }, 'aliyun']],
      ['spec:validate', [null, 'aliyun']],
      [
        'publish:now',
        [
          {
            profile: 'sandbox',
            spec: {
              productKey: 'a',
              firmwareName: 'b',
              destVersion: '1',
              type: 'full',
              signMethod: 'CRC',
              files: [],
            },
          },
        ],
      ],
      ['cloud:modules', ['sandbox']],
    ];
    for (const [channel, args] of bad) {
      const answer = await call(channel, own, ...args);
      expect(answer, `${channel} ${JSON.stringify(args)}`).toMatchObject({
        ok: false,
        error: { kind: 'invalid-argument' },
      });
      expect(answer.error!.message.zh).toMatch(/请求无效/);
    }
    expect(calls).toEqual([]);
    const good = {
      productKey: 'a',
      firmwareName: 'b',
      destVersion: '1',
      type: 'full',
      signMethod: 'MD5',
      files: [{ path: '/tmp/x.bin' }],
    };
    expect(await call('publish:now', own, { profile: 'sandbox', spec: good })).toMatchObject({ ok: true });
    expect(await call('settings:set', own, { locale: 'zh' })).toMatchObject({ ok: true });
    expect(
      await call(
        'profiles:save',
        own,
        { name: 'p', provider: 'aliyun', accessKeyId: 'k', regionId: 'cn-shanghai' },
        null,
        null,
      ),
    ).toMatchObject({ ok: true });
  });

  it('name the argument path and what belongs there, never the value', async () => {
    const { call, own } = setup();
    const spec = {
      productKey: 'a',
      firmwareName: 'b',
      destVersion: '1',
      type: 'full',
      signMethod: 'CRC',
      files: [],
    };
    const cases: [string, unknown[], string][] = [
      ['outbox:retry', ['a', 'b'], 'Invalid request: expected 1 argument(s), got 2.'],
      ['outbox:retry', [42], 'Invalid request: argument 1 must be a string of at most 128 characters.'],
      [
        'settings:set',
        [{ theme: 'dark', extra: 1 }],
        'Invalid request: argument 1.extra must be absent (unknown field).',
      ],
      ['files:stat', [['/a', 'rel/x.bin']], 'Invalid request: argument 1[1] must be an absolute file path.'],
      [
        'publish:now',
        [{ profile: 'sandbox', spec }],
        'Invalid request: argument 1.spec.signMethod must be one of MD5, SHA256.',
      ],
    ];
    for (const [channel, args, en] of cases) {
      const answer = await call(channel, own, ...args);
      expect(answer.error?.message.en).toBe(en);
      expect(JSON.stringify(answer)).not.toMatch(/CRC|rel\/x/);
    }
    const answer = await call('files:stat', own, [7]);
    expect(answer.error?.message.zh).toMatch(/^请求无效：argument 1\[0\] 必须是.+。$/);
  });

  it('turn errors into bilingual IpcError values, never a stack or an unexpected message', async () => {
    const { call, own, handlers } = setup();
    vi.mocked(handlers.outbox.list).mockImplementation(() => {
      throw new Error('boom at /home/me with secret s3cr3t');
    });
    const internal = await call('outbox:list', own);
    expect(internal).toMatchObject({ ok: false, error: { kind: 'internal' } });
    expect(JSON.stringify(internal)).not.toMatch(/s3cr3t|boom|at \//);

    const issue = {
      field: 'DestVersion',
      rule: 'required',
      message: { en: 'DestVersion is required.', zh: '必须填写 DestVersion。' },
    };
    vi.mocked(handlers.spec.validate).mockRejectedValue(new ValidationError([issue]));
    const invalid = await call(
      'spec:validate',
      own,
      { productKey: 'a', firmwareName: 'b', destVersion: '', type: 'full', signMethod: 'MD5', files: [] },
      'aliyun',
    );
    expect(invalid).toEqual({
      ok: false,
      error: {
        kind: 'invalid',
        message: { en: 'DestVersion is required.', zh: '必须填写 DestVersion。' },
        issues: [issue],
      },
    });

    vi.mocked(handlers.cloud.versions).mockRejectedValue(
      new CloudError({
        kind: 'auth',
        action: 'ListOTAFirmware',
        code: 'InvalidAccessKeyId.NotFound',
        requestId: 'R1',
        hint: { en: 'Check the ID.', zh: '检查 ID。' },
      }),
    );
    expect(await call('cloud:versions', own, 'p', 'pk')).toEqual({
      ok: false,
      error: {
        kind: 'auth',
        message: { en: 'Check the ID.', zh: '检查 ID。' },
        code: 'InvalidAccessKeyId.NotFound',
        requestId: 'R1',
        cloudMessage: undefined,
      },
    });
  });

  it('forward service events to the loaded window, holding open requests until it has loaded', () => {
    const { host, window } = setup();
    const events = new AppEvents();
    forwardEvents(events, host);
    events.emit('open', { files: ['/a.bin'] });
    events.emit('network-status', { online: false });
    expect(window.webContents.send).not.toHaveBeenCalled();
    window.webContents.emit('did-finish-load');
    expect(window.webContents.send.mock.calls).toEqual([['open', { files: ['/a.bin'] }]]);
    events.emit('job-progress', { jobId: 'j', step: 'uploading' });
    expect(window.webContents.send).toHaveBeenLastCalledWith('job-progress', {
      jobId: 'j',
      step: 'uploading',
    });
  });
});
