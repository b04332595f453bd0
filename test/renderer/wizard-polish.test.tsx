// @vitest-environment jsdom
/** Issue 16's wizard items: each test fails on the behaviour the issue reported. */
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { PublishRequest, ValidationIssue } from '../../electron/core/contract.js';
import { useWizardStore } from '../../renderer/src/stores/wizard-store.js';
import { cliCommand } from '../../renderer/src/wizard/cli-command.js';
import { nextVersion } from '../../renderer/src/wizard/rules.js';
import { fakeBridge, job } from './fake-bridge.js';
import { afterJobEvents, hashedFile, nextButton, renderApp, startAt } from './render-app.js';

const FILLED = {
  productKey: 'a1SandboxPK',
  files: [hashedFile('/fw/app.bin')],
  moduleName: 'app',
  destVersion: '1.2.0',
  firmwareName: 'app-1_2_0',
};

const cardOf = (name: string): HTMLElement => {
  const card = document.querySelector<HTMLElement>(`[data-file="${name}"]`);
  if (!card) throw new Error(`no card for ${name}`);
  return card;
};
const cardNames = (): string[] =>
  [...document.querySelectorAll<HTMLElement>('[data-file]')].map((c) => c.dataset.file ?? '');

describe('Udi template placeholder (item 3)', () => {
  it('refuses an unedited placeholder in both languages', async () => {
    await renderApp(fakeBridge({ settings: { lastProfile: 'sandbox', locale: 'zh' } }));
    startAt('udi', FILLED);
    fireEvent.click(screen.getByRole('button', { name: '插入 {"ota_notice": "…"} 模板' }));
    fireEvent.click(nextButton());
    expect(useWizardStore.getState().step).toBe('udi');
    expect(screen.getByText(/请把模板中的占位文字“请描述本次升级给用户带来的变化”替换/)).toBeTruthy();
    // The English placeholder is caught under Chinese too (a draft made in the other language).
    fireEvent.change(screen.getByLabelText('推送给设备的消息（Udi）'), {
      target: { value: '{"ota_notice":"Describe what changes for the user"}' },
    });
    fireEvent.click(nextButton());
    expect(useWizardStore.getState().step).toBe('udi');
  });

  it('says where the JSON breaks in Chinese, without English', async () => {
    await renderApp(fakeBridge({ settings: { lastProfile: 'sandbox', locale: 'zh' } }));
    startAt('udi', FILLED);
    fireEvent.change(screen.getByLabelText('推送给设备的消息（Udi）'), { target: { value: '{\n "a": }' } });
    const error = document.getElementById('field-Udi-error');
    expect(error?.textContent).toMatch(/^内容看起来是 JSON，但(在第 2 行，第 \d+ 列|无法解析)/);
    expect(error?.textContent).not.toMatch(/Unexpected|JSON at/);
  });
});

