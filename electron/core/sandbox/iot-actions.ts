import { randomBytes } from 'node:crypto';
import type { ProductInfo } from './catalog.js';
import type { DevicePort } from './devices/device-port.js';
import { buildFirmware, MAX_FIRMWARE } from './firmware-rules.js';
import { issuePolicy } from './oss-policy.js';
import { listModuleVersions, queryDevice, queryDeviceDetail } from './ota/device-actions.js';
import {
  cancelTaskByDevice,
  cancelTaskByJob,
  confirmTask,
  createVerifyJob,
  listJobsByFirmware,
  listTasksByJob,
  queryJob,
  reupgradeTask,
} from './ota/job-actions.js';
import {
  createModule,
  currentProduct,
  deleteFirmware,
  FIRMWARE_NOT_FOUND,
  listFirmware,
  listModules,
} from './package-actions.js';
import type { VerifyJobs } from './ota/verify-jobs.js';
import {
  businessError,
  isRpcFailure,
  type JsonValue,
  type RpcFailure,
  type SandboxDialect,
} from './responses.js';
import type { FirmwareRecord, SandboxStore } from './store.js';

/** What the IoT actions need from the sandbox. */
export interface IotContext {
  readonly dialect: SandboxDialect;
  readonly endpoint: string;
  readonly store: SandboxStore;
  readonly products: readonly ProductInfo[];
  readonly oss: {
    readonly accessKeyId: string;
    readonly accessKeySecret: string;
    readonly maxFileSize: number;
    readonly ttlSeconds: number;
  };
  /**
   * The sandbox's devices and its verify jobs (`VerifyJobs.open({ dataDir, store, devices,
   * dialect, minuteMs })`). Optional so a sandbox without devices still serves packages; the device
   * and job actions then answer `iot.sandbox.DevicesUnavailable`.
   */
  readonly devices?: DevicePort;
  readonly ota?: VerifyJobs;
  /** The account's package limit (CreateOTAFirmware refuses beyond it); default MAX_FIRMWARE (500). */
  readonly maxFirmware?: number;
}

type Body = { readonly [k: string]: JsonValue };
/** A successful action's body (PascalCase, without RequestId) or a failure. */
export type ActionResult = Body | RpcFailure;

interface ActionSpec {
  /** API parameters the gateway requires (answered as `Missing<Name>`). */
  readonly required: (dialect: SandboxDialect) => readonly string[];
  readonly run: (params: Readonly<Record<string, string>>, ctx: IotContext) => Promise<ActionResult>;
}

const SUFFIXES: Readonly<Record<SandboxDialect, readonly string[]>> = {
  aliyun: ['bin', 'apk', 'tar', 'gz', 'tar.gz', 'zip', 'gzip'],
  tuya: ['bin', 'dav', 'apk', 'tar', 'gz', 'tar.gz', 'zip', 'gzip'],
};

const none = (): readonly string[] => [];

/** The IoT OTA actions the sandbox serves. */
export const ACTIONS: Readonly<Record<string, ActionSpec>> = {
  GenerateOTAUploadURL: { required: none, run: generateUploadUrl },
  CreateOTAFirmware: {
    // Tuya's table marks FirmwareSign as required.
    required: (d) =>
      d === 'tuya'
        ? ['ProductKey', 'FirmwareName', 'DestVersion', 'FirmwareSign']
        : ['ProductKey', 'FirmwareName', 'DestVersion'],
    run: createFirmware,
  },
  QueryOTAFirmware: { required: () => ['FirmwareId'], run: queryFirmware },
  ListOTAFirmware: { required: () => ['CurrentPage', 'PageSize'], run: listFirmware },
  ListOTAModuleByProduct: { required: () => ['ProductKey'], run: listModules },
  CreateOTAModule: { required: () => ['ProductKey', 'ModuleName'], run: createModule },
  DeleteOTAFirmware: { required: () => ['FirmwareId'], run: deleteFirmware },
  QueryDevice: { required: () => ['ProductKey'], run: queryDevice },
  QueryDeviceDetail: { required: none, run: queryDeviceDetail },
  ListOTAModuleVersionsByDevice: { required: none, run: listModuleVersions },
  CreateOTAVerifyJob: { required: () => ['FirmwareId', 'ProductKey'], run: createVerifyJob },
  QueryOTAJob: { required: () => ['JobId'], run: queryJob },
  ListOTAJobByFirmware: { required: () => ['FirmwareId'], run: listJobsByFirmware },
  ListOTATaskByJob: { required: () => ['JobId'], run: listTasksByJob },
  CancelOTATaskByDevice: { required: () => ['ProductKey', 'FirmwareId'], run: cancelTaskByDevice },
  CancelOTATaskByJob: { required: () => ['JobId'], run: cancelTaskByJob },
  // Aliyun only: the Tuya-hosted service answers InvalidApi.NotFound (see reupgradeTask).
  ReupgradeOTATask: { required: () => ['JobId'], run: reupgradeTask },
  ConfirmOTATask: { required: none, run: confirmTask },
};

