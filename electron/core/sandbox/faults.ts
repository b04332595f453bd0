import { deviceFaultsRefusal, type DeviceFault, type DeviceNames } from './devices/device-faults.js';

/** Injected failures, off by default; used by tests and by the app's "simulate a flaky cloud" aid. */
export interface FaultPlan {
  /** Next PostObject: destroy the socket after receiving N body bytes (one-shot). */
  readonly dropOssAfterBytes?: number;
  /**
   * Next K (at most 1,000) authenticated RPC calls get this error. `iot.system.SystemException`
   * answers as an IoT business error (HTTP 200, `Success:false`); `Throttling.User` as the gateway
   * does (HTTP 400).
   */
  readonly rpcErrors?: {
    readonly code: 'iot.system.SystemException' | 'Throttling.User';
    readonly count: number;
  };
  /**
   * Next K (at most 1,000) authenticated RPC calls are refused with a code no client knows
   * (`Sandbox.Busy`, HTTP 400) and an `x-acs-retry-after` header of `retryAfterMs` (at most
   * 120,000): throttling told by the header alone, which the official SDKs wait out.
   */
  readonly rpcRetryAfter?: {
    readonly retryAfterMs: number;
    readonly count: number;
  };
  /**
   * Next K (at most 1,000) PostObject requests: refuse the ticket's OSSAccessKeyId
   * (`InvalidAccessKeyId`) or signature (`SignatureDoesNotMatch`), as OSS would if the ticket were bad
   * or a proxy had rewritten the form.
   */
  readonly ossAuthErrors?: {
    readonly code: OssAuthFaultCode;
    readonly count: number;
  };
  /** Next K (at most 1,000) successful CreateOTAFirmware calls: commit the firmware, then drop the socket. */
  readonly dropCreateResponse?: number;
  /**
   * Delay RPC and OSS responses by N ms (at most 120,000): the next `delayCount` (at most 1,000) of
   * them, or all until cleared.
   */
  readonly delayMs?: number;
  readonly delayCount?: number;
  /** Simulated devices that misbehave (by DeviceName) until the plan is replaced or cleared. */
  readonly devices?: Readonly<Record<string, DeviceFault>>;
}

export interface FaultControl {
  set(plan: FaultPlan): void;
  clear(): void;
  current(): FaultPlan;
}

export type OssAuthFaultCode = 'SignatureDoesNotMatch' | 'InvalidAccessKeyId';
const OSS_AUTH_FAULT_CODES: ReadonlySet<string> = new Set(['SignatureDoesNotMatch', 'InvalidAccessKeyId']);

const RPC_FAULT_CODES: ReadonlySet<string> = new Set(['iot.system.SystemException', 'Throttling.User']);

/** Caps keep one bad plan from stalling the sandbox for good (a timer of 2^31 ms, a million drops). */
export const MAX_FAULT_DELAY_MS = 120_000;
export const MAX_FAULT_COUNT = 1_000;

/** The largest value each numeric fault accepts; a byte offset only needs to be a safe integer. */
const NUMERIC_FAULT_CAPS = {
  dropOssAfterBytes: Number.MAX_SAFE_INTEGER,
  dropCreateResponse: MAX_FAULT_COUNT,
  delayMs: MAX_FAULT_DELAY_MS,
  delayCount: MAX_FAULT_COUNT,
} as const;

function isCountUpTo(value: unknown, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= max;
}

function rangeRule(field: string, max: number): string {
  return max === Number.MAX_SAFE_INTEGER
    ? `${field} must be a non-negative integer.`
    : `${field} must be an integer from 0 to ${max}.`;
}

/**
 * Checks untrusted JSON (from the control endpoint) against the FaultPlan shape and its caps.
 * Returns the plan, or a message naming the field and the rule it breaks.
 */
export function parseFaultPlan(input: unknown, devices?: DeviceNames): FaultPlan | string {
  if (input === null || typeof input !== 'object' || Array.isArray(input))
    return 'The fault plan must be a JSON object.';
  const raw = input as Record<string, unknown>;
  const known = new Set([
    ...Object.keys(NUMERIC_FAULT_CAPS),
    'rpcErrors',
    'rpcRetryAfter',
    'ossAuthErrors',
    'devices',
  ]);
  for (const key of Object.keys(raw)) if (!known.has(key)) return `Unknown fault "${key}".`;
  for (const [key, max] of Object.entries(NUMERIC_FAULT_CAPS)) {
    if (raw[key] !== undefined && !isCountUpTo(raw[key], max)) return rangeRule(key, max);
  }
  if (raw.rpcErrors !== undefined) {
    const rpc = raw.rpcErrors as Record<string, unknown> | null;
    if (
      rpc === null ||
      typeof rpc !== 'object' ||
      !RPC_FAULT_CODES.has(String(rpc.code)) ||
      !isCountUpTo(rpc.count, MAX_FAULT_COUNT)
    ) {
      return `rpcErrors must be {"code": "iot.system.SystemException" | "Throttling.User", "count": <integer from 0 to ${MAX_FAULT_COUNT}>}.`;
    }
  }
  if (raw.rpcRetryAfter !== undefined) {
    const retry = raw.rpcRetryAfter as Record<string, unknown> | null;
    if (
      retry === null ||
      typeof retry !== 'object' ||
      !isCountUpTo(retry.retryAfterMs, MAX_FAULT_DELAY_MS) ||
      !isCountUpTo(retry.count, MAX_FAULT_COUNT)
    ) {
      return `rpcRetryAfter must be {"retryAfterMs": <integer from 0 to ${MAX_FAULT_DELAY_MS}>, "count": <integer from 0 to ${MAX_FAULT_COUNT}>}.`;
    }
  }
  if (raw.ossAuthErrors !== undefined) {
    const oss = raw.ossAuthErrors as Record<string, unknown> | null;
    if (
      oss === null ||
      typeof oss !== 'object' ||
      !OSS_AUTH_FAULT_CODES.has(String(oss.code)) ||
      !isCountUpTo(oss.count, MAX_FAULT_COUNT)
    ) {
      return `ossAuthErrors must be {"code": "SignatureDoesNotMatch" | "InvalidAccessKeyId", "count": <integer from 0 to ${MAX_FAULT_COUNT}>}.`;
    }
  }
  if (raw.devices !== undefined) {
    const refusal = deviceFaultsRefusal(raw.devices, devices);
    if (refusal) return refusal;
  }
  return raw as FaultPlan;
}

