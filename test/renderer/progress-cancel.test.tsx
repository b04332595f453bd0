// @vitest-environment jsdom
import { act, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBridge, job } from './fake-bridge.js';
import { afterJobEvents, hashedFile, renderApp, startAt } from './render-app.js';

const MIB = 1024 * 1024;
const FILLED = {
  productKey: 'a1SandboxPK',
  files: [hashedFile('/fw/app.bin', 2048)],
  destVersion: '1.3.0',
  firmwareName: 'app-1_3_0',
  moduleName: 'app',
  type: 'full' as const,
  srcVersion: '',
};
const files = [{ name: 'big.bin', size: 100 * MIB, md5: 'c', sha256: 'd' }];

afterEach(() => vi.restoreAllMocks());

describe('step 7: speed and time left (issue 16)', () => {
  it('shows a smoothed speed, a time left once stable, and clears both at once on Cancel', async () => {
    let clock = 0;
    vi.spyOn(performance, 'now').mockImplementation(() => clock);
    const bridge = fakeBridge({ settings: { lastProfile: 'sandbox' } });
    await renderApp(bridge);
    startAt('review', FILLED);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Publish now' })));
    act(() => bridge.emit('job-changed', job({ files, updatedAt: 2 })));
    const stats = () => screen.getByTestId('transfer-stats').textContent ?? '';

    // 2 MiB/s for 8 s, a count every 250 ms (the app's 100 ms throttle, thinned).
    let sawSpeedOnly = false;
    for (let at = 0; at <= 8_000; at += 250) {
      clock = at;
      const bytes = 2 * MIB * (at / 1000);
      act(() =>
        bridge.emit('job-progress', {
          jobId: 'job-1',
          step: 'uploading',
          fileIndex: 0,
          bytes,
          total: 100 * MIB,
        }),
      );
      await afterJobEvents();
      if (/MB\/s$/.test(stats())) sawSpeedOnly = true;
    }
    expect(sawSpeedOnly).toBe(true); // a speed before the time left settled
    expect(stats()).toMatch(/16\.0 MB \/ 100\.0 MB · 2\.0 MB\/s, 42 s left/);

    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Cancel publish' })));
    expect(stats()).not.toMatch(/MB\/s|left/);
    // The engine's answer, and a late count already on its way: still nothing.
    act(() => bridge.emit('job-changed', job({ files, state: 'cancelled', updatedAt: 3 })));
    clock = 8_100;
    act(() =>
      bridge.emit('job-progress', {
        jobId: 'job-1',
        step: 'uploading',
        fileIndex: 0,
        bytes: 17 * MIB,
        total: 100 * MIB,
      }),
    );
    await afterJobEvents();
    expect(stats()).not.toMatch(/MB\/s|left/);
  });

  it('clears speed and time left when the job is cancelled elsewhere (the outbox, the CLI)', async () => {
    let clock = 0;
    vi.spyOn(performance, 'now').mockImplementation(() => clock);
    const bridge = fakeBridge({ settings: { lastProfile: 'sandbox' } });
    await renderApp(bridge);
    startAt('review', FILLED);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Publish now' })));
    act(() => bridge.emit('job-changed', job({ files, updatedAt: 2 })));
    for (let at = 0; at <= 3_000; at += 250) {
      clock = at;
      act(() =>
        bridge.emit('job-progress', {
          jobId: 'job-1',
          step: 'uploading',
          fileIndex: 0,
          bytes: MIB * (at / 1000),
          total: 100 * MIB,
        }),
      );
      await afterJobEvents();
    }
    expect(screen.getByTestId('transfer-stats').textContent).toMatch(/MB\/s/);
    act(() => bridge.emit('job-changed', job({ files, state: 'cancelled', updatedAt: 3 })));
    await afterJobEvents();
    expect(screen.getByTestId('transfer-stats').textContent).not.toMatch(/MB\/s|left/);
  });
});
