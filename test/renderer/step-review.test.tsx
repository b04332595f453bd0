// @vitest-environment jsdom
import { act, fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { PublishRequest } from '../../electron/core/contract.js';
import { useWizardStore } from '../../renderer/src/stores/wizard-store.js';
import { fakeBridge, job } from './fake-bridge.js';
import { afterJobEvents, hashedFile, renderApp, startAt } from './render-app.js';

const FILLED = {
  productKey: 'a1SandboxPK',
  files: [hashedFile('/fw/app.bin', 2048), { ...hashedFile('/fw/ui.zip', 4096), name: 'ui' }],
  destVersion: '1.3.0',
  firmwareName: 'app-1_3_0',
  moduleName: 'app',
  type: 'diff' as const,
  srcVersion: '1.2.0',
  signMethod: 'SHA256' as const,
  desc: 'Fixes Wi-Fi',
  udi: '{"ota_notice":"hi"}',
};

describe('step 6: review', () => {
  it('shows exactly what is sent and publishes it now when online', async () => {
    const bridge = fakeBridge({ settings: { lastProfile: 'sandbox' } });
    await renderApp(bridge);
    startAt('review', FILLED);
    const review = screen.getByTestId('review');
    for (const value of [
      'a1SandboxPK',
      'app-1_3_0',
      '1.3.0',
      'app',
      '1.2.0',
      'SHA256',
      'Fixes Wi-Fi',
      '{"ota_notice":"hi"}',
    ]) {
      expect(within(review).getByText(value)).toBeTruthy();
    }
    // The FirmwareSign of each file is its digest for the chosen method, and multi-file names show.
    expect(screen.getByText('sha-app.bin')).toBeTruthy();
    // Each file's full path is on the page, not only in a tooltip.
    const files = document.querySelector<HTMLElement>('.review-files')!;
    expect([...files.querySelectorAll('[data-file-path]')].map((e) => e.textContent)).toEqual([
      '/fw/app.bin',
      '/fw/ui.zip',
    ]);
    expect(within(files).getByText('/fw/ui.zip').closest('[title]')).toBeNull();
    expect(screen.getByText('MultiFiles.2.Name')).toBeTruthy();
    expect(screen.getByLabelText(/Publish now/)).toHaveProperty('checked', true);

    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Publish now' })));
    const [request] = bridge.callsOf('publish.now')[0]!.args as [PublishRequest];
    expect(request).toEqual({
      profile: 'sandbox',
      spec: {
        productKey: 'a1SandboxPK',
        firmwareName: 'app-1_3_0',
        destVersion: '1.3.0',
        moduleName: 'app',
        type: 'diff',
        srcVersion: '1.2.0',
        signMethod: 'SHA256',
        desc: 'Fixes Wi-Fi',
        udi: '{"ota_notice":"hi"}',
        needToVerify: true,
        files: [
          { path: '/fw/app.bin', name: 'app.bin' },
          { path: '/fw/ui.zip', name: 'ui' },
        ],
      },
    });
    expect(useWizardStore.getState().step).toBe('progress');
  });

  it('defaults to queueing while offline', async () => {
    const bridge = fakeBridge({ settings: { lastProfile: 'sandbox' }, online: false });
    await renderApp(bridge);
    startAt('review', FILLED);
    expect(screen.getByTestId('network-status').textContent).toBe('Offline');
    expect(screen.getByLabelText(/Queue until online/)).toHaveProperty('checked', true);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Queue' })));
    expect(bridge.callsOf('publish.queue')).toHaveLength(1);
    expect(bridge.callsOf('publish.now')).toHaveLength(0);
    expect(await screen.findByText('Queued: publishes when the cloud is reachable.')).toBeTruthy();
  });

  it('waits for hashing before it can publish, and sends nothing while a step is invalid', async () => {
    const bridge = fakeBridge({ settings: { lastProfile: 'sandbox' } });
    await renderApp(bridge);
    const hashing = {
      ...hashedFile('/fw/app.bin'),
      hash: { status: 'hashing' as const, bytes: 0, startedAt: 0, rate: 0 },
    };
    startAt('review', { ...FILLED, files: [hashing] });
    expect(screen.getByRole('button', { name: 'Waiting for hashing to finish…' })).toHaveProperty(
      'disabled',
      true,
    );

    startAt('review', { ...FILLED, srcVersion: '1.3.0' });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Publish now' })));
    expect(bridge.callsOf('publish.now')).toHaveLength(0);
    expect(screen.getByText(/equals DestVersion/)).toBeTruthy();
  });

  it('shows the engine’s validation issues when the main process refuses the spec', async () => {
    const bridge = fakeBridge({
      settings: { lastProfile: 'sandbox' },
      overrides: {
        publish: {
          now: () => {
            throw {
              kind: 'invalid',
              message: { en: 'The spec is invalid.', zh: '规格无效。' },
              issues: [
                {
                  field: 'Files.1',
                  rule: 'too-large',
                  message: { en: 'File app.bin is too large.', zh: '文件过大。' },
                },
              ],
            };
          },
        },
      },
    });
    await renderApp(bridge);
    startAt('review', FILLED);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Publish now' })));
    expect(screen.getByRole('alert').textContent).toContain('The spec is invalid.');
    expect(screen.getByText(/File app\.bin is too large\./)).toBeTruthy();
    expect(useWizardStore.getState().step).toBe('review');
  });
});

describe('step 7: progress and result', () => {
  it('shows steps, per-file bars with speed and ETA, then the FirmwareId with a copy button', async () => {
    const bridge = fakeBridge({ settings: { lastProfile: 'sandbox' } });
    await renderApp(bridge);
    startAt('review', FILLED);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Publish now' })));
    const files = [
      { name: 'app.bin', size: 2048, md5: 'a', sha256: 'b' },
      { name: 'ui', size: 4 * 1024 * 1024, md5: 'c', sha256: 'd' },
    ];
    act(() => bridge.emit('job-changed', job({ files, updatedAt: 2 })));
    act(() => bridge.emit('job-progress', { jobId: 'job-1', step: 'uploading', fileIndex: 1, bytes: 0 }));
    await afterJobEvents();
    expect(screen.getByText('Requesting upload URL').getAttribute('aria-current')).toBe('step');

    act(() =>
      bridge.emit('job-progress', {
        jobId: 'job-1',
        step: 'uploading',
        fileIndex: 1,
        bytes: 1024 * 1024,
        total: 4 * 1024 * 1024,
        rate: 1024 * 1024,
      }),
    );
    await afterJobEvents();
    expect(screen.getByText('Uploading').getAttribute('aria-current')).toBe('step');
    const bar = screen.getByRole('progressbar', { name: 'Upload of ui' });
    expect(bar.getAttribute('value')).toBe(String(1024 * 1024));
    // One reading gives no stable estimate: the count only (speed and ETA over time: progress-cancel.test.tsx).
    expect(screen.getByText(/1\.0 MB \/ 4\.0 MB/)).toBeTruthy();
    expect(screen.queryByText(/s left/)).toBeNull();
    expect(screen.getByRole('button', { name: 'Cancel publish' })).toBeTruthy();

    act(() => bridge.emit('job-progress', { jobId: 'job-1', step: 'verifying' }));
    await afterJobEvents();
    expect(screen.getByText('Verifying').getAttribute('aria-current')).toBe('step');
    act(() =>
      bridge.emit('job-changed', job({ files, state: 'published', firmwareId: 'fw-123', updatedAt: 3 })),
    );
    await afterJobEvents();
    expect(screen.getByTestId('firmware-id').textContent).toBe('fw-123');
    expect(screen.getByRole('button', { name: 'Copy FirmwareId' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Cancel publish' })).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Publish another package' }));
    // The target is kept, so the next publish starts on the Files step.
    expect(useWizardStore.getState().step).toBe('files');
    expect(useWizardStore.getState().form.productKey).toBe('a1SandboxPK');
  });

  it('shows the cloud’s code, RequestId and what to do next when the publish fails, and cancels on request', async () => {
    const bridge = fakeBridge({ settings: { lastProfile: 'sandbox' } });
    await renderApp(bridge);
    startAt('review', FILLED);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Publish now' })));
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Cancel publish' })));
    expect(bridge.callsOf('outbox.cancel')[0]?.args).toEqual(['job-1']);

    act(() =>
      bridge.emit(
        'job-changed',
        job({
          state: 'failed',
          updatedAt: 9,
          error: {
            message: 'The firmware name is already used.',
            code: 'iot.ota.FirmwareNameExists',
            requestId: 'REQ-42',
            hint: { en: 'Choose another FirmwareName.', zh: '请换一个 FirmwareName。' },
          },
        }),
      ),
    );
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('iot.ota.FirmwareNameExists');
    expect(alert.textContent).toContain('REQ-42');
    expect(alert.textContent).toContain('What to do next: Choose another FirmwareName.');
  });
});
