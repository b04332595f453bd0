/**
 * Reading what devices publish. Payloads are untrusted: anything malformed yields undefined and
 * is ignored, as the platform ignores it.
 */
import { sameDevice } from './registry.js';
import type { DeviceEvent, DeviceRef } from './device-port.js';
import { parseOtaTopic } from './topics.js';

const MAX_TEXT = 1024;

function params(payload: Buffer): Record<string, unknown> | undefined {
  let body: unknown;
  try {
    body = JSON.parse(payload.toString('utf8'));
  } catch {
    return undefined;
  }
  const p = (body as { params?: unknown } | null)?.params;
  return p !== null && typeof p === 'object' && !Array.isArray(p)
    ? (p as Record<string, unknown>)
    : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_TEXT ? value : undefined;
}

/** "1"…"100" or -1…-4, given as a string or a number (SDKs send both). */
function step(value: unknown): number | undefined {
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^-?\d{1,3}$/.test(value)
        ? Number(value)
        : NaN;
  return Number.isInteger(n) && n >= -4 && n <= 100 ? n : undefined;
}

function progressEvent(device: DeviceRef, p: Record<string, unknown>): DeviceEvent | undefined {
  const s = step(p.step);
  if (s === undefined) return undefined;
  const desc = text(p.desc);
  const module = text(p.module);
  return { type: 'progress', device, step: s, ...(desc ? { desc } : {}), ...(module ? { module } : {}) };
}

function informEvent(device: DeviceRef, p: Record<string, unknown>): DeviceEvent | undefined {
  const version = text(p.version);
  if (version === undefined || version.length > 64) return undefined;
  return { type: 'inform', device, version, module: text(p.module) ?? 'default' };
}

/**
 * The event a device's message on `topic` means, or undefined (not an OTA report, another
 * device's topic, or malformed). The broker has already checked the device may use the topic.
 */
export function deviceEvent(device: DeviceRef, topic: string, payload: Buffer): DeviceEvent | undefined {
  const parsed = parseOtaTopic(topic);
  if (!parsed || !sameDevice(parsed.device, device)) return undefined;
  if (parsed.kind !== 'progress' && parsed.kind !== 'inform') return undefined;
  const p = params(payload);
  if (!p) return undefined;
  return parsed.kind === 'progress' ? progressEvent(device, p) : informEvent(device, p);
}
