// @vitest-environment jsdom
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { useWizardStore } from '../../renderer/src/stores/wizard-store.js';
import { fakeBridge } from './fake-bridge.js';
import { nextButton, renderApp } from './render-app.js';

describe('step 1: target', () => {
  it('starts on the last profile and offers the cloud’s products and recent ones', async () => {
    const bridge = fakeBridge({
      settings: { lastProfile: 'sandbox', recentProducts: { sandbox: ['a1RecentPK1'] } },
    });
    await renderApp(bridge);
    expect(screen.getByLabelText('Profile')).toHaveProperty('value', 'sandbox');
    // The most recent product is prefilled; the cloud's list arrives as chips.
    expect(screen.getByLabelText('Product (ProductKey)')).toHaveProperty('value', 'a1RecentPK1');
    // Each group says what it is: the recent products, then the cloud's others.
    const recent = await screen.findByRole('group', { name: 'Recently used' });
    expect(recent.textContent).toContain('a1RecentPK1');
    expect(recent.textContent).not.toContain('a1OtherPK01');
    const cloud = await screen.findByRole('group', { name: 'Products in this cloud' });
    await waitFor(() => expect(cloud.textContent).toContain('a1OtherPK01'));
    expect(screen.getByText(/2 products from the cloud/)).toBeTruthy();
    expect(bridge.callsOf('cloud.products')[0]?.args).toEqual(['sandbox']);
  });

  it('refuses to go on without a valid ProductKey and says why next to the field', async () => {
    await renderApp(fakeBridge({ settings: { lastProfile: 'sandbox' } }));
    const product = screen.getByLabelText('Product (ProductKey)');
    fireEvent.click(nextButton());
    expect(await screen.findByText('ProductKey is required.')).toBeTruthy();
    expect(product.getAttribute('aria-invalid')).toBe('true');
    expect(useWizardStore.getState().step).toBe('target');

    fireEvent.change(product, { target: { value: 'a1 Bad-Key' } });
    expect(screen.getByText(/may only contain letters and digits/).textContent).toContain('a space');
    fireEvent.click(nextButton());
    expect(useWizardStore.getState().step).toBe('target');

    fireEvent.change(product, { target: { value: 'a1GoodKey42' } });
    expect(screen.queryByText(/may only contain letters and digits/)).toBeNull();
    fireEvent.click(nextButton());
    await screen.findByRole('heading', { name: /Files/ });
    expect(useWizardStore.getState().step).toBe('files');
  });

  it('picks a product from a chip and shows the profile’s endpoint', async () => {
    await renderApp(fakeBridge({ settings: { lastProfile: 'tuya-eu' } }));
    expect(screen.getByText('https://si-example.tuyacloud.com:8686')).toBeTruthy();
    fireEvent.click(await screen.findByRole('button', { name: 'a1SandboxPK' }));
    expect(screen.getByLabelText('Product (ProductKey)')).toHaveProperty('value', 'a1SandboxPK');
    expect(screen.getByRole('button', { name: 'a1SandboxPK' }).getAttribute('aria-pressed')).toBe('true');
  });

  it('shows the error in Chinese when the language is Chinese', async () => {
    await renderApp(fakeBridge({ settings: { locale: 'zh', lastProfile: 'sandbox' } }));
    fireEvent.click(nextButton());
    expect(await screen.findByText('ProductKey 为必填项。')).toBeTruthy();
    expect(screen.getByLabelText('产品（ProductKey）')).toBeTruthy();
  });
});
