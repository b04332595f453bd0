/**
 * The last line of defence of the diagnostics log: every message passes through `redact` before it
 * is written, so a secret that slipped into an error message or a future log line is masked. Two
 * nets: values of fields whose names say "secret" (Signature=…, "policy":"…", Authorization: …,
 * a URL's password), and the secret values this process has actually used (rememberSecret).
 */

export const MASK = '[redacted]';

/** Field names whose values are never logged (case-insensitive; also as part of a longer name). */
const SECRET_NAME = String.raw`[\w.-]*(?:secret|signature|policy|token|password|passwd|authorization|credential|ticket)[\w.-]*`;
/** A quoted value, or an optional auth scheme (Basic, Bearer, OSS, acs) and a bare value. */
const VALUE = String.raw`(?:"(?:[^"\\]|\\.)*"|'[^']*'|(?:(?:Basic|Bearer|OSS|acs|Digest)\s+)?[^\s"'&,;})\]]+)`;
const FIELD = new RegExp(String.raw`(["']?)(${SECRET_NAME})\1(\s*[:=]\s*)(?!\[redacted\])(${VALUE})`, 'gi');
/** OSS's "Invalid according to Policy: Policy expired.": prose after "Policy:", not a policy. */
const PROSE_AFTER_POLICY = /^Policy$/i;
/** `scheme://user:password@host`: keep the user, mask the password. */
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s@/]+@/gi;

/** Values shorter than this are too likely to occur by chance to be masked everywhere. */
const MIN_REMEMBERED = 8;
/** Enough for every credential and upload ticket a long session uses; the oldest go first. */
const MAX_REMEMBERED = 200;
const remembered = new Set<string>();

/** Masks `value` (and its URL-encoded form) wherever it appears in a message from now on. */
export function rememberSecret(value: string | undefined): void {
  if (!value || value.length < MIN_REMEMBERED) return;
  for (const form of new Set([value, encodeURIComponent(value)])) {
    remembered.delete(form);
    remembered.add(form);
  }
  while (remembered.size > MAX_REMEMBERED) remembered.delete(remembered.values().next().value!);
}

/** The message with every secret-looking field value and every remembered secret masked. */
export function redact(message: string): string {
  let out = message;
  for (const secret of remembered) if (out.includes(secret)) out = out.split(secret).join(MASK);
  return out
    .replace(FIELD, (whole, quote: string, name: string, sep: string, value: string) =>
      PROSE_AFTER_POLICY.test(value) ? whole : `${quote}${name}${quote}${sep}${MASK}`,
    )
    .replace(URL_PASSWORD, `$1${MASK}@`);
}
