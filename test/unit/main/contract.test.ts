import { describe, expect, it, vi } from 'vitest';
import { CONTRACT, EVENTS, type Namespace, type PreloadApi } from '../../../electron/core/contract.js';
import { fakeHandlers } from './fake-handlers.js';

vi.mock('electron', () => import('../../mocks/electron.js'));
const electron = await import('../../mocks/electron.js');

const channels = (Object.keys(CONTRACT) as Namespace[]).flatMap((ns) =>
  CONTRACT[ns].map((m) => `${ns}:${m}`),
);

async function loadPreload(): Promise<PreloadApi> {
  vi.resetModules();
  await import('../../../electron/preload/preload.js');
  return electron.contextBridge.exposed.get('otaPublisher') as PreloadApi;
}

describe('the contract is implemented exactly once on each side', () => {
  it('main registers one handler per channel, and nothing else', async () => {
    electron.resetElectronMock();
    const { setupIpc } = await import('../../../electron/main/ipc.js');
    setupIpc(fakeHandlers().handlers, { isOwnSender: () => true });
    expect([...electron.ipcMain.handlers.keys()].sort()).toEqual([...channels].sort());
    // A second registration of the same channel would throw in Electron (and in the mock).
    expect(() => setupIpc(fakeHandlers().handlers, { isOwnSender: () => true })).toThrow(/second handler/);
  });

  it('the preload exposes one method per channel, named after the contract, and only named methods', async () => {
    electron.resetElectronMock();
    const api = await loadPreload();
    expect(Object.keys(api).sort()).toEqual(['api', 'on', 'pathForFile']);
    const exposed = Object.entries(api.api).flatMap(([ns, methods]) =>
      Object.keys(methods as object).map((m) => `${ns}:${m}`),
    );
    expect(exposed.sort()).toEqual([...channels].sort());
    expect(JSON.stringify(Object.keys(api))).not.toMatch(/ipc|invoke|send/i);
  });

  it('every preload method reaches its main handler and back', async () => {
    electron.resetElectronMock();
    const { setupIpc } = await import('../../../electron/main/ipc.js');
    const fake = fakeHandlers();
    setupIpc(fake.handlers, { isOwnSender: () => true });
    electron.ipcRenderer.invoke.mockImplementation((channel: string, ...args: unknown[]) =>
      Promise.resolve(electron.ipcMain.handlers.get(channel)!({ sender: null, senderFrame: null }, ...args)),
    );
    const api = await loadPreload();
    const sample: Record<string, unknown[]> = {
      'settings:set': [{ theme: 'dark' }],
      'profiles:save': [
        { name: 'p', provider: 'tuya', accessKeyId: 'k', endpoint: 'https://x' },
        'secret',
        null,
      ],
      'profiles:remove': ['p'],
      'profiles:test': [{ name: 'p', provider: 'tuya', accessKeyId: 'k', endpoint: 'https://x' }, null, null],
      'profiles:usage': ['p'],
      'files:stat': [['/a.bin']],
      'files:hash': ['h', ['/a.bin']],
      'files:cancelHash': ['h'],
      'files:saveRecipe': [
        { productKey: 'a', firmwareName: 'b', destVersion: '1', type: 'full', signMethod: 'MD5', files: [] },
        'p',
        null,
      ],
      'spec:validate': [
        { productKey: 'a', firmwareName: 'b', destVersion: '1', type: 'full', signMethod: 'MD5', files: [] },
        'tuya',
      ],
      'cloud:products': ['p'],
      'cloud:modules': ['p', 'pk'],
      'cloud:versions': ['p', 'pk'],
      'cloud:devices': ['p', 'pk', null],
      'packages:list': ['p', 'pk', null],
      'packages:show': ['p', 'fw'],
      'packages:remove': ['p', 'fw'],
      'preflight:checkName': ['p', 'pk', 'app-1'],
      'preflight:check': [
        'p',
        { productKey: 'a', firmwareName: 'b', destVersion: '1', type: 'full', signMethod: 'MD5', files: [] },
      ],
      'preflight:createModule': ['p', 'pk', 'wifi'],
      'preflight:checkOnly': [
        {
          profile: 'p',
          spec: {
            productKey: 'a',
            firmwareName: 'b',
            destVersion: '1',
            type: 'full',
            signMethod: 'MD5',
            files: [],
          },
        },
      ],
      'publish:now': [
        {
          profile: 'p',
          spec: {
            productKey: 'a',
            firmwareName: 'b',
            destVersion: '1',
            type: 'full',
            signMethod: 'MD5',
            files: [],
          },
        },
      ],
      'publish:queue': [
        {
          profile: 'p',
          spec: {
            productKey: 'a',
            firmwareName: 'b',
            destVersion: '1',
            type: 'diff',
            srcVersion: '0',
            signMethod: 'SHA256',
            files: [],
          },
        },
      ],
      'outbox:retry': ['id'],
      'outbox:cancel': ['id'],
      'outbox:verify': ['id', ['bench-01']],
      'outbox:move': ['id', 'lab'],
    };
    for (const channel of channels) {
      const [ns, m] = channel.split(':') as [string, string];
      const method = (
        api.api as unknown as Record<string, Record<string, (...a: unknown[]) => Promise<unknown>>>
      )[ns]![m]!;
      expect(await method(...(sample[channel] ?? [])), channel).toEqual({ ok: true, value: channel });
    }
    expect(fake.calls.map((c) => c.channel)).toEqual(channels);
  });

  it('events: listeners get the payload without the IPC event, and unsubscribe', async () => {
    electron.resetElectronMock();
    const api = await loadPreload();
    for (const name of EVENTS) {
      const seen: unknown[] = [];
      const off = api.on(name, (payload) => seen.push(payload));
      electron.ipcRenderer.emit(name, { sender: 'ipc-event' }, { n: 1 });
      off();
      off();
      electron.ipcRenderer.emit(name, { sender: 'ipc-event' }, { n: 2 });
      expect(seen, name).toEqual([{ n: 1 }]);
    }
    expect(() => api.on('nope' as never, () => {})).toThrow(/Unknown event/);
  });

  it('open requests sent before the renderer subscribes are replayed to its first listener', async () => {
    electron.resetElectronMock();
    const api = await loadPreload();
    electron.ipcRenderer.emit('open', {}, { files: ['/early.bin'] });
    const seen: unknown[] = [];
    api.on('open', (r) => seen.push(r));
    electron.ipcRenderer.emit('open', {}, { files: ['/later.bin'] });
    expect(seen).toEqual([{ files: ['/early.bin'] }, { files: ['/later.bin'] }]);
  });

  it('pathForFile uses webUtils and never throws', async () => {
    electron.resetElectronMock();
    const api = await loadPreload();
    expect(api.pathForFile({ path: '/x/y.bin' } as never)).toBe('/x/y.bin');
    electron.webUtils.getPathForFile.mockImplementation(() => {
      throw new Error('not a File');
    });
    expect(api.pathForFile({} as never)).toBe('');
  });
});
