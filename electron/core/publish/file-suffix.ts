/** GenerateOTAUploadURL's FileSuffix: which extensions each dialect accepts. */
import { baseName } from './file-names.js';
import type { Dialect } from '../cloud/target.js';

/**
 * The documented FileSuffix values, in the order of the current GenerateOTAUploadURL pages: Alibaba's
 * (bin, dav, apk, tar, gz, tar.gz, zip, gzip) and Tuya's (seed 003) list the same eight.
 */
const ALIYUN_SUFFIXES: readonly string[] = ['bin', 'dav', 'apk', 'tar', 'gz', 'tar.gz', 'zip', 'gzip'];
const TUYA_SUFFIXES: readonly string[] = ALIYUN_SUFFIXES;

/** Longest first, so `.tar.gz` wins over `.gz`. */
const byLengthDesc = (list: readonly string[]): readonly string[] =>
  [...list].sort((a, b) => b.length - a.length);
const MATCH_ORDER: Readonly<Record<Dialect, readonly string[]>> = {
  aliyun: byLengthDesc(ALIYUN_SUFFIXES),
  tuya: byLengthDesc(TUYA_SUFFIXES),
};

/** The FileSuffix values the dialect's GenerateOTAUploadURL accepts, in documentation order. */
export function acceptedSuffixes(dialect: Dialect): readonly string[] {
  return dialect === 'tuya' ? TUYA_SUFFIXES : ALIYUN_SUFFIXES;
}

/**
 * The FileSuffix to request for a file (`bin`, `tar.gz`, …), derived case-insensitively from its
 * name or path; `undefined` when the dialect does not accept the file's extension. A name that is
 * only an extension (`.bin`) has no suffix, as with `path.extname`.
 */
export function fileSuffixOf(fileName: string, dialect: Dialect): string | undefined {
  const name = baseName(fileName).toLowerCase();
  return MATCH_ORDER[dialect].find((s) => name.length > s.length + 1 && name.endsWith(`.${s}`));
}

/** The file's extension as written (`.img`, `.tar.gz`), for messages; '' when it has none. */
export function extensionOf(fileName: string): string {
  const name = baseName(fileName);
  const lower = name.toLowerCase();
  if (lower.endsWith('.tar.gz') && lower.length > 7) return name.slice(-7);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot) : '';
}
