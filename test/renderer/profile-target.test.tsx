// @vitest-environment jsdom
import { act, fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ProfileSummary } from '../../electron/core/contract.js';
import { fakeBridge } from './fake-bridge.js';
import { renderApp } from './render-app.js';

const prod: ProfileSummary = {
  name: 'prod',
  provider: 'aliyun',
  accessKeyId: 'LTAI5tKey',
  regionId: 'cn-shanghai',
  hasSecret: true,
  builtIn: false,
  dialect: 'aliyun',
  target: 'https://iot.cn-shanghai.aliyuncs.com',
};

async function editProd() {
  const bridge = fakeBridge({
    settings: { lastProfile: 'sandbox' },
    overrides: { profiles: { list: () => [prod] } },
  });
  await renderApp(bridge);
  fireEvent.click(screen.getByRole('button', { name: 'Profiles' }));
  const item = (await screen.findByText('prod')).closest('li')!;
  fireEvent.click(within(item).getByRole('button', { name: 'Edit prod' }));
  return bridge;
}

describe('profile form: a secret stays with the target it was entered for', () => {
  it('asks for the secret again before saving a profile pointed at a custom endpoint', async () => {
    const bridge = await editProd();
    fireEvent.change(screen.getByLabelText('Custom endpoint (optional)'), {
      target: { value: 'https://proxy.lab.example' },
    });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save' })));
    expect(screen.getByText(/enter the AccessKey secret again/)).toBeTruthy();
    expect(bridge.callsOf('profiles.save')).toEqual([]);

    fireEvent.change(screen.getByLabelText('AccessKey secret'), { target: { value: 's3cret' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save' })));
    expect(bridge.callsOf('profiles.save')[0]?.args).toEqual([
      expect.objectContaining({ regionId: 'cn-shanghai', endpoint: 'https://proxy.lab.example' }),
      's3cret',
      null,
    ]);
  });

  it('keeps the stored secret when nothing about the target changes', async () => {
    const bridge = await editProd();
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save' })));
    expect(bridge.callsOf('profiles.save')[0]?.args[1]).toBeNull();
  });
});
