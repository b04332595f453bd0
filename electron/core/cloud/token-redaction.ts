/**
 * The gateway echoes its string to sign in a SignatureDoesNotMatch message, and with it the
 * SecurityToken (percent-encoded once in the canonical query, twice in the string to sign). An
 * answer is read through this before anything keeps, logs or shows its message.
 */
import { percentEncode } from './rpc-signer.js';

export function withoutToken(answer: string, securityToken: string | undefined): string {
  if (!securityToken) return answer;
  const once = percentEncode(securityToken);
  let out = answer;
  for (const form of [percentEncode(once), once, securityToken]) out = out.split(form).join('***');
  return out;
}
