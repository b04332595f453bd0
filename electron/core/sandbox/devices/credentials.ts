/**
 * The MQTT sign-in of Alibaba's device SDKs (ota-jobs-api.md "How a device signs in"):
 * clientId `X|securemode=N,signmethod=hmacsha1,timestamp=T,…|`, username `DeviceName&ProductKey`,
 * password = lowercase hex HMAC keyed with the DeviceSecret over
 * `clientId{X}deviceName{DN}productKey{PK}timestamp{T}`.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { DeviceRef } from './device-port.js';

const SIGN_METHODS = { hmacsha1: 'sha1', hmacsha256: 'sha256', hmacmd5: 'md5' } as const;
export type SignMethod = keyof typeof SIGN_METHODS;

export interface ClientIdParts {
  readonly clientId: string;
  readonly signMethod: SignMethod;
  /** Absent is allowed by the scheme (the content then has an empty timestamp). */
  readonly timestamp: string;
}

/** Splits `X|k=v,k=v,…|`; further key=value pairs (lan, _v, …) are tolerated. Undefined if malformed. */
export function parseClientId(raw: string): ClientIdParts | undefined {
  const match = /^([^|]*)\|([^|]*)\|$/.exec(raw);
  if (!match) return undefined;
  const pairs = new Map<string, string>();
  for (const pair of match[2]!.split(',')) {
    const at = pair.indexOf('=');
    if (at > 0) pairs.set(pair.slice(0, at).trim().toLowerCase(), pair.slice(at + 1).trim());
  }
  const signMethod = (pairs.get('signmethod') ?? '').toLowerCase();
  if (!(signMethod in SIGN_METHODS)) return undefined;
  return {
    clientId: match[1]!,
    signMethod: signMethod as SignMethod,
    timestamp: pairs.get('timestamp') ?? '',
  };
}

/** `DeviceName&ProductKey` → the device, or undefined. */
export function parseUsername(username: string | undefined): DeviceRef | undefined {
  const match = /^([^&]+)&([^&]+)$/.exec(username ?? '');
  return match ? { deviceName: match[1]!, productKey: match[2]! } : undefined;
}

/** The password a device with `secret` sends for these clientId parts. */
export function devicePassword(ref: DeviceRef, parts: ClientIdParts, secret: string): string {
  const content =
    `clientId${parts.clientId}deviceName${ref.deviceName}` +
    `productKey${ref.productKey}timestamp${parts.timestamp}`;
  return createHmac(SIGN_METHODS[parts.signMethod], secret).update(content, 'utf8').digest('hex');
}

/** Constant-time comparison of the password sent with the expected one. */
export function passwordMatches(given: Buffer | undefined, expected: string): boolean {
  if (!given) return false;
  const want = Buffer.from(expected, 'utf8');
  return given.length === want.length && timingSafeEqual(given, want);
}

/** CONNECT options for a device (what the simulated devices send, as the official SDK does). */
export function connectOptions(
  ref: DeviceRef,
  secret: string,
  now = Date.now(),
): { clientId: string; username: string; password: string } {
  const parts: ClientIdParts = {
    clientId: `${ref.productKey}&${ref.deviceName}`,
    signMethod: 'hmacsha256',
    timestamp: String(now),
  };
  return {
    clientId: `${parts.clientId}|securemode=3,signmethod=${parts.signMethod},timestamp=${parts.timestamp},lan=Sandbox|`,
    username: `${ref.deviceName}&${ref.productKey}`,
    password: devicePassword(ref, parts, secret),
  };
}
