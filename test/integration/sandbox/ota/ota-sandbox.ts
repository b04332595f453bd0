/**
 * A sandbox RPC endpoint with verify jobs over a FakeDevicePort, on a real loopback HTTP server,
 * built from the sandbox's own parts (store, RpcHandler, VerifyJobs) because startSandbox does not
 * take a DevicePort yet. Packages are put straight into the store: uploading is tested elsewhere.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCatalog, DEMO_PRODUCT_KEY } from '../../../../electron/core/sandbox/catalog.js';
import { Faults } from '../../../../electron/core/sandbox/faults.js';
import { VerifyJobs } from '../../../../electron/core/sandbox/ota/verify-jobs.js';
import { RpcHandler } from '../../../../electron/core/sandbox/rpc-handler.js';
import { type FirmwareRecord, SandboxStore } from '../../../../electron/core/sandbox/store.js';
import { signedCall, type SandboxAccess } from '../helpers.js';
import { FakeDevicePort } from './fake-device-port.js';

export const OTHER_PRODUCT = 'a1OtherProd1';
export { DEMO_PRODUCT_KEY };

export interface OtaSandbox extends SandboxAccess {
  readonly dataDir: string;
  readonly store: SandboxStore;
  readonly jobs: VerifyJobs;
  /** Stops the server and the jobs, keeping the data folder. */
  stop(): Promise<void>;
}

export interface OtaSandboxOptions {
  readonly port: FakeDevicePort;
  readonly dataDir?: string;
  readonly dialect?: 'aliyun' | 'tuya';
  readonly minuteMs?: number;
}

export async function startOtaSandbox(options: OtaSandboxOptions): Promise<OtaSandbox> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'ota-jobs-')));
  const dialect = options.dialect ?? 'aliyun';
  const store = await SandboxStore.open(dataDir);
  const jobs = await VerifyJobs.open({
    dataDir,
    store,
    devices: options.port,
    dialect,
    ...(options.minuteMs === undefined ? {} : { minuteMs: options.minuteMs }),
  });
  const server = createServer();
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const credentials = { accessKeyId: 'ota-test', accessKeySecret: 'ota-test-secret' };
  const ctx = {
    dialect,
    endpoint,
    store,
    products: buildCatalog([OTHER_PRODUCT]),
    oss: { accessKeyId: 'LTAI5tSandboxOss', accessKeySecret: 'oss-secret', maxFileSize: 1e9, ttlSeconds: 60 },
    devices: options.port,
    ota: jobs,
  };
  const rpc = new RpcHandler(ctx, new Faults(), credentials);
  server.on('request', (req, res) => {
    void rpc.handle(req, res, new URL(req.url ?? '/', endpoint));
  });
  return {
    ...credentials,
    endpoint,
    dataDir,
    store,
    jobs,
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
      await jobs.close();
    },
  };
}

export async function removeDir(dataDir: string): Promise<void> {
  await rm(dataDir, { recursive: true, force: true });
}

let counter = 0;

/** A package put straight into the store (Status 0: to verify). */
export async function addPackage(
  sandbox: OtaSandbox,
  fields: Partial<FirmwareRecord> = {},
): Promise<FirmwareRecord> {
  counter += 1;
  const utc = new Date(Date.UTC(2026, 0, 1, 0, 0, counter)).toISOString();
  const record: FirmwareRecord = {
    FirmwareId: `FW${String(counter).padStart(24, '0')}`,
    FirmwareName: `app-${counter}`,
    DestVersion: '2.0.0',
    ProductKey: DEMO_PRODUCT_KEY,
    ProductName: 'Sandbox demo product',
    ModuleName: 'default',
    Type: 0,
    SignMethod: 'MD5',
    FirmwareUrl: `${sandbox.endpoint}/oss/ota/app-${counter}.bin`,
    FirmwareSign: '0123456789abcdef0123456789abcdef',
    FirmwareSize: 1234,
    Udi: '{"ota_notice":"bench"}',
    NeedToVerify: true,
    Status: 0,
    MultiFiles: [],
    UtcCreate: utc,
    UtcModified: utc,
    ...fields,
  };
  await sandbox.store.addFirmware(record);
  return record;
}

/** A signed call that must succeed; answers its body. */
export async function ok(
  sandbox: SandboxAccess,
  action: string,
  params: Readonly<Record<string, string>>,
): Promise<Record<string, unknown>> {
  const { body } = await signedCall(sandbox, action, params);
  if (body.Success !== true && body.success !== true)
    throw new Error(`${action} failed: ${JSON.stringify(body)}`);
  return body;
}

/** TargetDeviceName.1…N */
export function targets(names: readonly string[], prefix = 'TargetDeviceName'): Record<string, string> {
  return Object.fromEntries(names.map((n, i) => [`${prefix}.${i + 1}`, n]));
}

export interface TaskItem {
  readonly TaskId: string;
  readonly DeviceName: string;
  readonly TaskStatus: string;
  readonly Progress: string;
  readonly TaskDesc: string;
  readonly [k: string]: unknown;
}

export async function tasksOf(sandbox: SandboxAccess, jobId: string): Promise<TaskItem[]> {
  const body = await ok(sandbox, 'ListOTATaskByJob', { JobId: jobId, PageSize: '100' });
  return (body.Data as { SimpleOTATaskInfo: TaskItem[] }).SimpleOTATaskInfo;
}

export async function firmwareInfo(sandbox: SandboxAccess, id: string): Promise<Record<string, unknown>> {
  return (await ok(sandbox, 'QueryOTAFirmware', { FirmwareId: id })).FirmwareInfo as Record<string, unknown>;
}

export const bench = (deviceName: string): { productKey: string; deviceName: string } => ({
  productKey: DEMO_PRODUCT_KEY,
  deviceName,
});
