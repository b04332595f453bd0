/**
 * The sandbox's package housekeeping: CreateOTAModule (signed by the official @alicloud/pop-core
 * client), ListOTAFirmware rows and paging, the package limit option, and DeleteOTAFirmware
 * refusing a package with an unfinished job.
 */
import RPCClient from '@alicloud/pop-core';
import { afterEach, describe, expect, it } from 'vitest';
import { IotClient } from '../../../electron/core/cloud/iot-client.js';
import { DEMO_PRODUCT_KEY, startSandbox, type Sandbox } from '../../../electron/core/sandbox/index.js';
import { signedCall, sleep, tempSandbox, upload, type Ticket } from './helpers.js';

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

async function start(options: Parameters<typeof tempSandbox>[0] = {}) {
  const made = await tempSandbox(options);
  cleanups.push(made.cleanup);
  return made;
}

const pop = (s: Sandbox) =>
  new RPCClient({
    accessKeyId: s.accessKeyId,
    accessKeySecret: s.accessKeySecret,
    endpoint: s.endpoint,
    apiVersion: '2018-01-20',
  });

interface PopError extends Error {
  code?: string;
  data?: { ErrorMessage?: string };
}

/** A pop-core call; throttling (10 calls/s) is waited out, as signedCall does. */
async function popCall(
  s: Sandbox,
  action: string,
  params: Record<string, string>,
): Promise<Record<string, unknown>> {
  try {
    return await pop(s).request<Record<string, unknown>>(
      action,
      { RegionId: 'cn-shanghai', ...params },
      { method: 'POST' },
    );
  } catch (error) {
    if ((error as PopError).code !== 'Throttling.User') throw error;
    await sleep(1000);
    return popCall(s, action, params);
  }
}

async function popFailure(s: Sandbox, action: string, params: Record<string, string>): Promise<PopError> {
  try {
    await popCall(s, action, params);
  } catch (error) {
    return error as PopError;
  }
  throw new Error(`${action} was expected to fail`);
}

const modulesOf = async (s: Sandbox, productKey = DEMO_PRODUCT_KEY) =>
  (await popCall(s, 'ListOTAModuleByProduct', { ProductKey: productKey })).Data as Record<string, string>[];

const FILE = Buffer.from('housekeeping\n'.repeat(500));

function create(s: Sandbox, t: Ticket, name: string, extra: Record<string, string> = {}) {
  return signedCall(s, 'CreateOTAFirmware', {
    ProductKey: DEMO_PRODUCT_KEY,
    FirmwareName: name,
    DestVersion: `1.0.${name}`,
    FirmwareUrl: t.FirmwareUrl,
    ...extra,
  });
}

