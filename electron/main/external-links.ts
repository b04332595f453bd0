import { shell } from 'electron';

/** An https URL without embedded credentials, or undefined: the only links handed to the OS browser. */
export function safeExternalUrl(url: string): string | undefined {
  try {
    const u = new URL(url);
    if (u.protocol !== 'https:' || u.username !== '' || u.password !== '' || u.hostname === '')
      return undefined;
    return u.href;
  } catch {
    return undefined;
  }
}

/** Opens `url` in the default browser when it is a safe https link; returns whether it did. */
export function openExternalIfSafe(url: string): boolean {
  const safe = safeExternalUrl(url);
  if (safe) void shell.openExternal(safe);
  return safe !== undefined;
}
