/**
 * File-name helpers shared by validation and the UI. Pure string work (no `node:path`) because the
 * renderer imports this module in a browser, where paths may use either separator.
 */
import type { FirmwareFileSpec } from './spec.js';

/** The last segment of a path, splitting on both `/` and `\` (Windows paths reach the renderer too). */
export function baseName(path: string): string {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return cut === -1 ? path : path.slice(cut + 1);
}

/** The MultiFiles.N.Name a file is published under: its explicit name, else its base name. */
export function multiFileName(file: FirmwareFileSpec): string {
  return file.name ?? baseName(file.path);
}

/** Length in characters as the API counts them: code points, so one emoji or one 汉字 is 1. */
export function countChars(s: string): number {
  let n = 0;
  // for…of walks code points, so a surrogate pair counts once.
  for (const _ of s) n++;
  return n;
}