describe('sandbox CreateOTAModule', () => {
  it('creates a module that ListOTAModuleByProduct lists and CreateOTAFirmware accepts; it persists', async () => {
    const { sandbox, dataDir } = await start();
    const created = await popCall(sandbox, 'CreateOTAModule', {
      ProductKey: DEMO_PRODUCT_KEY,
      ModuleName: 'gps',
      AliasName: 'GPS',
      Desc: 'GNSS receiver',
    });
    expect(created.Success).toBe(true);
    const gps = (await modulesOf(sandbox)).find((m) => m.ModuleName === 'gps');
    expect(gps).toMatchObject({ AliasName: 'GPS', Desc: 'GNSS receiver', ProductKey: DEMO_PRODUCT_KEY });
    expect(Date.parse(gps?.GmtCreate ?? '')).toBeGreaterThan(Date.parse('2025-01-01'));

    // The app's own client agrees with the official one.
    const client = new IotClient({
      target: { dialect: 'aliyun', endpoint: sandbox.endpoint, regionId: 'cn-shanghai' },
      credentials: sandbox,
    });
    await client.createOtaModule({ productKey: DEMO_PRODUCT_KEY, moduleName: 'lidar' });
    const listed = await client.listOtaModuleByProduct(DEMO_PRODUCT_KEY);
    expect(listed.find((m) => m.moduleName === 'lidar')).toMatchObject({ productKey: DEMO_PRODUCT_KEY });

    const t = await upload(sandbox, FILE);
    const pkg = await create(sandbox, t, 'gpsfw', { ModuleName: 'gps' });
    expect(pkg.body).toMatchObject({ Success: true });
    const unknown = await create(sandbox, t, 'glonassfw', { ModuleName: 'glonass' });
    expect(unknown.body).toMatchObject({ Success: false, Code: 'iot.ota.NotExistedModule' });

    // Restarted on the same data: the module is still there.
    await sandbox.close();
    const again = await startSandbox({ dataDir });
    cleanups.push(() => again.close());
    expect((await modulesOf(again)).map((m) => m.ModuleName)).toEqual([
      'default',
      'wifi',
      'mcu',
      'camera',
      'gps',
      'lidar',
    ]);
  });

  it('refuses a name in use (ignoring case), a bad name, and an 11th custom module', async () => {
    const { sandbox } = await start({ products: ['a1OtherProd1'] });
    const failure = (params: Record<string, string>) =>
      popFailure(sandbox, 'CreateOTAModule', { ProductKey: DEMO_PRODUCT_KEY, ...params });
    expect((await failure({ ModuleName: 'WiFi' })).code).toBe('iot.ota.ModuleNameExisted');
    expect((await failure({ ModuleName: 'DEFAULT' })).code).toBe('iot.ota.ModuleNameExisted');
    const long = await failure({ ModuleName: 'm'.repeat(65) });
    expect(long.code).toBe('iot.check.InvalidFormattedParameter');
    expect(long.data?.ErrorMessage).toMatch(/ModuleName must be 1-64 characters \(got 65\)/);
    expect((await failure({ ModuleName: 'has space' })).code).toBe('iot.check.InvalidFormattedParameter');
    expect((await failure({ ModuleName: 'x', Desc: 'd'.repeat(101) })).data?.ErrorMessage).toMatch(/Desc/);
    expect((await popFailure(sandbox, 'CreateOTAModule', { ProductKey: DEMO_PRODUCT_KEY })).code).toBe(
      'MissingModuleName',
    );
    expect(
      (await popFailure(sandbox, 'CreateOTAModule', { ProductKey: 'a1NoSuchPK1', ModuleName: 'x' })).code,
    ).toBe('iot.prod.NotExistedProduct');
    // The demo product has 3 custom modules: 7 more fit, the 11th is refused.
    // A 64-character name is fine (the longest allowed).
    const names = ['n'.repeat(64), 'fw-2', 'fw_3', 'fw.4', 'fw5', 'fw6', 'fw7'];
    for (const name of names)
      await popCall(sandbox, 'CreateOTAModule', { ProductKey: DEMO_PRODUCT_KEY, ModuleName: name });
    expect((await failure({ ModuleName: 'eleventh' })).code).toBe('iot.ota.ModuleCountExceeded');
    // Per product: another product still has room, and a name of the first is free there.
    const other = await popCall(sandbox, 'CreateOTAModule', {
      ProductKey: 'a1OtherProd1',
      ModuleName: 'wifi',
    });
    expect(other.Success).toBe(true);
  });
});

