// @vitest-environment jsdom
/**
 * Issue 16's gaps in the renderer: a published job whose verification waits for the cloud says so
 * (still published, never failed), and a cancel the outbox has not applied yet is said until it is.
 */
import { act, fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { JobSummary } from '../../electron/core/contract.js';
import { fakeBridge, job } from './fake-bridge.js';
import { afterJobEvents, hashedFile, renderApp, startAt } from './render-app.js';

const L = {
  en: {
    outbox: /Outbox/,
    published: 'Published',
    reason: "Can't reach iot.example (ECONNREFUSED): the package is published; its verification goes on.",
    next: /Next attempt at \d\d:\d\d:\d\d/,
    retryNow: 'Retry now',
    cancel: 'Cancel',
    pending: 'Cancel requested: the outbox applies it when the current step ends.',
    cancelPublish: 'Cancel publish',
  },
  zh: {
    outbox: /发件箱/,
    published: '已发布',
    reason: '无法连接 iot.example (ECONNREFUSED)：升级包已发布；云端恢复响应后继续在设备上验证。',
    next: /下次尝试：\d\d:\d\d:\d\d/,
    retryNow: '立即重试',
    cancel: '取消',
    pending: '已请求取消：发件箱会在当前步骤结束时执行。',
    cancelPublish: '取消发布',
  },
} as const;

const verifyWaiting = (): JobSummary =>
  job({
    id: 'pv',
    name: 'verify-waits',
    state: 'published',
    firmwareId: 'fw-9',
    verifyOn: ['bench-01'],
    waiting: {
      kind: 'network',
      endpoint: 'https://iot.example',
      message: { en: L.en.reason, zh: L.zh.reason },
    },
    nextAttemptAt: Date.now() + 60_000,
    updatedAt: 10,
  });

const row = (name: string): HTMLElement => screen.getByText(name).closest('li')!;

describe.each(['en', 'zh'] as const)('what waits (%s)', (lang) => {
  const s = L[lang];

  it('a published job waiting for the cloud to verify: published, why, when; nothing to retry', async () => {
    const bridge = fakeBridge({
      settings: { locale: lang, lastProfile: 'sandbox' },
      overrides: { outbox: { list: () => [verifyWaiting()] } },
    });
    await renderApp(bridge);
    fireEvent.click(screen.getByRole('button', { name: s.outbox }));
    await screen.findByText('verify-waits');
    const r = row('verify-waits');
    expect(r.dataset.state).toBe('published');
    expect(within(r).getByText(s.published, { selector: '.badge' })).toBeTruthy();
    expect(r.textContent).toContain(s.reason);
    expect(r.textContent).toMatch(s.next);
    expect(r.querySelector('.error')).toBeNull();
    expect(within(r).queryByText(s.retryNow)).toBeNull();
    expect(within(r).queryByRole('button', { name: new RegExp(s.cancel) })).toBeNull();
  });

  it('a cancel not yet applied says so in the row, until the job shows it applied', async () => {
    const queued = job({ id: 'q', name: 'queued-one', state: 'queued', updatedAt: 20 });
    const bridge = fakeBridge({
      settings: { locale: lang, lastProfile: 'sandbox' },
      overrides: {
        outbox: { list: () => [queued], cancel: () => ({ ...queued, pendingRequest: 'cancel' }) },
      },
    });
    await renderApp(bridge);
    fireEvent.click(screen.getByRole('button', { name: s.outbox }));
    await screen.findByText('queued-one');
    expect(row('queued-one').textContent).not.toContain(s.pending);
    await act(async () => fireEvent.click(within(row('queued-one')).getByText(s.cancel)));
    expect(within(row('queued-one')).getByRole('status').textContent).toBe(s.pending);

    act(() => bridge.emit('job-changed', { ...queued, state: 'cancelled', updatedAt: 21 }));
    await afterJobEvents();
    expect(row('queued-one').textContent).not.toContain(s.pending);
    expect(row('queued-one').dataset.state).toBe('cancelled');
  });
});

const FILLED = {
  productKey: 'a1SandboxPK',
  files: [hashedFile('/fw/app.bin', 2048)],
  destVersion: '1.3.0',
  firmwareName: 'app-1_3_0',
  moduleName: 'app',
  type: 'full' as const,
  srcVersion: '',
};

describe('the wizard tells it too', () => {
  it('progress step: "Cancel requested" while the outbox has not applied it', async () => {
    const bridge = fakeBridge({
      settings: { lastProfile: 'sandbox' },
      overrides: {
        outbox: {
          cancel: (id: string) => job({ id, state: 'running', pendingRequest: 'cancel', updatedAt: 3 }),
        },
      },
    });
    await renderApp(bridge);
    startAt('review', FILLED);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Publish now' })));
    act(() => bridge.emit('job-changed', job({ updatedAt: 2 })));
    await afterJobEvents();
    await act(async () => fireEvent.click(screen.getByRole('button', { name: L.en.cancelPublish })));
    expect(screen.getByText(L.en.pending)).toBeTruthy();
    act(() => bridge.emit('job-changed', job({ state: 'cancelled', updatedAt: 4 })));
    await afterJobEvents();
    expect(screen.queryByText(L.en.pending)).toBeNull();
  });

  it("verify panel: a published job's verification waiting for the cloud says why and when", async () => {
    const bridge = fakeBridge({ settings: { lastProfile: 'sandbox' } });
    await renderApp(bridge);
    startAt('review', FILLED);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Publish now' })));
    act(() => bridge.emit('job-changed', { ...verifyWaiting(), id: 'job-1' }));
    await afterJobEvents();
    const panel = await screen.findByTestId('verify-panel');
    expect(panel.textContent).toContain(L.en.reason);
    expect(panel.textContent).toMatch(L.en.next);
    // Still published: the progress step says so, and shows no error.
    expect(document.querySelector('[data-job-state]')?.getAttribute('data-job-state')).toBe('published');
    expect(document.querySelector('.error')).toBeNull();
  });
});
