// @vitest-environment jsdom
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { useWizardStore } from '../../renderer/src/stores/wizard-store.js';
import { fakeBridge } from './fake-bridge.js';
import { hashedFile, nextButton, renderApp, startAt } from './render-app.js';

const FILLED = {
  productKey: 'a1SandboxPK',
  files: [hashedFile('/fw/app.bin')],
  destVersion: '1.2.0',
  firmwareName: 'app-1_2_0',
};

describe('step 5: device message (Udi)', () => {
  it('counts characters up to 4,096 and refuses more', async () => {
    await renderApp(fakeBridge({ settings: { lastProfile: 'sandbox' } }));
    startAt('udi', FILLED);
    const udi = screen.getByLabelText('Device message (Udi)');
    expect(screen.getByText('0 / 4096 characters')).toBeTruthy();
    fireEvent.change(udi, { target: { value: '😀'.repeat(4097) } });
    expect(screen.getByText('4097 / 4096 characters').className).toContain('counter-over');
    expect(screen.getByText(/Udi is 4,097 characters long; at most 4,096/)).toBeTruthy();
    fireEvent.click(nextButton());
    expect(useWizardStore.getState().step).toBe('udi');
    fireEvent.change(udi, { target: { value: 'plain text is fine' } });
    fireEvent.click(nextButton());
    expect(useWizardStore.getState().step).toBe('review');
  });

  it('checks JSON syntax when the text looks like JSON, and inserts the ota_notice template', async () => {
    await renderApp(fakeBridge({ settings: { lastProfile: 'sandbox' } }));
    startAt('udi', FILLED);
    const udi = screen.getByLabelText('Device message (Udi)');
    fireEvent.change(udi, { target: { value: '{"ota_notice": "fix",}' } });
    expect(screen.getByText(/This looks like JSON but does not parse/)).toBeTruthy();
    fireEvent.click(nextButton());
    expect(useWizardStore.getState().step).toBe('udi');

    fireEvent.change(udi, { target: { value: '' } });
    fireEvent.click(screen.getByRole('button', { name: 'Insert {"ota_notice": "…"} template' }));
    await waitFor(() =>
      expect(JSON.parse((udi as HTMLTextAreaElement).value)).toEqual({
        ota_notice: 'Describe what changes for the user',
      }),
    );
    expect(screen.getByText('Valid JSON.')).toBeTruthy();
    // The placeholder must not reach the devices: it is a field error until replaced.
    fireEvent.click(nextButton());
    expect(useWizardStore.getState().step).toBe('udi');
    expect(
      screen.getByText(/Replace the template’s placeholder “Describe what changes for the user”/),
    ).toBeTruthy();
    fireEvent.change(udi, { target: { value: '{"ota_notice":"Faster reconnect"}' } });
    fireEvent.click(nextButton());
    expect(useWizardStore.getState().step).toBe('review');
  });
});
