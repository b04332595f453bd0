// Types of scripts/smoke-wizard.mjs for the TypeScript test that imports it.
import type { Page } from 'playwright-core';

export declare const PRODUCT: string;
export declare const VERSION: string;
export declare const FIRMWARE_NAME: string;

export interface SmokeFirmware {
  /** DIR/smoke.otapub */
  readonly recipe: string;
  readonly size: number;
  readonly md5: string;
  readonly sha256: string;
}

export declare function writeSmokeRecipe(dir: string): SmokeFirmware;
export declare function publishRecipeThroughWizard(page: Page, firmware: SmokeFirmware): Promise<string>;
export declare function checkSandboxHolds(
  dataDir: string,
  firmwareId: string,
  firmware: SmokeFirmware,
): Record<string, unknown>;