function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

function randomId(length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(length)].map((b) => alphabet[b % alphabet.length]).join('');
}

async function generateUploadUrl(
  params: Readonly<Record<string, string>>,
  ctx: IotContext,
): Promise<ActionResult> {
  const suffix = params.FileSuffix ?? 'bin';
  const allowed = SUFFIXES[ctx.dialect];
  if (!allowed.includes(suffix)) {
    return businessError(
      'iot.common.InvalidFormattedParameter',
      `FileSuffix "${suffix}" is not supported; use one of: ${allowed.join(', ')}.`,
    );
  }
  const now = new Date();
  const key = `ota/${randomHex(16)}/${randomHex(16).toUpperCase()}.${suffix}`;
  const ticket = issuePolicy(ctx.oss.accessKeySecret, key, ctx.oss.maxFileSize, ctx.oss.ttlSeconds, now);
  const host = `${ctx.endpoint}/oss`;
  return {
    Data: {
      FirmwareUrl: `${host}/${key}`,
      Host: host,
      Key: key,
      OSSAccessKeyId: ctx.oss.accessKeyId,
      ObjectStorage: 'OSS',
      Policy: ticket.policy,
      Signature: ticket.signature,
      UtcCreate: now.toISOString(),
    },
    Success: true,
  };
}

async function createFirmware(
  params: Readonly<Record<string, string>>,
  ctx: IotContext,
): Promise<ActionResult> {
  const { store } = ctx;
  // Serial: a default sign reads the object, and a second create of the same name must not slip
  // in between the name check and the insert.
  return store.serial(async () => {
    const record = await buildFirmware(params, {
      dialect: ctx.dialect,
      endpoint: ctx.endpoint,
      now: Date.now(),
      product: (key) => currentProduct(ctx, key),
      firmwareByName: (name) => store.findFirmwareByName(name),
      firmwareCount: () => store.listFirmware().length,
      maxFirmware: ctx.maxFirmware ?? MAX_FIRMWARE,
      object: (key) => store.getObject(key),
      objectMd5: (key) => store.objectMd5(key),
      newFirmwareId: () => randomId(26),
    });
    if (isRpcFailure(record)) return record;
    await store.addFirmware(record);
    return { Data: { FirmwareId: record.FirmwareId, UtcCreate: record.UtcCreate }, Success: true };
  });
}

function firmwareInfo(f: FirmwareRecord): Body {
  const info: Record<string, JsonValue> = {
    FirmwareId: f.FirmwareId,
    FirmwareName: f.FirmwareName,
    DestVersion: f.DestVersion,
    SrcVersion: f.SrcVersion ?? '',
    ProductKey: f.ProductKey,
    ProductName: f.ProductName,
    ModuleName: f.ModuleName,
    FirmwareDesc: f.FirmwareDesc ?? '',
    SignMethod: f.SignMethod,
    Status: f.Status,
    VerifyProgress: f.VerifyProgress ?? 0,
    Type: f.Type,
    NeedToVerify: f.NeedToVerify,
    Udi: f.Udi ?? '',
    UtcCreate: f.UtcCreate,
    UtcModified: f.UtcModified,
    MultiFiles: f.MultiFiles.map((m) => ({ ...m })),
  };
  if (f.FirmwareUrl !== undefined) info.FirmwareUrl = f.FirmwareUrl;
  if (f.FirmwareSign !== undefined) info.FirmwareSign = f.FirmwareSign;
  if (f.FirmwareSize !== undefined) info.FirmwareSize = f.FirmwareSize;
  return info;
}

async function queryFirmware(
  params: Readonly<Record<string, string>>,
  ctx: IotContext,
): Promise<ActionResult> {
  const found = ctx.store.findFirmware(params.FirmwareId ?? '');
  return found ? { FirmwareInfo: firmwareInfo(found), Success: true } : FIRMWARE_NOT_FOUND();
}
