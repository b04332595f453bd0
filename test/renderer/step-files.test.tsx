// @vitest-environment jsdom
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { useWizardStore } from '../../renderer/src/stores/wizard-store.js';
import { fakeBridge, fakeMd5, fakeSha256 } from './fake-bridge.js';
import { nextButton, renderApp, startAt } from './render-app.js';

const cardOf = (name: string): HTMLElement => {
  const card = document.querySelector<HTMLElement>(`[data-file="${name}"]`);
  if (!card) throw new Error(`no card for ${name}`);
  return card;
};

describe('step 2: files', () => {
  it('hashes picked files at once, shows progress, then MD5 and SHA-256 (hex) with copy buttons', async () => {
    const bridge = fakeBridge({ settings: { lastProfile: 'sandbox' } });
    bridge.holdHashes = true;
    bridge.nextPick = [
      { path: '/fw/app.bin', name: 'app.bin', size: 4 * 1024 * 1024 },
      { path: '/fw/ui.tar.gz', name: 'ui.tar.gz', size: 2048 },
      { path: '/fw/cfg.zip', name: 'cfg.zip', size: 10 },
    ];
    await renderApp(bridge);
    startAt('files', { productKey: 'a1SandboxPK' });
    fireEvent.click(await screen.findByRole('button', { name: 'Choose files…' }));
    await screen.findByText('app.bin');

    // Hashing started for every file without any further action.
    expect(bridge.callsOf('files.hash').map((c) => c.args[1])).toEqual([
      ['/fw/app.bin'],
      ['/fw/ui.tar.gz'],
      ['/fw/cfg.zip'],
    ]);
    expect(within(cardOf('ui.tar.gz')).getByText('.tar.gz')).toBeTruthy();
    expect(within(cardOf('app.bin')).getByText('4.0 MB')).toBeTruthy();

    const hashId = bridge.callsOf('files.hash')[0]!.args[0] as string;
    act(() =>
      bridge.emit('hash-progress', { hashId, fileIndex: 0, bytes: 2 * 1024 * 1024, total: 4 * 1024 * 1024 }),
    );
    const bar = within(cardOf('app.bin')).getByRole('progressbar', { name: 'Hashing app.bin' });
    expect(bar.getAttribute('value')).toBe('50');
    expect(within(cardOf('app.bin')).getByText(/Hashing… \d+\.\d MB\/s/)).toBeTruthy();

    for (const call of bridge.callsOf('files.hash')) act(() => bridge.finishHash(call.args[0] as string));
    const card = cardOf('app.bin');
    await waitFor(() => expect(within(card).getByText(fakeMd5('/fw/app.bin'))).toBeTruthy());
    expect(within(card).getByText(fakeSha256('/fw/app.bin'))).toBeTruthy();
    expect(within(card).getByRole('button', { name: 'Copy app.bin MD5 (hex)' })).toBeTruthy();
    expect(within(card).getByRole('button', { name: 'Copy app.bin SHA-256 (hex)' })).toBeTruthy();
    expect(screen.getByText(/FirmwareSign is the file’s MD5 or SHA-256 digest/).textContent).toContain(
      'not a cryptographic signature',
    );

    fireEvent.click(nextButton());
    expect(useWizardStore.getState().step).toBe('version');
  });

  it('checks suffix and size at once, and refuses to go on until the bad files are removed', async () => {
    const bridge = fakeBridge({ settings: { lastProfile: 'sandbox' } });
    bridge.nextPick = [
      { path: '/fw/good.bin', name: 'good.bin', size: 100 },
      { path: '/fw/image.img', name: 'image.img', size: 100 },
      { path: '/fw/empty.bin', name: 'empty.bin', size: 0 },
    ];
    await renderApp(bridge);
    startAt('files', { productKey: 'a1SandboxPK' });
    fireEvent.click(await screen.findByRole('button', { name: 'Choose files…' }));
    await screen.findByText('image.img');
    // No Next needed: the problems show as soon as the files are listed.
    expect(within(cardOf('image.img')).getByText(/must end in \.bin, \.dav, \.apk/).textContent).toContain(
      '".img"',
    );
    expect(within(cardOf('empty.bin')).getByText(/is empty \(0 bytes\)/)).toBeTruthy();

    fireEvent.click(nextButton());
    expect(useWizardStore.getState().step).toBe('files');

    fireEvent.click(screen.getByRole('button', { name: 'Remove image.img' }));
    fireEvent.click(screen.getByRole('button', { name: 'Remove empty.bin' }));
    expect(screen.queryByText(/must end in/)).toBeNull();
    fireEvent.click(nextButton());
    expect(useWizardStore.getState().step).toBe('version');
  });

  it('asks for unique package names in a multi-file package, and no name for a single file', async () => {
    const bridge = fakeBridge({ settings: { lastProfile: 'sandbox' } });
    bridge.nextPick = [
      { path: '/a/fw.bin', name: 'fw.bin', size: 100 },
      { path: '/b/fw2.bin', name: 'fw2.bin', size: 100 },
    ];
    await renderApp(bridge);
    startAt('files', { productKey: 'a1SandboxPK' });
    fireEvent.click(await screen.findByRole('button', { name: 'Choose files…' }));
    await screen.findByText('fw2.bin');
    const names = screen.getAllByLabelText(/^Package name of file \d/);
    fireEvent.change(names[1]!, { target: { value: 'fw.bin' } });
    expect(screen.getByText(/MultiFiles\.2\.Name "fw\.bin" is already used by file 1/)).toBeTruthy();
    expect(names[1]!.getAttribute('aria-invalid')).toBe('true');
    fireEvent.click(nextButton());
    expect(useWizardStore.getState().step).toBe('files');

    fireEvent.change(names[1]!, { target: { value: 'second' } });
    fireEvent.click(screen.getByRole('button', { name: 'Remove fw.bin' }));
    const single = screen.getByLabelText('Package name of file 1 (MultiFiles.1.Name)');
    expect(single).toHaveProperty('disabled', true);
    expect(screen.getByText('The name is only sent for packages with several files.')).toBeTruthy();
  });

  it('takes exactly one file for a Tuya profile', async () => {
    const bridge = fakeBridge({ settings: { lastProfile: 'tuya-eu' } });
    bridge.nextPick = [
      { path: '/fw/a.bin', name: 'a.bin', size: 100 },
      { path: '/fw/b.dav', name: 'b.dav', size: 100 },
    ];
    await renderApp(bridge);
    startAt('files', { productKey: 'a1SandboxPK' });
    expect(screen.getByText(/Exactly one file/).textContent).toContain('.dav');
    fireEvent.click(await screen.findByRole('button', { name: 'Choose files…' }));
    expect(await screen.findByText(/takes exactly one file per package/)).toBeTruthy();
    expect(screen.queryByLabelText(/^Package name/)).toBeNull();
  });

  it('accepts dropped files through the preload’s pathForFile', async () => {
    const bridge = fakeBridge({ settings: { lastProfile: 'sandbox' } });
    bridge.dropPaths = { 'drop.bin': '/dropped/drop.bin' };
    await renderApp(bridge);
    startAt('files', { productKey: 'a1SandboxPK' });
    const file = new File(['x'], 'drop.bin');
    fireEvent.drop(screen.getByTestId('drop-zone'), { dataTransfer: { files: [file], types: ['Files'] } });
    await screen.findByText('drop.bin');
    expect(bridge.callsOf('files.stat')[0]?.args).toEqual([['/dropped/drop.bin']]);

    // A File without a disk path (e.g. dragged from a browser) is explained, not silently dropped.
    fireEvent.drop(screen.getByTestId('drop-zone'), {
      dataTransfer: { files: [new File(['y'], 'web.bin')], types: ['Files'] },
    });
    expect(await screen.findByText(/has no path on disk/)).toBeTruthy();
  });

  it('shows why a file could not be hashed in the language chosen, even after switching', async () => {
    const message = { en: 'Permission denied', zh: '没有权限' };
    const refuse = () => {
      throw { kind: 'io', message };
    };
    const bridge = fakeBridge({
      settings: { lastProfile: 'sandbox' },
      overrides: { files: { hash: refuse } },
    });
    bridge.nextPick = [{ path: '/fw/locked.bin', name: 'locked.bin', size: 100 }];
    await renderApp(bridge);
    startAt('files', { productKey: 'a1SandboxPK' });
    fireEvent.click(await screen.findByRole('button', { name: 'Choose files…' }));
    expect(await screen.findByText('Could not hash this file: Permission denied')).toBeTruthy();
    expect(
      within(cardOf('locked.bin')).getByText('Could not read locked.bin: Permission denied'),
    ).toBeTruthy();
    fireEvent.click(nextButton());
    expect(useWizardStore.getState().step).toBe('files');

    fireEvent.change(screen.getByLabelText('Language'), { target: { value: 'zh' } });
    expect(await screen.findByText('无法计算该文件的摘要：没有权限')).toBeTruthy();
    expect(within(cardOf('locked.bin')).getByText('无法读取 locked.bin：没有权限')).toBeTruthy();
  });

  it('needs at least one file', async () => {
    await renderApp(fakeBridge({ settings: { lastProfile: 'sandbox' } }));
    startAt('files', { productKey: 'a1SandboxPK' });
    fireEvent.click(nextButton());
    expect(await screen.findByText('Files is empty: add at least one firmware file.')).toBeTruthy();
    expect(useWizardStore.getState().step).toBe('files');
  });
});
