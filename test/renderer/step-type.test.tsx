// @vitest-environment jsdom
import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { useWizardStore } from '../../renderer/src/stores/wizard-store.js';
import { fakeBridge } from './fake-bridge.js';
import { hashedFile, nextButton, renderApp, startAt } from './render-app.js';

const FILLED = {
  productKey: 'a1SandboxPK',
  files: [hashedFile('/fw/app.bin')],
  destVersion: '1.2.0',
  firmwareName: 'app-1_2_0',
  moduleName: 'app',
};

describe('step 4: package type', () => {
  it('requires a SrcVersion different from DestVersion for a differential package', async () => {
    await renderApp(fakeBridge({ settings: { lastProfile: 'sandbox' } }));
    startAt('type', FILLED);
    expect(screen.queryByLabelText('Source version (SrcVersion)')).toBeNull();
    fireEvent.click(screen.getByLabelText(/Differential package/));
    fireEvent.click(nextButton());
    expect(await screen.findByText(/SrcVersion is required for a differential package/)).toBeTruthy();

    const src = screen.getByLabelText('Source version (SrcVersion)');
    fireEvent.change(src, { target: { value: '1.2.0' } });
    expect(screen.getByText(/SrcVersion "1\.2\.0" equals DestVersion/)).toBeTruthy();
    fireEvent.click(nextButton());
    expect(useWizardStore.getState().step).toBe('type');

    // Suggestions are versions already published for this module only.
    const published = await screen.findByRole('group', { name: 'Published versions' });
    expect(within(published).queryByText('1.1.0')).toBeNull();
    fireEvent.click(within(published).getByRole('button', { name: '1.0.0' }));
    expect(src).toHaveProperty('value', '1.0.0');
    fireEvent.click(nextButton());
    expect(useWizardStore.getState().step).toBe('udi');
  });

  it('goes on with a full package and sends no SrcVersion', async () => {
    await renderApp(fakeBridge({ settings: { lastProfile: 'sandbox' } }));
    startAt('type', { ...FILLED, type: 'diff', srcVersion: '1.0.0' });
    fireEvent.click(screen.getByLabelText(/Full package/));
    fireEvent.click(nextButton());
    expect(useWizardStore.getState().step).toBe('udi');
  });

  it('offers no differential package for the Tuya-hosted service', async () => {
    await renderApp(fakeBridge({ settings: { lastProfile: 'tuya-eu' } }));
    startAt('type', FILLED);
    expect(screen.getByLabelText(/Differential package/)).toHaveProperty('disabled', true);
    expect(screen.getByText('The Tuya-hosted service takes full packages only.')).toBeTruthy();
  });
});