describe('first launch (item 8)', () => {
  it('explains the sandbox, fills the only product, and counts it in the singular', async () => {
    const bridge = fakeBridge({
      settings: { lastProfile: 'sandbox' },
      overrides: { cloud: { products: () => ['a1SandboxPK'] } },
    });
    await renderApp(bridge);
    const note = screen.getByTestId('sandbox-note');
    expect(note.textContent).toContain('practice cloud that runs inside this app');
    expect(note.textContent).toContain('add a profile with your AccessKey under Profiles');
    await waitFor(() =>
      expect(screen.getByLabelText('Product (ProductKey)')).toHaveProperty('value', 'a1SandboxPK'),
    );
    expect(screen.getByText('Filled in: it is the only product in this cloud.')).toBeTruthy();
    expect(screen.queryByRole('group', { name: 'Recently used' })).toBeNull();
    expect(screen.getByRole('group', { name: 'Products in this cloud' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Add a real profile' }));
    await screen.findByRole('heading', { name: 'Profiles' });
  });

  it('says nothing about a practice cloud on a real profile, and counts plurals right', async () => {
    await renderApp(fakeBridge({ settings: { lastProfile: 'tuya-eu' } }));
    expect(screen.queryByTestId('sandbox-note')).toBeNull();
    expect(await screen.findByText(/2 products from the cloud/)).toBeTruthy();
    expect(screen.getByLabelText('Product (ProductKey)')).toHaveProperty('value', '');
  });
});

describe('files (item 9)', () => {
  it('refuses .elf and .hex with how to convert them', async () => {
    const bridge = fakeBridge({ settings: { lastProfile: 'sandbox' } });
    bridge.nextPick = [
      { path: '/fw/app.elf', name: 'app.elf', size: 100 },
      { path: '/fw/app.hex', name: 'app.hex', size: 100 },
    ];
    await renderApp(bridge);
    startAt('files', { productKey: 'a1SandboxPK' });
    fireEvent.click(await screen.findByRole('button', { name: 'Choose files…' }));
    await screen.findByText('app.elf');
    expect(within(cardOf('app.elf')).getByText(/must end in/).textContent).toContain(
      'objcopy -O binary in.elf out.bin',
    );
    expect(within(cardOf('app.hex')).getByText(/must end in/).textContent).toContain('.hex files are not');
  });

  it('numbers the cards and reorders them with buttons and Alt+arrows; the order is what is sent', async () => {
    const bridge = fakeBridge({ settings: { lastProfile: 'sandbox' } });
    await renderApp(bridge);
    startAt('files', {
      ...FILLED,
      files: [hashedFile('/fw/a.bin'), hashedFile('/fw/b.bin'), hashedFile('/fw/c.bin')],
    });
    expect([...document.querySelectorAll('.file-index')].map((e) => e.textContent)).toEqual(['1', '2', '3']);
    expect(cardOf('b.bin').getAttribute('aria-label')).toBe('File 2: b.bin');
    expect(screen.getByRole('button', { name: 'Move a.bin up' })).toHaveProperty('disabled', true);

    fireEvent.click(screen.getByRole('button', { name: 'Move a.bin down' }));
    expect(cardNames()).toEqual(['b.bin', 'a.bin', 'c.bin']);
    expect(screen.getByText('a.bin is now file 2 of 3.').getAttribute('role')).toBe('status');

    fireEvent.keyDown(cardOf('c.bin'), { key: 'ArrowUp', altKey: true });
    fireEvent.keyDown(cardOf('c.bin'), { key: 'ArrowUp', altKey: true });
    expect(cardNames()).toEqual(['c.bin', 'b.bin', 'a.bin']);
    // A plain arrow key is left alone (it scrolls).
    fireEvent.keyDown(cardOf('c.bin'), { key: 'ArrowDown' });
    expect(cardNames()).toEqual(['c.bin', 'b.bin', 'a.bin']);

    act(() => useWizardStore.setState({ step: 'review' }));
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Publish now' })));
    const sent = bridge.callsOf('publish.now')[0]?.args[0] as PublishRequest;
    expect(sent.spec.files.map((f) => f.name)).toEqual(['c.bin', 'b.bin', 'a.bin']);
  });
});

describe('repeat publishing (item 10)', () => {
  it('"Publish another" keeps profile, product and module, suggests the next version, and reaches Review in three screens', async () => {
    const bridge = fakeBridge({ settings: { lastProfile: 'sandbox' } });
    await renderApp(bridge);
    startAt('review', FILLED);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Publish now' })));
    act(() => bridge.emit('job-changed', job({ state: 'published', firmwareId: 'fw-1', updatedAt: 2 })));
    await afterJobEvents();
    fireEvent.click(screen.getByRole('button', { name: 'Publish another package' }));

    const screens: string[] = [useWizardStore.getState().step];
    const { form } = useWizardStore.getState();
    expect(form).toMatchObject({ profile: 'sandbox', productKey: 'a1SandboxPK', moduleName: 'app' });
    expect(form).toMatchObject({ destVersion: '1.2.1', firmwareName: 'app-1_2_1', files: [] });
    act(() => useWizardStore.getState().addPicked([{ path: '/fw/app2.bin', name: 'app2.bin', size: 10 }]));
    await waitFor(() => expect(useWizardStore.getState().form.files[0]?.hash.status).toBe('done'));
    fireEvent.click(nextButton());
    screens.push(useWizardStore.getState().step);
    fireEvent.click(screen.getByRole('button', { name: 'Go to review' }));
    screens.push(useWizardStore.getState().step);
    expect(screens).toEqual(['files', 'version', 'review']);
  });

  it('skips the Type step for a Tuya profile (there is no choice)', async () => {
    await renderApp(fakeBridge({ settings: { lastProfile: 'tuya-eu' } }));
    const steps = screen.getByRole('navigation', { name: 'Wizard steps' });
    expect(within(steps).queryByText('Package type')).toBeNull();
    expect(screen.getByText('Step 1 of 6')).toBeTruthy();
    startAt('version', FILLED);
    fireEvent.click(nextButton());
    expect(useWizardStore.getState().step).toBe('udi');
    fireEvent.click(screen.getByRole('button', { name: 'Back' }));
    expect(useWizardStore.getState().step).toBe('version');
  });

  it('shows Sandbox or Live and the equivalent CLI command, without a secret', async () => {
    const bridge = fakeBridge({ settings: { lastProfile: 'sandbox' } });
    await renderApp(bridge);
    startAt('review', { ...FILLED, desc: "Wi-Fi isn't flaky", signMethod: 'SHA256' });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Publish now' })));
    act(() =>
      bridge.emit('job-changed', {
        ...job({ state: 'published', firmwareId: 'fw-1', updatedAt: 2 }),
        sandbox: true,
      }),
    );
    await afterJobEvents();
    expect(screen.getByTestId('target-badge').textContent).toBe('Sandbox');
    const command = screen.getByTestId('cli-command').textContent ?? '';
    expect(command).toBe(
      "ota-publish publish /fw/app.bin --profile sandbox --product a1SandboxPK --version 1.2.0 --name app-1_2_0 --module app --sign-method SHA256 --desc 'Wi-Fi isn'\\''t flaky'",
    );
    expect(command).not.toMatch(/secret|sandbox-key/i);
    expect(screen.getByRole('button', { name: 'Copy CLI command' })).toBeTruthy();

    act(() =>
      bridge.emit('job-changed', {
        ...job({ state: 'published', firmwareId: 'fw-1', updatedAt: 3 }),
        sandbox: false,
      }),
    );
    await afterJobEvents();
    expect(screen.getByTestId('target-badge').textContent).toBe('Live');
  });

  it('builds multi-file, diff and queued commands', () => {
    expect(
      cliCommand({
        profile: 'factory',
        queue: true,
        verifyOn: ['bench-01'],
        spec: {
          productKey: 'a1PK',
          firmwareName: 'x',
          destVersion: '2',
          type: 'diff',
          srcVersion: '1',
          signMethod: 'MD5',
          needToVerify: false,
          files: [
            { path: '/a b/app.bin', name: 'app' },
            { path: '/c.bin', name: 'c' },
          ],
        },
      }),
    ).toBe(
      "ota-publish publish '/a b/app.bin' /c.bin --profile factory --product a1PK --version 2 --name x --type diff --src-version 1 --sign-method MD5 --file-name app --file-name c --need-to-verify false --verify-on bench-01 --queue",
    );
    expect(['1.2.0', '1.2.9', 'v7', '2024.01', 'rc'].map(nextVersion)).toEqual([
      '1.2.1',
      '1.2.10',
      'v8',
      '2024.02',
      '',
    ]);
  });
});

describe('accessibility and language (item 11)', () => {
  it('names every package-name input uniquely and the landmarks distinctly', async () => {
    await renderApp(fakeBridge({ settings: { lastProfile: 'sandbox' } }));
    startAt('files', { ...FILLED, files: [hashedFile('/fw/a.bin'), hashedFile('/fw/b.bin')] });
    expect(screen.getByLabelText('Package name of file 1 (MultiFiles.1.Name)')).toBeTruthy();
    expect(screen.getByLabelText('Package name of file 2 (MultiFiles.2.Name)')).toBeTruthy();
    const wizard = screen.getByRole('region', { name: 'Publish wizard' });
    expect(within(wizard).getByRole('navigation', { name: 'Wizard steps' })).toBeTruthy();
    expect(screen.getAllByRole('navigation').map((n) => n.getAttribute('aria-label'))).toEqual([
      'Main',
      'Wizard steps',
    ]);
  });

  it('shows a done step with a check mark and the word, not colour alone', async () => {
    await renderApp(fakeBridge({ settings: { lastProfile: 'sandbox' } }));
    startAt('version', FILLED);
    const steps = screen.getByRole('navigation', { name: 'Wizard steps' });
    const target = within(steps).getByRole('button', { name: /Target/ });
    expect(target.textContent).toContain('✓');
    expect(target.textContent).toContain('(done)');
    expect(within(steps).getByRole('button', { name: /Module and version/ }).textContent).not.toContain(
      '(done)',
    );
  });

  it('focuses the first problem after a refused Next, also on the Files step and on Review', async () => {
    const bridge = fakeBridge({ settings: { lastProfile: 'sandbox' } });
    bridge.nextPick = [{ path: '/fw/app.img', name: 'app.img', size: 100 }];
    await renderApp(bridge);
    startAt('files', { productKey: 'a1SandboxPK' });
    fireEvent.click(await screen.findByRole('button', { name: 'Choose files…' }));
    await screen.findByText('app.img');
    const next = nextButton();
    next.focus();
    fireEvent.click(next);
    expect(document.activeElement).toBe(cardOf('app.img'));

    startAt('review', { ...FILLED, destVersion: '' });
    const publish = screen.getByRole('button', { name: 'Publish now' });
    publish.focus();
    await act(async () => fireEvent.click(publish));
    expect(document.activeElement?.textContent).toMatch(/^DestVersion/);
  });
});

describe('the outbox name and the cloud’s refusal (item 4)', () => {
  const taken: ValidationIssue = {
    field: 'FirmwareName',
    rule: 'unique',
    message: {
      en: 'FirmwareName "app-1_2_0" is already in the outbox.',
      zh: 'FirmwareName“app-1_2_0”已在发件箱中。',
    },
  };

  it('shows spec.validate’s FirmwareName issue at the name field, before Review', async () => {
    const bridge = fakeBridge({
      settings: { lastProfile: 'sandbox' },
      overrides: {
        spec: {
          validate: (spec: { firmwareName: string }) => (spec.firmwareName === 'app-1_2_0' ? [taken] : []),
        },
      },
    });
    await renderApp(bridge);
    startAt('version', FILLED);
    await waitFor(() =>
      expect(document.getElementById('field-FirmwareName-error')?.textContent).toContain(
        'already in the outbox',
      ),
    );
    fireEvent.click(nextButton());
    expect(useWizardStore.getState().step).toBe('version');
    expect(document.activeElement?.id).toBe('field-FirmwareName');
    fireEvent.change(screen.getByLabelText('Firmware name (FirmwareName)'), {
      target: { value: 'app-1_2_0b' },
    });
    expect(document.getElementById('field-FirmwareName-error')).toBeNull();
    await waitFor(() => expect(bridge.callsOf('spec.validate').length).toBeGreaterThan(1));
    fireEvent.click(nextButton());
    expect(useWizardStore.getState().step).toBe('type');
  });

  it('"Edit and publish again" keeps the draft and opens the field the cloud refused', async () => {
    const bridge = fakeBridge({ settings: { lastProfile: 'sandbox' } });
    await renderApp(bridge);
    startAt('review', { ...FILLED, desc: 'kept' });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Publish now' })));
    expect(screen.queryByRole('button', { name: 'Edit and publish again' })).toBeNull();
    act(() =>
      bridge.emit(
        'job-changed',
        job({
          state: 'failed',
          updatedAt: 5,
          error: {
            message: 'The firmware name already exists.',
            code: 'iot.ota.AlreadyExistedFirmwareName',
            hint: { en: 'Choose another FirmwareName.', zh: '请换一个 FirmwareName。' },
          },
        }),
      ),
    );
    await afterJobEvents();
    fireEvent.click(screen.getByRole('button', { name: 'Edit and publish again' }));
    const state = useWizardStore.getState();
    expect(state.step).toBe('version');
    expect(state.form).toMatchObject({ ...FILLED, desc: 'kept' });
    expect(state.form.files[0]?.hash.md5).toBe('md5-app.bin');
    expect(document.activeElement?.id).toBe('field-FirmwareName');
    expect(document.getElementById('field-FirmwareName-error')?.textContent).toContain(
      'iot.ota.AlreadyExistedFirmwareName',
    );
    fireEvent.change(screen.getByLabelText('Firmware name (FirmwareName)'), {
      target: { value: 'app-1_2_0-2' },
    });
    expect(document.getElementById('field-FirmwareName-error')).toBeNull();
  });

  it('opens Review for a refusal that names no field', async () => {
    const bridge = fakeBridge({ settings: { lastProfile: 'sandbox' } });
    await renderApp(bridge);
    startAt('review', FILLED);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Publish now' })));
    act(() =>
      bridge.emit(
        'job-changed',
        job({
          state: 'failed',
          updatedAt: 5,
          error: { message: 'Signature mismatch', code: 'SignatureDoesNotMatch', hint: { en: 'x', zh: 'x' } },
        }),
      ),
    );
    await afterJobEvents();
    fireEvent.click(screen.getByRole('button', { name: 'Edit and publish again' }));
    expect(useWizardStore.getState().step).toBe('review');
    expect(useWizardStore.getState().form.files).toHaveLength(1);
  });
});
