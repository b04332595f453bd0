// @vitest-environment jsdom
/** A job held because its profile is gone can be sent with another profile, from its outbox row. */
import { act, fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeBridge, job } from './fake-bridge.js';
import { renderApp } from './render-app.js';

const held = job({
  id: 'h',
  name: 'held-one',
  state: 'queued',
  profile: 'gone',
  waiting: {
    kind: 'held',
    endpoint: 'https://gone.example',
    message: { en: 'Held: profile "gone" cannot be used.', zh: '已暂停：配置“gone”无法使用。' },
  },
});

describe('moving a held job', () => {
  it.each([
    ['en', 'Send with another profile:', 'Send with it'],
    ['zh', '改用其他云账号发送：', '改用此账号'],
  ] as const)('(%s) picks a profile and sends the job with it', async (locale, label, button) => {
    const bridge = fakeBridge({
      settings: { locale, lastProfile: 'sandbox' },
      overrides: { outbox: { list: () => [held] } },
    });
    await renderApp(bridge);
    fireEvent.click(screen.getByRole('button', { name: locale === 'en' ? /Outbox/ : /发件箱/ }));
    const row = (await screen.findByText('held-one')).closest('li')!;
    const select = within(row).getByLabelText(label) as HTMLSelectElement;
    const send = within(row).getByText(button) as HTMLButtonElement;
    expect(send.disabled).toBe(true);
    expect([...select.options].map((o) => o.value)).toContain('sandbox');
    fireEvent.change(select, { target: { value: 'sandbox' } });
    expect(send.disabled).toBe(false);
    await act(async () => fireEvent.click(send));
    expect(bridge.callsOf('outbox.move')[0]?.args).toEqual(['h', 'sandbox']);
  });

  it('offers nothing for a job that waits for the network', async () => {
    const bridge = fakeBridge({
      overrides: { outbox: { list: () => [{ ...held, waiting: { ...held.waiting!, kind: 'network' } }] } },
    });
    await renderApp(bridge);
    fireEvent.click(screen.getByRole('button', { name: /Outbox/ }));
    const row = (await screen.findByText('held-one')).closest('li')!;
    expect(within(row).queryByText('Send with it')).toBeNull();
  });
});
