/**
 * CreateOTAVerifyJob's rules (the reference's "CreateOTAVerifyJob" section), in the order they are
 * checked: the form of each parameter first, then the devices, then the package's and devices'
 * state. Where the real service's code is not public, the code is a descriptive `iot.ota.*` one.
 */
import type { DeviceRef } from '../devices/device-port.js';
import {
  absentOr,
  charsWithin,
  firstBroken,
  indexedGroups,
  INVALID_PARAMETER,
  type RuleTable,
} from '../param-rules.js';
import type { RpcFailure, SandboxDialect } from '../responses.js';
import type { FirmwareRecord } from '../store.js';
import type { OtaTag } from './model.js';
import { repeatList } from './paging.js';

export const MAX_VERIFY_DEVICES = 10;
export const MAX_TIMEOUT_MINUTES = 1440;
const MAX_TAGS = 10;
const MAX_TAGS_LENGTH = 4096;

export interface VerifyJobRequest {
  readonly params: Readonly<Record<string, string>>;
  readonly firmware: FirmwareRecord;
  readonly deviceNames: readonly string[];
  readonly tags: readonly Partial<OtaTag>[];
  /** Whether the package's product has this device. */
  readonly known: (ref: DeviceRef) => boolean;
  /** Whether the device is in an unfinished task. */
  readonly busy: (ref: DeviceRef) => boolean;
}

const isBool = (v: string): boolean => v === 'true' || v === 'false';
const ref = (r: VerifyJobRequest, deviceName: string): DeviceRef => ({
  productKey: r.firmware.ProductKey,
  deviceName,
});
const TAG_KEY = /^[A-Za-z0-9.]{1,30}$/;

export const VERIFY_JOB_RULES: RuleTable<VerifyJobRequest> = [
  {
    param: 'ProductKey',
    holds: (r) => r.params.ProductKey === r.firmware.ProductKey,
    code: 'iot.ota.FirmwareNotInProduct', // real code unknown
    message: (r) =>
      `The package ${r.firmware.FirmwareId} belongs to product ${r.firmware.ProductKey}, not ${r.params.ProductKey}.`,
  },
  {
    param: 'TargetDeviceName',
    holds: (r) => r.deviceNames.length >= 1 && r.deviceNames.length <= MAX_VERIFY_DEVICES,
    code: 'iot.ota.InvalidTargetDeviceCount', // real code unknown
    message: (r) =>
      `TargetDeviceName.N must name 1-${MAX_VERIFY_DEVICES} devices (${r.deviceNames.length} given).`,
  },
  {
    param: 'TargetDeviceName',
    holds: (r) => new Set(r.deviceNames).size === r.deviceNames.length,
    code: 'iot.ota.DuplicateTargetDevice', // real code unknown
    message: 'TargetDeviceName.N must name distinct devices.',
  },
  {
    param: 'TimeoutInMinutes',
    holds: (r) =>
      absentOr(
        r.params.TimeoutInMinutes,
        (v) => /^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= MAX_TIMEOUT_MINUTES,
      ),
    code: INVALID_PARAMETER,
    message: `TimeoutInMinutes must be an integer from 1 to ${MAX_TIMEOUT_MINUTES}.`,
  },
  {
    param: 'NeedPush',
    holds: (r) => absentOr(r.params.NeedPush, isBool) && absentOr(r.params.NeedConfirm, isBool),
    code: INVALID_PARAMETER,
    message: 'NeedPush and NeedConfirm must be true or false.',
  },
  {
    param: 'DownloadProtocol',
    holds: (r) => absentOr(r.params.DownloadProtocol, (v) => v === 'HTTPS' || v === 'MQTT'),
    code: INVALID_PARAMETER,
    message: 'DownloadProtocol must be HTTPS or MQTT.',
  },
  {
    param: 'Tag',
    holds: (r) => r.tags.length <= MAX_TAGS,
    code: INVALID_PARAMETER,
    message: `At most ${MAX_TAGS} tags (Tag.N.Key / Tag.N.Value).`,
  },
  {
    param: 'Tag',
    holds: (r) => r.tags.every((t) => TAG_KEY.test(t.Key ?? '') && charsWithin(t.Value ?? '', 1, 1024)),
    code: INVALID_PARAMETER,
    message: 'Each tag needs Tag.N.Key (1-30 letters, digits or ".") and Tag.N.Value (1-1024 characters).',
  },
  {
    param: 'Tag',
    holds: (r) =>
      r.tags.reduce((n, t) => n + (t.Key ?? '').length + (t.Value ?? '').length, 0) <= MAX_TAGS_LENGTH,
    code: INVALID_PARAMETER,
    message: `The tags' keys and values together may have at most ${MAX_TAGS_LENGTH} characters.`,
  },
  {
    param: 'TargetDeviceName',
    holds: (r) => r.deviceNames.every((name) => r.known(ref(r, name))),
    code: 'iot.device.NotExistedDevice',
    message: (r) =>
      `The device "${r.deviceNames.find((name) => !r.known(ref(r, name)))}" does not exist in product ${r.firmware.ProductKey}.`,
  },
  {
    // The sandbox's choice: a package created with NeedToVerify=false (Status -1) has nothing to verify.
    param: 'FirmwareId',
    holds: (r) => r.firmware.Status !== -1,
    code: 'iot.ota.FirmwareNoNeedVerify', // real code unknown
    message: 'The package was created with NeedToVerify=false: it needs no verification.',
  },
  {
    param: 'FirmwareId',
    holds: (r) => r.firmware.Status !== 2,
    code: 'iot.ota.FirmwareVerifying', // real code unknown
    message: 'The package is being verified; wait for its verify job to finish.',
  },
  {
    param: 'FirmwareId',
    holds: (r) => r.firmware.Status !== 1,
    code: 'iot.ota.FirmwareVerified', // real code unknown
    message: 'The package is already verified.',
  },
  {
    param: 'TargetDeviceName',
    holds: (r) => !r.deviceNames.some((name) => r.busy(ref(r, name))),
    code: 'iot.ota.DeviceHasUnfinishedTask', // real code unknown
    message: (r) =>
      `The device "${r.deviceNames.find((name) => r.busy(ref(r, name)))}" already has an unfinished OTA task.`,
  },
];

/**
 * TargetDeviceName.N, or the older sample's TargetDeviceNames.N when the request has no
 * TargetDeviceName.N (a client sending both for compatibility is read once).
 */
export function targetDeviceNames(params: Readonly<Record<string, string>>): string[] {
  const names = repeatList(params, 'TargetDeviceName');
  return names.length > 0 ? names : repeatList(params, 'TargetDeviceNames');
}

/** Tag.N.Key / Tag.N.Value by N. The Tuya-hosted service takes no Tag: its tags are ignored. */
export function requestTags(
  params: Readonly<Record<string, string>>,
  dialect: SandboxDialect,
): Partial<OtaTag>[] {
  if (dialect === 'tuya') return [];
  return [...indexedGroups(params, 'Tag', ['Key', 'Value']).entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([, group]) => ({ ...group }));
}

export function checkVerifyJob(request: VerifyJobRequest): RpcFailure | undefined {
  return firstBroken(VERIFY_JOB_RULES, request);
}