/** The mutable fault state behind `Sandbox.faults`; the `take*` methods consume one-shot faults. */
export class Faults implements FaultControl {
  private plan: FaultPlan = {};
  private deviceNames: DeviceNames | undefined;
  private deviceListener: (faults: Readonly<Record<string, DeviceFault>>) => void = () => undefined;

  /** The sandbox's devices: names are then checked, and each new plan's device faults handed on. */
  attachDevices(names: DeviceNames, listener: (faults: Readonly<Record<string, DeviceFault>>) => void): void {
    this.deviceNames = names;
    this.deviceListener = listener;
  }

  /** parseFaultPlan against this sandbox's devices (what the control endpoint must use). */
  parse(input: unknown): FaultPlan | string {
    return parseFaultPlan(input, this.deviceNames);
  }

  set(plan: FaultPlan): void {
    const checked = this.parse(plan);
    if (typeof checked === 'string') throw new TypeError(checked);
    this.plan = { ...checked };
    this.deviceListener(this.plan.devices ?? {});
  }

  clear(): void {
    this.plan = {};
    this.deviceListener({});
  }

  current(): FaultPlan {
    return { ...this.plan };
  }

  /** Byte count after which to drop the next PostObject, consuming the fault. */
  takeOssDrop(): number | undefined {
    const bytes = this.plan.dropOssAfterBytes;
    if (bytes === undefined) return undefined;
    this.plan = without(this.plan, 'dropOssAfterBytes');
    return bytes;
  }

  /** The error code the next RPC call must fail with, consuming one count. */
  takeRpcError(): 'iot.system.SystemException' | 'Throttling.User' | undefined {
    const fault = this.plan.rpcErrors;
    if (fault === undefined || fault.count <= 0) return undefined;
    this.plan =
      fault.count > 1
        ? { ...this.plan, rpcErrors: { code: fault.code, count: fault.count - 1 } }
        : without(this.plan, 'rpcErrors');
    return fault.code;
  }

  /** The x-acs-retry-after (ms) the next RPC call must be refused with, consuming one count. */
  takeRpcRetryAfter(): number | undefined {
    const fault = this.plan.rpcRetryAfter;
    if (fault === undefined || fault.count <= 0) return undefined;
    this.plan =
      fault.count > 1
        ? { ...this.plan, rpcRetryAfter: { ...fault, count: fault.count - 1 } }
        : without(this.plan, 'rpcRetryAfter');
    return fault.retryAfterMs;
  }

  /** The code the next PostObject's credentials must be refused with, consuming one count. */
  takeOssAuthError(): OssAuthFaultCode | undefined {
    const fault = this.plan.ossAuthErrors;
    if (fault === undefined || fault.count <= 0) return undefined;
    this.plan =
      fault.count > 1
        ? { ...this.plan, ossAuthErrors: { code: fault.code, count: fault.count - 1 } }
        : without(this.plan, 'ossAuthErrors');
    return fault.code;
  }

  /** Whether to drop this (successful) CreateOTAFirmware response, consuming one count. */
  takeCreateDrop(): boolean {
    const count = this.plan.dropCreateResponse;
    if (count === undefined || count <= 0) return false;
    this.plan =
      count > 1 ? { ...this.plan, dropCreateResponse: count - 1 } : without(this.plan, 'dropCreateResponse');
    return true;
  }

  /** How long to delay this response, consuming one of `delayCount` when set. */
  delayMs(): number {
    const { delayMs = 0, delayCount } = this.plan;
    if (delayCount !== undefined) {
      this.plan =
        delayCount > 1
          ? { ...this.plan, delayCount: delayCount - 1 }
          : without(without(this.plan, 'delayCount'), 'delayMs');
    }
    return delayMs;
  }
}

function without(plan: FaultPlan, key: keyof FaultPlan): FaultPlan {
  const copy: Record<string, unknown> = { ...plan };
  delete copy[key];
  return copy as FaultPlan;
}
