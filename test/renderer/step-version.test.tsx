// @vitest-environment jsdom
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { useWizardStore } from '../../renderer/src/stores/wizard-store.js';
import { fakeBridge } from './fake-bridge.js';
import { hashedFile, nextButton, renderApp, startAt } from './render-app.js';

async function atVersionStep(locale: 'en' | 'zh' = 'en') {
  const bridge = fakeBridge({ settings: { lastProfile: 'sandbox', locale } });
  await renderApp(bridge);
  startAt('version', { productKey: 'a1SandboxPK', files: [hashedFile('/fw/app.bin')] });
  return bridge;
}

describe('step 3: module and version', () => {
  it('lists the cloud’s modules with default preselected and suggests a dot-free FirmwareName', async () => {
    const bridge = await atVersionStep();
    const module = await screen.findByRole('combobox', { name: 'Module (ModuleName)' });
    await waitFor(() => expect(module.querySelectorAll('option')).toHaveLength(2));
    expect(module).toHaveProperty('value', 'default');
    expect(bridge.callsOf('cloud.modules')[0]?.args).toEqual(['sandbox', 'a1SandboxPK']);

    const version = screen.getByLabelText('Version (DestVersion)');
    const name = screen.getByLabelText('Firmware name (FirmwareName)');
    fireEvent.change(version, { target: { value: '1.2.0' } });
    expect(name).toHaveProperty('value', 'a1SandboxPK-1_2_0');
    fireEvent.change(module, { target: { value: 'app' } });
    expect(name).toHaveProperty('value', 'app-1_2_0');

    // Once edited, the name is the user's; the suggestion is offered as a button instead.
    fireEvent.change(name, { target: { value: 'my-build' } });
    fireEvent.change(version, { target: { value: '1.2.1' } });
    expect(name).toHaveProperty('value', 'my-build');
    fireEvent.click(screen.getByRole('button', { name: 'Use suggestion (app-1_2_1)' }));
    expect(name).toHaveProperty('value', 'app-1_2_1');
  });

  it('shows each field’s rule inline and blocks Next until they hold', async () => {
    await atVersionStep();
    fireEvent.click(nextButton());
    expect(await screen.findByText('DestVersion is required.')).toBeTruthy();
    expect(screen.getByText('FirmwareName is required.')).toBeTruthy();

    fireEvent.change(screen.getByLabelText('Version (DestVersion)'), { target: { value: '1.2 beta' } });
    expect(screen.getByText(/DestVersion "1\.2 beta" may only contain letters, digits/)).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Version (DestVersion)'), { target: { value: '1.2.0' } });

    fireEvent.change(screen.getByLabelText('Firmware name (FirmwareName)'), { target: { value: 'app.1' } });
    expect(screen.getByText(/FirmwareName "app\.1" may only contain/).textContent).toContain('"."');

    const desc = screen.getByLabelText('Description (FirmwareDesc)');
    fireEvent.change(desc, { target: { value: '固'.repeat(101) } });
    expect(screen.getByText('101 / 100 characters').className).toContain('counter-over');
    expect(screen.getByText(/FirmwareDesc is 101 characters long; at most 100/)).toBeTruthy();

    fireEvent.click(nextButton());
    expect(useWizardStore.getState().step).toBe('version');

    fireEvent.change(screen.getByLabelText('Firmware name (FirmwareName)'), {
      target: { value: '固件-app_1(2)' },
    });
    fireEvent.change(desc, { target: { value: '固'.repeat(100) } });
    expect(screen.getByText('100 / 100 characters')).toBeTruthy();
    fireEvent.click(screen.getByLabelText('SHA256'));
    fireEvent.click(screen.getByLabelText('Needs verification on test devices first (NeedToVerify)'));
    fireEvent.click(nextButton());
    expect(useWizardStore.getState().step).toBe('type');
    const form = useWizardStore.getState().form;
    expect([form.signMethod, form.needToVerify, form.firmwareName]).toEqual([
      'SHA256',
      false,
      '固件-app_1(2)',
    ]);
  });

  it('falls back to a typed module when the cloud cannot list modules', async () => {
    const bridge = fakeBridge({
      settings: { lastProfile: 'sandbox' },
      overrides: {
        cloud: {
          modules: () => {
            throw { kind: 'network', message: { en: 'down', zh: '断开' } };
          },
        },
      },
    });
    await renderApp(bridge);
    startAt('version', { productKey: 'a1SandboxPK', files: [hashedFile('/fw/app.bin')] });
    const module = await screen.findByRole('textbox', { name: 'Module (ModuleName)' });
    fireEvent.change(module, { target: { value: 'wifi module' } });
    fireEvent.blur(module);
    expect(screen.getByText(/ModuleName "wifi module" may only contain/)).toBeTruthy();
  });

  it('goes back to the files with Back', async () => {
    await atVersionStep('zh');
    fireEvent.click(screen.getByRole('button', { name: '上一步' }));
    expect(useWizardStore.getState().step).toBe('files');
    expect((await screen.findByRole('heading', { level: 2 })).textContent).toBe('第 2 步，共 7 步文件');
  });
});