describe('sandbox ListOTAFirmware and the package limit', () => {
  it('lists every documented field, newest first, page by page, filtered by DestVersion', async () => {
    const { sandbox } = await start();
    const t = await upload(sandbox, FILE);
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const made = await create(sandbox, t, `p${i}`, {
        FirmwareDesc: `build ${i}`,
        FirmwareSign: `sign${i}`,
        FirmwareSize: String(FILE.length),
      });
      ids.push((made.body.Data as { FirmwareId: string }).FirmwareId);
    }
    const page = async (n: number, extra: Record<string, string> = {}) =>
      (await signedCall(sandbox, 'ListOTAFirmware', { CurrentPage: String(n), PageSize: '3', ...extra }))
        .body;
    const pages = [await page(1), await page(2), await page(3), await page(4)];
    expect(pages[0]).toMatchObject({ Total: 7, PageCount: 3, PageSize: 3, CurrentPage: 1 });
    const rows = pages.flatMap(
      (p) => (p.FirmwareInfo as { SimpleFirmwareInfo: Record<string, unknown>[] }).SimpleFirmwareInfo,
    );
    expect(rows.map((r) => r.FirmwareId)).toEqual(ids.toReversed());
    const row = rows.find((r) => r.FirmwareId === ids[2]);
    expect(Object.keys(row ?? {}).toSorted()).toEqual(
      [
        'FirmwareId',
        'FirmwareName',
        'DestVersion',
        'SrcVersion',
        'Type',
        'Status',
        'ModuleName',
        'SignMethod',
        'FirmwareSign',
        'FirmwareSize',
        'FirmwareDesc',
        'ProductKey',
        'UtcCreate',
        'UtcModified',
      ].toSorted(),
    );
    expect(row).toMatchObject({
      FirmwareSign: 'sign2',
      FirmwareSize: FILE.length,
      FirmwareDesc: 'build 2',
      Status: 0,
    });
    const filtered = await page(1, { DestVersion: '1.0.p4' });
    expect(filtered).toMatchObject({ Total: 1, PageCount: 1 });
    expect(
      (filtered.FirmwareInfo as { SimpleFirmwareInfo: { FirmwareId: string }[] }).SimpleFirmwareInfo[0]
        ?.FirmwareId,
    ).toBe(ids[4]);
  });

  it('refuses CreateOTAFirmware beyond maxPackages, and accepts again after a delete', async () => {
    const { sandbox } = await start({ maxPackages: 2 });
    const t = await upload(sandbox, FILE);
    const first = await create(sandbox, t, 'a');
    await create(sandbox, t, 'b');
    const third = await create(sandbox, t, 'c');
    expect(third.body).toMatchObject({ Success: false, Code: 'iot.ota.FirmwareCountExceeded' });
    expect(third.body.ErrorMessage).toMatch(/at most 2 OTA packages/);
    const id = (first.body.Data as { FirmwareId: string }).FirmwareId;
    expect((await signedCall(sandbox, 'DeleteOTAFirmware', { FirmwareId: id })).body.Success).toBe(true);
    expect((await create(sandbox, t, 'c')).body.Success).toBe(true);
  });

  it('refuses DeleteOTAFirmware while a verify job is unfinished', async () => {
    // lab-99 has no simulator: its task stays QUEUED, so the job stays IN_PROGRESS.
    const { sandbox } = await start({ devices: [], externalDevices: [{ name: 'lab-99' }] });
    const t = await upload(sandbox, FILE);
    const id = ((await create(sandbox, t, 'busy')).body.Data as { FirmwareId: string }).FirmwareId;
    const job = await signedCall(sandbox, 'CreateOTAVerifyJob', {
      FirmwareId: id,
      ProductKey: DEMO_PRODUCT_KEY,
      'TargetDeviceName.1': 'lab-99',
    });
    expect(job.body.Success).toBe(true);
    const refused = await signedCall(sandbox, 'DeleteOTAFirmware', { FirmwareId: id });
    expect(refused.body).toMatchObject({ Success: false, Code: 'iot.ota.FirmwareHasUnfinishedJob' });
    const cancelled = await signedCall(sandbox, 'CancelOTATaskByJob', {
      JobId: (job.body.Data as { JobId: string }).JobId,
      CancelQueuedTask: 'true',
    });
    expect(cancelled.body.Success).toBe(true);
    expect((await signedCall(sandbox, 'DeleteOTAFirmware', { FirmwareId: id })).body.Success).toBe(true);
  });
});
