/** Renders the whole renderer over a fake bridge with fresh stores. */
import { act, render, screen, type RenderResult } from '@testing-library/react';
import { afterEach } from 'vitest';
import { cleanup } from '@testing-library/react';
import { App } from '../../renderer/src/app.js';
import { startApp } from '../../renderer/src/start.js';
import { useAppStore } from '../../renderer/src/stores/app-store.js';
import { JOB_RENDER_INTERVAL_MS } from '../../renderer/src/stores/job-events.js';
import { useOutboxStore } from '../../renderer/src/stores/outbox-store.js';
import { useProfilesStore } from '../../renderer/src/stores/profiles-store.js';
import { useSettingsStore } from '../../renderer/src/stores/settings-store.js';
import { useWizardStore } from '../../renderer/src/stores/wizard-store.js';
import { useVerifyStore } from '../../renderer/src/wizard/verify/verify-store.js';
import type { FakeBridge } from './fake-bridge.js';

const INITIAL = [
  [useAppStore, useAppStore.getState()],
  [useOutboxStore, useOutboxStore.getState()],
  [useProfilesStore, useProfilesStore.getState()],
  [useSettingsStore, useSettingsStore.getState()],
  [useWizardStore, useWizardStore.getState()],
  [useVerifyStore, useVerifyStore.getState()],
] as const;

let stop: (() => void) | undefined;

afterEach(() => {
  cleanup();
  stop?.();
  stop = undefined;
  for (const [store, state] of INITIAL) (store.setState as (s: unknown, replace: true) => void)(state, true);
});

/** Installs `bridge` as window.otaPublisher, starts the app (events + loads) and renders it. */
export async function renderApp(bridge: FakeBridge): Promise<RenderResult> {
  Object.defineProperty(window, 'otaPublisher', { value: bridge, configurable: true });
  let result: RenderResult | undefined;
  await act(async () => {
    stop = await startApp(bridge);
    result = render(<App />);
  });
  await screen.findByRole('heading', { level: 2 });
  return result!;
}

/** Clicks the wizard's Next button. */
export function nextButton(): HTMLElement {
  return screen.getByRole('button', { name: /^(Next|下一步)$/ });
}

/** Jumps the wizard to `step` with `form` filled in (the earlier steps' tests cover getting there). */
export function startAt(
  step: ReturnType<typeof useWizardStore.getState>['step'],
  form: Partial<ReturnType<typeof useWizardStore.getState>['form']>,
): void {
  act(() => {
    useWizardStore.setState({ step, form: { ...useWizardStore.getState().form, ...form } });
  });
}

/** A hashed file as the wizard holds it. */
export function hashedFile(path: string, size = 1024) {
  const name = path.split('/').pop() ?? path;
  return {
    id: `hash-${name}`,
    path,
    baseName: name,
    name,
    size,
    hash: {
      status: 'done' as const,
      bytes: size,
      startedAt: 0,
      rate: 0,
      md5: `md5-${name}`,
      sha256: `sha-${name}`,
    },
  };
}

/** Waits out the window in which a job's events are coalesced (at most ten renders a second). */
export async function afterJobEvents(): Promise<void> {
  await act(() => new Promise<void>((resolve) => setTimeout(resolve, JOB_RENDER_INTERVAL_MS + 20)));
}
