// @vitest-environment jsdom
/**
 * Issue 17 in the wizard: the FirmwareName checked against the cloud at the field (taken, with a
 * free name one click applies; offline, only a quiet note), the pre-flight at Review with
 * "Create module", and "Check only" listing every call without sending one.
 */
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { PreflightReport } from '../../electron/core/contract.js';
import { useWizardStore } from '../../renderer/src/stores/wizard-store.js';
import { fakeBridge } from './fake-bridge.js';
import { hashedFile, nextButton, renderApp, startAt } from './render-app.js';

const WAIT = { timeout: 3000 };
const versionForm = {
  productKey: 'a1SandboxPK',
  files: [hashedFile('/fw/app.bin')],
  destVersion: '1.2.0',
  moduleName: 'app',
};

async function atVersion(bridge = fakeBridge({ settings: { lastProfile: 'sandbox' } })) {
  await renderApp(bridge);
  startAt('version', versionForm);
  return bridge;
}

const nameField = () => screen.getByLabelText('Firmware name (FirmwareName)');

describe('FirmwareName checked against the cloud at the field', () => {
  it('shows "already used by the cloud" with a free name one click applies, and blocks Next', async () => {
    const bridge = await atVersion();
    fireEvent.change(nameField(), { target: { value: 'taken-name' } });
    const use = await screen.findByRole('button', { name: 'Use taken-name-2' }, WAIT);
    expect(bridge.callsOf('preflight.checkName').at(-1)?.args).toEqual([
      'sandbox',
      'a1SandboxPK',
      'taken-name',
    ]);
    const error = document.getElementById('field-FirmwareName-error')!;
    expect(error.textContent).toBe('Already used by the cloud: FirmwareName "taken-name" is taken.');
    expect(nameField().getAttribute('aria-invalid')).toBe('true');
    fireEvent.click(nextButton());
    expect(useWizardStore.getState().step).toBe('version');

    fireEvent.click(use);
    expect(nameField()).toHaveProperty('value', 'taken-name-2');
    await waitFor(() => expect(document.getElementById('field-FirmwareName-error')).toBeNull(), WAIT);
    await waitFor(
      () => expect(bridge.callsOf('preflight.checkName').at(-1)?.args[2]).toBe('taken-name-2'),
      WAIT,
    );
    fireEvent.click(nextButton());
    expect(useWizardStore.getState().step).toBe('type');
  });

  it('waits for typing to pause, and does not ask about a name the local rules refuse', async () => {
    const bridge = await atVersion();
    const before = bridge.callsOf('preflight.checkName').length;
    for (const value of ['a', 'ab', 'abc']) fireEvent.change(nameField(), { target: { value } });
    fireEvent.change(nameField(), { target: { value: 'bad.name' } });
    await new Promise((r) => setTimeout(r, 800));
    expect(bridge.callsOf('preflight.checkName').length).toBe(before);
  });

  it('offline: no error, only a quiet note that the name could not be checked (Chinese)', async () => {
    const bridge = fakeBridge({
      settings: { lastProfile: 'sandbox', locale: 'zh' },
      online: false,
      overrides: {
        preflight: {
          checkName: () => ({
            state: 'unchecked',
            reason: { en: 'offline', zh: '电脑处于离线状态，未查询云端。' },
          }),
        },
      },
    });
    await renderApp(bridge);
    startAt('version', versionForm);
    fireEvent.change(screen.getByLabelText(/FirmwareName/), { target: { value: 'taken-name' } });
    const note = await screen.findByText('无法向云端核对名称：电脑处于离线状态，未查询云端。', {}, WAIT);
    expect(note.className).toBe('muted');
    expect(document.getElementById('field-FirmwareName-error')).toBeNull();
  });
});

const reviewForm = { ...versionForm, firmwareName: 'app-1_2_0-new', moduleName: 'gps' };

