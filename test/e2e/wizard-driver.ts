/** Walks the publish wizard in a real page, in either language, taking screenshots on the way. */
import type { Page } from 'playwright-core';
import { en } from '../../renderer/src/i18n/en.js';
import { zh } from '../../renderer/src/i18n/zh.js';
import type { FirmwareRecord } from '../../electron/core/sandbox/store.js';
import {
  clearFaults,
  sandboxState,
  setFaults,
  type SandboxControlAccess,
} from '../integration/sandbox/control-client.js';
import type { AppPage } from './browser-session.js';
import type { TestHost } from './host.js';

export type Lang = 'en' | 'zh';
export const TEXT = { en, zh } as const;
/** What the driver types over the Udi template's placeholder. */
export const UDI_NOTICE = { en: 'Faster Wi-Fi reconnect', zh: '更快的 Wi-Fi 重连' } as const;

export interface PublishPlan {
  readonly profile: string;
  readonly productKey: string;
  readonly files: readonly string[];
  readonly module?: string;
  readonly destVersion: string;
  readonly desc?: string;
  /** A differential package from this version (picked from the published-versions chips). */
  readonly srcVersion?: string;
  readonly udiTemplate?: boolean;
  /** What replaces the template's placeholder (its placeholder is refused); a default per language. */
  readonly udiNotice?: string;
  readonly mode?: 'now' | 'queue';
  /** Screenshot name prefix (e.g. "en"); none: no screenshots. */
  readonly shots?: string;
  /** Called on the review step just before submitting. */
  readonly beforeSubmit?: () => Promise<void>;
  /** Called on the progress step before waiting for the result. */
  readonly onProgress?: () => Promise<void>;
}

export async function next(page: Page, lang: Lang): Promise<void> {
  await page.getByRole('button', { name: TEXT[lang]['common.next'], exact: true }).click();
}

/** The step heading's text once the step `id` is shown. */
export async function onStep(page: Page, id: string): Promise<void> {
  await page.locator(`form[data-step="${id}"]`).waitFor();
}

/** Runs the wizard from step 1 to the submitted job; returns the job's final state element text. */
export async function publishThroughWizard(
  app: AppPage,
  host: TestHost,
  lang: Lang,
  plan: PublishPlan,
): Promise<void> {
  const { page } = app;
  const L = TEXT[lang];
  const shot = async (name: string): Promise<void> => {
    if (plan.shots) await app.shot(`${plan.shots}-${name}`);
  };

  await onStep(page, 'target');
  await page.getByLabel(L['target.profile']).selectOption(plan.profile);
  await page.getByLabel(L['target.product']).fill(plan.productKey);
  await shot('1-target');
  await next(page, lang);

  await onStep(page, 'files');
  host.pickNext(plan.files);
  await page.getByRole('button', { name: L['files.pick'] }).click();
  await page
    .locator('[data-digest="sha256"]')
    .nth(plan.files.length - 1)
    .waitFor({ timeout: 120_000 });
  await shot('2-files');
  await next(page, lang);

  await onStep(page, 'version');
  if (plan.module) {
    const module = page.getByLabel(L['version.module']);
    await module.locator(`option[value="${plan.module}"]`).waitFor({ state: 'attached' });
    await module.selectOption(plan.module);
  }
  await page.getByLabel(L['version.dest']).fill(plan.destVersion);
  if (plan.desc) await page.getByLabel(L['version.desc']).fill(plan.desc);
  await shot('3-version');
  await next(page, lang);

  await onStep(page, 'type');
  if (plan.srcVersion) {
    await page.getByLabel(L['type.diff']).check();
    await page
      .getByRole('group', { name: L['type.published'] })
      .getByRole('button', { name: plan.srcVersion, exact: true })
      .click();
  }
  await shot('4-type');
  await next(page, lang);

  await onStep(page, 'udi');
  if (plan.udiTemplate) {
    await page.getByRole('button', { name: L['udi.template'] }).click();
    // The placeholder is selected, so typing replaces it (left as it is, it is refused).
    await page.waitForFunction("document.activeElement && document.activeElement.id === 'field-Udi'");
    await page.keyboard.type(plan.udiNotice ?? UDI_NOTICE[lang]);
  }
  await shot('5-udi');
  await next(page, lang);

  await onStep(page, 'review');
  if (plan.mode)
    await page
      .getByLabel(plan.mode === 'now' ? L['review.now'] : L['review.queue'])
      .first()
      .check();
  await shot('6-review');
  await plan.beforeSubmit?.();
  // The default follows the network state (queue while offline), so the label varies.
  await page.locator('form[data-step="review"] button[type="submit"]').click();
  await onStep(page, 'progress');
  await plan.onProgress?.();
}

/** Waits for the submitted job to reach `state` on the progress step. */
export async function waitForJobState(page: Page, state: string, timeout = 60_000): Promise<void> {
  await page.locator(`[data-job-state="${state}"]`).waitFor({ timeout });
}

/** The built-in sandbox: its endpoint from the profiles the renderer sees, its control token from the host. */
export async function builtInSandbox(host: TestHost): Promise<SandboxControlAccess> {
  const list = await host.service.profiles.list(undefined);
  const endpoint = list.find((p) => p.builtIn)?.endpoint;
  if (!endpoint) throw new Error('The built-in sandbox is not running.');
  return { endpoint, controlToken: host.sandboxControlToken };
}

/** Firmware packages the sandbox cloud holds. */
export async function sandboxFirmware(sandbox: SandboxControlAccess): Promise<FirmwareRecord[]> {
  return (await sandboxState(sandbox)).firmware;
}

/** Slows every sandbox answer (the test aid behind `/__sandbox/faults`), or clears it. */
export async function slowSandbox(sandbox: SandboxControlAccess, delayMs: number | null): Promise<void> {
  await (delayMs === null ? clearFaults(sandbox) : setFaults(sandbox, { delayMs }));
}
