// @vitest-environment jsdom
/**
 * The wizard refuses what the CLI refuses (issue 12), from the same rules: a blank module and an
 * over-long ProductKey are shown next to their fields and block Next.
 */
import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { useWizardStore } from '../../renderer/src/stores/wizard-store.js';
import { specOf, stepIssues } from '../../renderer/src/wizard/rules.js';
import { fakeBridge } from './fake-bridge.js';
import { hashedFile, nextButton, renderApp, startAt } from './render-app.js';

describe('wizard: the local rules the CLI applies', () => {
  it('a cleared module field is an error, not a silent "default"', async () => {
    const bridge = fakeBridge({
      settings: { lastProfile: 'sandbox' },
      // No module list: the module is typed, so it can be cleared.
      overrides: {
        cloud: {
          modules: () => {
            throw { kind: 'network', message: { en: 'down', zh: '断开' } };
          },
        },
      },
    });
    await renderApp(bridge);
    startAt('version', {
      productKey: 'a1SandboxPK',
      files: [hashedFile('/fw/app.bin')],
      destVersion: '1.0.0',
      firmwareName: 'app-1_0_0',
    });
    const module = await screen.findByRole('textbox', { name: 'Module (ModuleName)' });
    fireEvent.change(module, { target: { value: '' } });
    fireEvent.blur(module);
    expect(screen.getByText(/^ModuleName is empty/)).toBeTruthy();
    fireEvent.click(nextButton());
    expect(useWizardStore.getState().step).toBe('version');

    fireEvent.change(module, { target: { value: 'default' } });
    expect(screen.queryByText(/^ModuleName is empty/)).toBeNull();
    fireEvent.click(nextButton());
    expect(useWizardStore.getState().step).toBe('type');
  });

  it('a 65-character ProductKey is refused on the target step', async () => {
    await renderApp(fakeBridge({ settings: { lastProfile: 'sandbox' } }));
    fireEvent.change(screen.getByLabelText('Product (ProductKey)'), { target: { value: 'k'.repeat(65) } });
    expect(screen.getByText('ProductKey is 65 characters long; at most 64 are allowed.')).toBeTruthy();
    fireEvent.click(nextButton());
    expect(useWizardStore.getState().step).toBe('target');
  });

  it('sends the module as typed, so the review sees the same rule', () => {
    const form = { ...useWizardStore.getState().form, moduleName: '' };
    expect(specOf(form, 'aliyun').moduleName).toBe('');
    expect(stepIssues('review', form, 'aliyun').ModuleName?.en).toMatch(/^ModuleName is empty/);
  });
});
