/**
 * What a simulated device checks before it flashes: every file's size and sign (with the
 * package's SignMethod), and a differential package's source version. Returns the failure to
 * report (the documented negative step and a reason), or undefined when all is well.
 */
import type { UpgradeMessage } from './device-port.js';
import { download, type DownloadOptions } from './download.js';

export interface Failure {
  /** -1 upgrade failed, -2 download failed, -3 sign check failed, -4 flashing failed. */
  readonly step: -1 | -2 | -3 | -4;
  readonly desc: string;
}

export interface FileToFetch {
  readonly name: string;
  readonly url: string;
  readonly size: number;
  readonly sign: string;
}

/** Every file of the message (a multi-file package lists them; a single file is `data` itself). */
export function filesOf(data: UpgradeMessage['data']): readonly FileToFetch[] {
  if (Array.isArray(data.files) && data.files.length > 0)
    return data.files.map((f) => ({ name: f.fileName, url: f.fileUrl, size: f.fileSize, sign: f.fileSign }));
  return [{ name: 'firmware', url: data.url, size: data.size, sign: data.sign }];
}

/** "Md5" / "MD5" / "SHA256" … (compared case-blind, as the reference says). */
export function signKind(signMethod: unknown): 'md5' | 'sha256' | undefined {
  const method = String(signMethod ?? '').toLowerCase();
  return method === 'md5' ? 'md5' : method === 'sha256' ? 'sha256' : undefined;
}

/**
 * The message carries no SrcVersion. A real delta image names its base in its own header; the
 * simulated device reads it from `srcVersion` when the message has one (in `data` or `extData`),
 * else from `sourceOf(url)`, the sandbox's record of the package (its "header"). Unknown: accepted.
 */
export function diffRefusal(
  data: UpgradeMessage['data'],
  current: string | undefined,
  sourceOf: (url: string) => string | undefined,
): Failure | undefined {
  if (data.isDiff !== 1) return undefined;
  const given = (data as { srcVersion?: unknown }).srcVersion ?? data.extData?.srcVersion;
  const source = typeof given === 'string' && given ? given : sourceOf(data.url);
  if (source === undefined || source === current) return undefined;
  return {
    step: -1,
    desc: `differential package for version ${source}, but the device runs ${current ?? 'nothing'}`,
  };
}

/** Downloads and checks every file; the first failure wins. */
export async function fetchAndCheck(
  data: UpgradeMessage['data'],
  options: DownloadOptions,
): Promise<Failure | undefined> {
  const kind = signKind(data.signMethod);
  if (!kind) return { step: -3, desc: `unsupported signMethod "${String(data.signMethod)}"` };
  for (const file of filesOf(data)) {
    let got;
    try {
      got = await download(file.url, { ...options, digests: [kind] });
    } catch (error) {
      return { step: -2, desc: `download of ${file.name} failed: ${(error as Error).message}` };
    }
    if (got.size !== file.size)
      return { step: -2, desc: `${file.name}: received ${got.size} bytes, expected ${file.size}` };
    if (got[kind] !== String(file.sign).toLowerCase())
      return { step: -3, desc: `${file.name}: ${kind.toUpperCase()} does not match the package's sign` };
  }
  return undefined;
}
