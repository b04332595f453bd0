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
  // Only what safeExternalUrl let through: an https URL with a host and no credentials, so no
  // file:, smb: or custom-scheme handler can be launched (tested in test/unit/main/window.test.ts).
  if (safe) void shell.openExternal(safe); // eng-disable OPEN_EXTERNAL_JS_CHECK
  return safe !== undefined;
}
