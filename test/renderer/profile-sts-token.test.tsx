// @vitest-environment jsdom
/** The profile form's optional STS security token: write-only, sent with the secret, never shown. */
import { act, fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ProfileSummary } from '../../electron/core/contract.js';
import { en } from '../../renderer/src/i18n/en.js';
import { zh } from '../../renderer/src/i18n/zh.js';
import { fakeBridge } from './fake-bridge.js';
import { renderApp } from './render-app.js';

const TOKEN = 'CAIS+FormT0ken/Value==';
const ci: ProfileSummary = {
  name: 'ci',
  provider: 'aliyun',
  accessKeyId: 'STS.NTemp',
  regionId: 'cn-shanghai',
  hasSecret: true,
  hasSecurityToken: true,
  builtIn: false,
  dialect: 'aliyun',
  target: 'https://iot.cn-shanghai.aliyuncs.com',
};

async function openProfiles(profiles: ProfileSummary[] = []) {
  const bridge = fakeBridge({
    settings: { lastProfile: 'sandbox' },
    overrides: { profiles: { list: () => profiles } },
  });
  await renderApp(bridge);
  fireEvent.click(screen.getByRole('button', { name: 'Profiles' }));
  await screen.findByRole('button', { name: 'Add profile' });
  return bridge;
}

function describedBy(label: string): string {
  const ids = (screen.getByLabelText(label).getAttribute('aria-describedby') ?? '').split(' ');
  return ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
}

describe('profile form: STS security token', () => {
  it('is a write-only field sent with the secret to test and save, then cleared', async () => {
    const bridge = await openProfiles();
    fireEvent.click(screen.getByRole('button', { name: 'Add profile' }));
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'ci' } });
    fireEvent.change(screen.getByLabelText('AccessKey ID'), { target: { value: 'STS.NTemp' } });
    fireEvent.change(screen.getByLabelText('AccessKey secret'), { target: { value: 's3cret' } });
    const token = screen.getByLabelText('STS security token (optional)');
    expect(token.getAttribute('type')).toBe('password');
    fireEvent.change(token, { target: { value: TOKEN } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Test connection' })));
    expect(bridge.callsOf('profiles.test')[0]?.args.slice(1)).toEqual(['s3cret', TOKEN]);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save' })));
    expect(bridge.callsOf('profiles.save')[0]?.args.slice(1)).toEqual(['s3cret', TOKEN]);
    expect(bridge.callsOf('profiles.test')[1]?.args.slice(1)).toEqual(['s3cret', TOKEN]);
    expect(document.body.innerHTML).not.toContain(TOKEN);
  });

  it('without a token sends null (a permanent key)', async () => {
    const bridge = await openProfiles();
    fireEvent.click(screen.getByRole('button', { name: 'Add profile' }));
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'prod' } });
    fireEvent.change(screen.getByLabelText('AccessKey ID'), { target: { value: 'LTAI5tKey' } });
    fireEvent.change(screen.getByLabelText('AccessKey secret'), { target: { value: 's3cret' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save' })));
    expect(bridge.callsOf('profiles.save')[0]?.args.slice(1)).toEqual(['s3cret', null]);
  });

  it('says a token is stored when editing, and refuses a new token without its secret', async () => {
    const bridge = await openProfiles([ci]);
    const item = (await screen.findByText('ci')).closest('li')!;
    fireEvent.click(within(item).getByRole('button', { name: 'Edit ci' }));
    const label = 'STS security token (optional)';
    expect(describedBy(label)).toContain('A token is stored.');
    expect((screen.getByLabelText(label) as HTMLInputElement).value).toBe('');
    fireEvent.change(screen.getByLabelText(label), { target: { value: TOKEN } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save' })));
    expect(screen.getByLabelText(label).getAttribute('aria-invalid')).toBe('true');
    expect(describedBy(label)).toContain('Enter the temporary AccessKey secret issued with this token.');
    expect(bridge.callsOf('profiles.save')).toEqual([]);
    // Saving without touching the token keeps the stored secret and token (null, null).
    fireEvent.change(screen.getByLabelText(label), { target: { value: '' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save' })));
    expect(bridge.callsOf('profiles.save')[0]?.args.slice(1)).toEqual([null, null]);
  });

  it('has its texts in English and Chinese', () => {
    for (const key of [
      'profiles.securityToken',
      'profiles.securityTokenHint',
      'profiles.securityTokenSet',
      'profiles.securityTokenNeedsSecret',
    ] as const) {
      expect(en[key]).toBeTruthy();
      expect(zh[key]).toBeTruthy();
      expect(zh[key]).not.toBe(en[key]);
    }
  });
});
