import type { Text } from '../../../electron/core/i18n/text.js';
import type { PackageType, SignMethod } from '../../../electron/core/contract.js';

/** The wizard's steps in order; `progress` is reached only by submitting. */
export const STEPS = ['target', 'files', 'version', 'type', 'udi', 'review', 'progress'] as const;
export type StepId = (typeof STEPS)[number];

/**
 * The steps a draft walks: the Type step only where there is a choice (a Tuya-hosted service takes
 * full packages only, so it is skipped there, unless a differential type must be undone).
 */
export function stepsFor(dialect: 'aliyun' | 'tuya', type: PackageType): readonly StepId[] {
  return dialect === 'tuya' && type !== 'diff' ? STEPS.filter((s) => s !== 'type') : STEPS;
}

export interface HashState {
  readonly status: 'hashing' | 'done' | 'failed';
  readonly bytes: number;
  readonly startedAt: number;
  /** Bytes per second since hashing started. */
  readonly rate: number;
  readonly md5?: string;
  readonly sha256?: string;
  /** Why hashing failed, in both languages until it is rendered. */
  readonly error?: Text;
}

/** One file of the package being prepared. */
export interface WizardFile {
  /** The hashId of its hashing run; also its identity in the list. */
  readonly id: string;
  readonly path: string;
  readonly baseName: string;
  /** MultiFiles.N.Name, prefilled with the base name. */
  readonly name: string;
  readonly size: number;
  readonly hash: HashState;
}

/** Everything the user has entered; the FirmwareSpec is derived from this. */
export interface WizardForm {
  readonly profile: string;
  readonly productKey: string;
  readonly files: readonly WizardFile[];
  readonly moduleName: string;
  readonly destVersion: string;
  readonly firmwareName: string;
  /** Once the user types a name, the suggestion stops overwriting it. */
  readonly firmwareNameEdited: boolean;
  readonly desc: string;
  readonly signMethod: SignMethod;
  readonly needToVerify: boolean;
  readonly type: PackageType;
  readonly srcVersion: string;
  readonly udi: string;
}

/** A field key: an API parameter name (`DestVersion`, `Files.2`, `MultiFiles.2.Name`) or `Profile`. */
export type FieldKey = string;
