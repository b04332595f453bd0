// @vitest-environment jsdom
import { act, fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { OpenRequest } from '../../electron/core/contract.js';
import { useWizardStore } from '../../renderer/src/stores/wizard-store.js';
import { fakeBridge } from './fake-bridge.js';
import { hashedFile, renderApp, startAt } from './render-app.js';

const REFUSED = {
  en: 'Recipe file "cam.bin" was refused: a symbolic link on the way leads out of the folder, to /home/u/.ssh/id_rsa.',
  zh: '配方文件“cam.bin”已被拒绝：路径上的符号链接指向文件夹之外（/home/u/.ssh/id_rsa）。',
};

/** A recipe asking for `profile`, with two named files and one refused. */
function recipeRequest(profile?: string): OpenRequest {
  return {
    files: [],
    recipe: {
      path: '/build/cam.otapub',
      spec: { productKey: 'a1RecipePK1', destVersion: '2.1.0', signMethod: 'SHA256' },
      files: [
        { path: '/build/out/cam-2.1.0.bin', name: 'camera' },
        { path: '/build/out/boot.bin', name: 'bootloader' },
      ],
      profile,
    },
    problems: [REFUSED],
  };
}

const notice = (): HTMLElement => screen.getByRole('region', { name: 'Opened recipe' });
const form = () => useWizardStore.getState().form;

async function openRecipe(bridge: ReturnType<typeof fakeBridge>, request: OpenRequest): Promise<void> {
  await act(async () => bridge.emit('open', request));
}

describe('opening a recipe', () => {
  it('starts a fresh draft: replaces the files and fields, applies the MultiFiles names', async () => {
    const bridge = fakeBridge({ settings: { lastProfile: 'sandbox' } });
    await renderApp(bridge);
    startAt('version', {
      productKey: 'a1SandboxPK',
      files: [hashedFile('/fw/old.bin')],
      destVersion: '9.9.9',
      desc: 'left over',
      udi: 'old notice',
    });
    await openRecipe(bridge, recipeRequest());

    expect(useWizardStore.getState().step).toBe('target');
    expect(form().files.map((f) => [f.path, f.name])).toEqual([
      ['/build/out/cam-2.1.0.bin', 'camera'],
      ['/build/out/boot.bin', 'bootloader'],
    ]);
    expect(form()).toMatchObject({
      profile: 'sandbox',
      productKey: 'a1RecipePK1',
      destVersion: '2.1.0',
      signMethod: 'SHA256',
      desc: '',
      udi: '',
    });
    // Step 2 shows the names the recipe gave, editable as usual, and each file's full path.
    startAt('files', {});
    expect(
      screen.getAllByLabelText(/^Package name of file \d/).map((e) => (e as HTMLInputElement).value),
    ).toEqual(['camera', 'bootloader']);
    expect(screen.getByText('/build/out/cam-2.1.0.bin')).toBeTruthy();
  });

  it('shows what the recipe could not use, on every step, until closed', async () => {
    const bridge = fakeBridge({ settings: { lastProfile: 'sandbox' } });
    await renderApp(bridge);
    await openRecipe(bridge, recipeRequest());
    expect(notice().textContent).toContain('Started a new draft from the recipe /build/cam.otapub.');
    expect(within(notice()).getByText(REFUSED.en)).toBeTruthy();
    startAt('review', {});
    expect(within(notice()).getByText(REFUSED.en)).toBeTruthy();

    fireEvent.change(screen.getByLabelText('Language'), { target: { value: 'zh' } });
    const zh = await screen.findByRole('region', { name: '已打开的配方' });
    expect(within(zh).getByText(REFUSED.zh)).toBeTruthy();
    fireEvent.click(within(zh).getByRole('button', { name: '关闭' }));
    expect(screen.queryByRole('region', { name: '已打开的配方' })).toBeNull();
  });

  it('asks before using the recipe’s profile: “Keep” stays on the current one', async () => {
    const bridge = fakeBridge({ settings: { lastProfile: 'sandbox' } });
    await renderApp(bridge);
    await openRecipe(bridge, recipeRequest('tuya-eu'));
    expect(form().profile).toBe('sandbox');
    expect(notice().textContent).toContain(
      'The recipe asks to publish with the profile “tuya-eu”; this draft uses “sandbox”.',
    );
    expect(within(notice()).queryByRole('button', { name: 'Close' })).toBeNull();
    fireEvent.click(within(notice()).getByRole('button', { name: 'Keep sandbox' }));
    expect(form().profile).toBe('sandbox');
    expect(screen.getByLabelText('Profile')).toHaveProperty('value', 'sandbox');
    expect(within(notice()).queryByRole('button', { name: 'Switch to tuya-eu' })).toBeNull();
  });

  it('switches profile only when the user says so', async () => {
    const bridge = fakeBridge({ settings: { lastProfile: 'sandbox' } });
    await renderApp(bridge);
    await openRecipe(bridge, recipeRequest('tuya-eu'));
    await act(async () =>
      fireEvent.click(within(notice()).getByRole('button', { name: 'Switch to tuya-eu' })),
    );
    expect(form().profile).toBe('tuya-eu');
    expect(screen.getByLabelText('Profile')).toHaveProperty('value', 'tuya-eu');
    // The recipe's product stays: switching the profile does not undo the recipe.
    expect(form().productKey).toBe('a1RecipePK1');
  });

  it('offers no switch to a profile that does not exist here, and asks nothing when it is already used', async () => {
    const bridge = fakeBridge({ settings: { lastProfile: 'sandbox' } });
    await renderApp(bridge);
    await openRecipe(bridge, recipeRequest('factory'));
    expect(notice().textContent).toContain('asks for the profile “factory”, which is not set up here');
    expect(within(notice()).queryByRole('button', { name: /Switch to/ })).toBeNull();
    fireEvent.click(within(notice()).getByRole('button', { name: 'Keep sandbox' }));

    await openRecipe(bridge, recipeRequest('sandbox'));
    expect(notice().textContent).not.toContain('asks');
    expect(within(notice()).getByRole('button', { name: 'Close' })).toBeTruthy();
  });

  it('plain firmware files are still added to the files listed', async () => {
    const bridge = fakeBridge({ settings: { lastProfile: 'sandbox' } });
    await renderApp(bridge);
    startAt('files', { files: [hashedFile('/fw/first.bin')] });
    await act(async () => bridge.emit('open', { files: ['/fw/second.bin'] }));
    expect(form().files.map((f) => f.path)).toEqual(['/fw/first.bin', '/fw/second.bin']);
    expect(screen.queryByRole('region', { name: 'Opened recipe' })).toBeNull();
  });
});
