// @vitest-environment jsdom
import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeBridge } from './fake-bridge.js';
import { renderApp } from './render-app.js';

describe('outbox view: damaged job records', () => {
  it('lists a record that cannot be read with its path and reason, never hiding it', async () => {
    const file = '/home/lab/.config/OTA Publisher/outbox/jobs/0f3c9a2e-1111-4222-8333-444455556666.json';
    const bridge = fakeBridge({
      settings: { lastProfile: 'sandbox' },
      overrides: {
        outbox: {
          damaged: () => [{ id: '0f3c9a2e-1111-4222-8333-444455556666', file, reason: 'checksum mismatch' }],
        },
      },
    });
    await renderApp(bridge);
    fireEvent.click(screen.getByRole('button', { name: /Outbox/ }));
    const path = await screen.findByText(file);
    const item = path.closest('li')!;
    expect(item.textContent).toContain('Damaged');
    expect(item.textContent).toContain('checksum mismatch');
    expect(item.textContent).toContain('nothing is sent for it');
    expect(screen.queryByText('No publishes yet.')).toBeNull();
  });
});
