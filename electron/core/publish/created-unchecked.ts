import { CloudError } from '../cloud/errors.js';
import { text, type Text } from '../i18n/text.js';

export interface CreatedPackage {
  readonly firmwareId: string;
  readonly firmwareName: string;
  readonly productKey: string;
  readonly destVersion: string;
}

/**
 * CreateOTAFirmware succeeded, but the check afterwards (QueryOTAFirmware: does the cloud hold the
 * sizes and signs computed here?) could not run — the network dropped, throttling outlasted our
 * patience, the user interrupted. The package exists, unverified: the error names it, so a publish
 * that created something never ends as if nothing happened. (A check that ran and found a
 * mismatch is not this: it stays the CloudError of kind `integrity`.)
 */
export class CreatedUncheckedError extends Error implements CreatedPackage {
  readonly firmwareId: string;
  readonly firmwareName: string;
  readonly productKey: string;
  readonly destVersion: string;
  /** What the user should do about it. */
  readonly hint: Text;

  constructor(created: CreatedPackage, cause: unknown) {
    const why = cause instanceof Error ? cause.message : String(cause);
    const what = `The package was created as FirmwareId ${created.firmwareId}`;
    super(`${what}, but the check afterwards could not run: ${why}`, { cause });
    this.name = 'CreatedUncheckedError';
    this.firmwareId = created.firmwareId;
    this.firmwareName = created.firmwareName;
    this.productKey = created.productKey;
    this.destVersion = created.destVersion;
    this.hint = text(
      `The package ${created.firmwareId} exists in the cloud but was not checked. Compare its sizes and signs in the console (or with QueryOTAFirmware) before you release it. Do not publish it again: the FirmwareName "${created.firmwareName}" is taken now.`,
      `升级包 ${created.firmwareId} 已在云端创建，但未能校验。发布升级任务前，请在控制台（或用 QueryOTAFirmware）核对其大小和签名。请勿重新发布：升级包名称“${created.firmwareName}”已被占用。`,
    );
  }

  /** The `--json` line: the package, `verified: false`, and why the check did not run. */
  toJSON() {
    const cause = this.cause;
    return {
      firmwareId: this.firmwareId,
      firmwareName: this.firmwareName,
      productKey: this.productKey,
      destVersion: this.destVersion,
      verified: false,
      error:
        cause instanceof CloudError
          ? cause.toJSON()
          : { message: cause instanceof Error ? cause.message : String(cause) },
    };
  }
}

/** A check that ran and found that the cloud holds other sizes or signs (not "could not run"). */
export function isVerificationMismatch(error: unknown): boolean {
  return error instanceof CloudError && error.kind === 'integrity' && error.action === 'QueryOTAFirmware';
}