describe('pre-flight and Check only at Review', () => {
  it('shows the refusal, offers Create module, checks again, and lets the publish go', async () => {
    let created = false;
    const missing: PreflightReport = {
      state: 'checked',
      refusals: [
        {
          severity: 'refusal',
          field: 'ModuleName',
          rule: 'module-missing',
          message: { en: 'ModuleName "gps" does not exist in product a1SandboxPK.', zh: '模块不存在。' },
        },
      ],
      warnings: [
        {
          severity: 'warning',
          field: 'ProductKey',
          rule: 'package-count',
          message: { en: 'Product a1SandboxPK holds 460 of 500 packages.', zh: '已有 460 个。' },
        },
      ],
      missingModule: 'gps',
    };
    const bridge = fakeBridge({
      settings: { lastProfile: 'sandbox' },
      overrides: {
        preflight: {
          check: (): PreflightReport =>
            created ? { state: 'checked', refusals: [], warnings: [], missingModule: null } : missing,
          createModule: () => {
            created = true;
          },
        },
      },
    });
    await renderApp(bridge);
    startAt('review', reviewForm);
    expect(await screen.findByText(/does not exist in product/, {}, WAIT)).toBeTruthy();
    expect(screen.getByText('Not sent: the cloud would refuse this publish.')).toBeTruthy();
    expect(screen.getByText(/holds 460 of 500 packages/).closest('p')?.dataset.preflight).toBe('warning');

    fireEvent.click(screen.getByRole('button', { name: /Publish now/ }));
    await waitFor(() => expect(useWizardStore.getState().step).toBe('review'));
    expect(bridge.callsOf('publish.now')).toHaveLength(0);

    fireEvent.click(screen.getByRole('button', { name: 'Create module gps' }));
    expect(await screen.findByText('Created module gps.')).toBeTruthy();
    expect(bridge.callsOf('preflight.createModule')[0]?.args).toEqual(['sandbox', 'a1SandboxPK', 'gps']);
    expect(screen.getByText('The cloud holds nothing that stops this publish.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: /Publish now/ }));
    await waitFor(() => expect(bridge.callsOf('publish.now')).toHaveLength(1));
  });

  it('"Check only" lists every call and parameter, marks the writes, and sends none', async () => {
    const bridge = fakeBridge({ settings: { lastProfile: 'sandbox' } });
    await renderApp(bridge);
    startAt('review', reviewForm);
    fireEvent.click(screen.getByRole('button', { name: 'Check only' }));
    const plan = await screen.findByTestId('check-only-plan');
    const calls = [...plan.querySelectorAll('[data-call]')].map((c) => c.getAttribute('data-call'));
    expect(calls).toEqual(['GenerateOTAUploadURL', 'CreateOTAFirmware', 'QueryOTAFirmware']);
    const create = plan.querySelector('[data-call="CreateOTAFirmware"]')!;
    expect(create.querySelector('[data-param="FirmwareName"]')?.textContent).toBe('app-1_2_0-new');
    expect(create.textContent).toContain('write');
    expect(plan.querySelector('[data-call="QueryOTAFirmware"]')?.textContent).toContain('read');
    expect(bridge.callsOf('preflight.checkOnly')[0]?.args[0]).toMatchObject({
      profile: 'sandbox',
      spec: { firmwareName: 'app-1_2_0-new', moduleName: 'gps' },
    });
    expect(bridge.callsOf('publish.now')).toHaveLength(0);
    expect(bridge.callsOf('publish.queue')).toHaveLength(0);
  });

  it('the pre-flight that cannot ask the cloud only says so, and the publish can still be queued', async () => {
    const bridge = fakeBridge({
      settings: { lastProfile: 'sandbox' },
      online: false,
      overrides: {
        preflight: {
          check: () => ({ state: 'unchecked', reason: { en: 'the computer is offline', zh: '离线' } }),
        },
      },
    });
    await renderApp(bridge);
    startAt('review', reviewForm);
    expect(
      await screen.findByText('The pre-flight could not ask the cloud: the computer is offline', {}, WAIT),
    ).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: /Queue/ }));
    await waitFor(() => expect(bridge.callsOf('publish.queue')).toHaveLength(1));
  });
});
