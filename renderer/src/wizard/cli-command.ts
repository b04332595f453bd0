/**
 * The `ota-publish publish …` command that makes the same package as the wizard's draft: the
 * same spec, profile and verify devices. It never holds a secret (the CLI reads the profile's).
 */
import type { FirmwareSpec } from '../../../electron/core/contract.js';

/** `value` as one POSIX shell word. */
export function shellWord(value: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export interface CliDraft {
  readonly profile: string;
  readonly spec: FirmwareSpec;
  readonly verifyOn: readonly string[];
  readonly queue: boolean;
}

/** The command line, one flag per known field; defaults the CLI shares are left out. */
export function cliCommand({ profile, spec, verifyOn, queue }: CliDraft): string {
  const words: string[] = ['ota-publish', 'publish', ...spec.files.map((f) => f.path)];
  const flag = (name: string, value: string | undefined): void => {
    if (value !== undefined) words.push(`--${name}`, value);
  };
  flag('profile', profile);
  flag('product', spec.productKey);
  flag('version', spec.destVersion);
  flag('name', spec.firmwareName);
  if (spec.moduleName !== undefined && spec.moduleName !== 'default') flag('module', spec.moduleName);
  if (spec.type === 'diff') {
    flag('type', 'diff');
    flag('src-version', spec.srcVersion);
  }
  flag('sign-method', spec.signMethod);
  flag('desc', spec.desc);
  flag('udi', spec.udi);
  for (const file of spec.files) if (file.name !== undefined) flag('file-name', file.name);
  if (spec.needToVerify === false) flag('need-to-verify', 'false');
  for (const device of verifyOn) flag('verify-on', device);
  if (queue) words.push('--queue');
  return words.map(shellWord).join(' ');
}
