// @vitest-environment jsdom
import { act, fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { en } from '../../renderer/src/i18n/en.js';
import { zh } from '../../renderer/src/i18n/zh.js';
import { fakeBridge, job } from './fake-bridge.js';
import { renderApp } from './render-app.js';

describe('outbox view', () => {
  it('lists jobs by state with retry and cancel, and follows job-changed events', async () => {
    const bridge = fakeBridge({
      settings: { lastProfile: 'sandbox' },
      overrides: {
        outbox: {
          list: () => [
            job({ id: 'q', name: 'queued-one', state: 'queued', createdAt: 3 }),
            job({
              id: 'f',
              name: 'failed-one',
              state: 'failed',
              createdAt: 2,
              error: {
                message: 'Boom',
                code: 'X.Y',
                requestId: 'R1',
                hint: { en: 'Try later.', zh: '稍后重试。' },
              },
            }),
            job({ id: 'p', name: 'done-one', state: 'published', firmwareId: 'fw-9', createdAt: 1 }),
          ],
        },
      },
    });
    await renderApp(bridge);
    fireEvent.click(screen.getByRole('button', { name: /Outbox/ }));
    const failed = await screen.findByText('failed-one');
    const failedItem = failed.closest('li')!;
    expect(within(failedItem).getByText('Failed')).toBeTruthy();
    expect(failedItem.textContent).toContain('R1');
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Retry failed-one' })));
    expect(bridge.callsOf('outbox.retry')[0]?.args).toEqual(['f']);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Cancel queued-one' })));
    expect(bridge.callsOf('outbox.cancel')[0]?.args).toEqual(['q']);
    expect(screen.getByText('fw-9')).toBeTruthy();

    act(() => bridge.emit('job-changed', job({ id: 'p2', name: 'new-one', state: 'running', createdAt: 4 })));
    expect(screen.getByText('new-one')).toBeTruthy();
  });

  it('shows an offline badge that follows network-status events', async () => {
    const bridge = fakeBridge({ settings: { lastProfile: 'sandbox' } });
    await renderApp(bridge);
    expect(screen.getByTestId('network-status').textContent).toBe('Online');
    act(() => bridge.emit('network-status', { online: false }));
    expect(screen.getByTestId('network-status').textContent).toBe('Offline');
  });
});

describe('profiles view', () => {
  it('adds a profile with a write-only secret and keeps the stored secret when editing', async () => {
    const bridge = fakeBridge({ settings: { lastProfile: 'sandbox' } });
    await renderApp(bridge);
    fireEvent.click(screen.getByRole('button', { name: 'Profiles' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Add profile' }));
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(screen.getByText('Give the profile a name.')).toBeTruthy();
    expect(screen.getByText('Enter the AccessKey secret.')).toBeTruthy();

    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'prod' } });
    fireEvent.change(screen.getByLabelText('AccessKey ID'), { target: { value: 'LTAI5tKey' } });
    const secret = screen.getByLabelText('AccessKey secret');
    expect(secret.getAttribute('type')).toBe('password');
    fireEvent.change(secret, { target: { value: 's3cret' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save' })));
    expect(bridge.callsOf('profiles.save')[0]?.args).toEqual([
      {
        name: 'prod',
        provider: 'aliyun',
        accessKeyId: 'LTAI5tKey',
        regionId: 'cn-shanghai',
        instanceId: undefined,
        endpoint: undefined,
      },
      's3cret',
      null,
    ]);
    const item = (await screen.findByText('prod')).closest('li')!;
    // The list learns only that a secret exists.
    expect(item.textContent).toContain('Secret stored');
    expect(document.body.textContent).not.toContain('s3cret');

    fireEvent.click(within(item).getByRole('button', { name: 'Edit prod' }));
    expect(screen.getByLabelText('AccessKey secret')).toHaveProperty('value', '');
    expect(screen.getByText(/A secret is stored\. Leave empty to keep it\./)).toBeTruthy();
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save' })));
    expect(bridge.callsOf('profiles.save')[1]?.args[1]).toBeNull();

    vi.spyOn(window, 'confirm').mockReturnValue(true);
    await act(async () =>
      fireEvent.click(
        within(screen.getByText('prod').closest('li')!).getByRole('button', { name: 'Remove prod' }),
      ),
    );
    expect(bridge.callsOf('profiles.remove')[0]?.args).toEqual(['prod']);
    // The built-in sandbox cannot be edited or removed.
    const sandbox = screen.getByText('sandbox').closest('li')!;
    expect(within(sandbox).queryByRole('button')).toBeNull();
  });
});

describe('languages and themes', () => {
  it('has every English key in Chinese and nothing else', () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
    for (const [key, value] of Object.entries(zh)) expect(value, key).not.toBe('');
  });

  it('follows the OS locale, switches language and theme from the header', async () => {
    const bridge = fakeBridge({
      settings: { locale: 'system', lastProfile: 'sandbox' },
      overrides: {
        app: { info: () => ({ version: '1', platform: 'linux', systemLocale: 'zh-CN', online: true }) },
      },
    });
    await renderApp(bridge);
    expect(screen.getByRole('button', { name: '发布' })).toBeTruthy();
    expect(document.documentElement.lang).toBe('zh-CN');
    await act(async () => fireEvent.change(screen.getByLabelText('语言'), { target: { value: 'en' } }));
    expect(screen.getByRole('button', { name: 'Publish' })).toBeTruthy();
    expect(bridge.callsOf('settings.set').map((c) => c.args[0])).toContainEqual({ locale: 'en' });

    expect(document.documentElement.dataset.theme).toBeUndefined();
    await act(async () => fireEvent.change(screen.getByLabelText('Theme'), { target: { value: 'dark' } }));
    expect(document.documentElement.dataset.theme).toBe('dark');
  });

  it('opens files and a recipe sent by the main process', async () => {
    const bridge = fakeBridge({ settings: { lastProfile: 'sandbox' } });
    await renderApp(bridge);
    await act(async () =>
      bridge.emit('open', {
        files: ['/fw/opened.bin'],
        recipe: {
          path: '/fw/r.otapub',
          spec: { productKey: 'a1OpenedPK1', destVersion: '2.0.0' },
          files: [{ path: '/fw/cam.bin', name: 'camera' }],
        },
      }),
    );
    expect(screen.getByLabelText('Product (ProductKey)')).toHaveProperty('value', 'a1OpenedPK1');
    expect(bridge.callsOf('files.stat')[0]?.args).toEqual([['/fw/cam.bin', '/fw/opened.bin']]);
  });
});
