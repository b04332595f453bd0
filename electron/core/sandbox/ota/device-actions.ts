/**
 * The device RPC actions (registered in ../iot-actions.ts). Like the real ones they answer each
 * device's DeviceSecret: a client must drop it on receipt.
 */
import type { DevicePort, DeviceRecord } from '../devices/device-port.js';
import type { ActionResult, IotContext } from '../iot-actions.js';
import { businessError, type JsonValue, type RpcFailure } from '../responses.js';
import { noDevices } from './job-actions.js';
import { pageFields, readPage, slicePage } from './paging.js';

type Params = Readonly<Record<string, string>>;

const MAX_DEVICE_PAGE = 50;

const deviceNotFound = (): RpcFailure =>
  businessError('iot.device.NotExistedDevice', 'The specified device does not exist.');
const productNotFound = (): RpcFailure =>
  businessError('iot.prod.NotExistedProduct', 'The specified product does not exist.');

/** The port only knows online or not; a device that is not online is OFFLINE (never UNACTIVE here). */
const statusOf = (devices: DevicePort, d: DeviceRecord): string => (devices.online(d) ? 'ONLINE' : 'OFFLINE');

/** Gmt* fields in the console's style (UTC here: the sandbox has no region time zone). */
const gmt = (utc: string): string => utc.replace('T', ' ').replace(/\.\d+Z$/, '');

function deviceInfo(devices: DevicePort, d: DeviceRecord): { readonly [k: string]: JsonValue } {
  return {
    DeviceName: d.deviceName,
    DeviceSecret: d.deviceSecret,
    IotId: d.iotId,
    Nickname: '',
    ProductKey: d.productKey,
    DeviceStatus: statusOf(devices, d),
    DeviceType: '',
    GmtCreate: gmt(d.utcCreate),
    GmtModified: gmt(d.utcCreate),
    UtcCreate: d.utcCreate,
    UtcModified: d.utcCreate,
  };
}

export async function queryDevice(params: Params, ctx: IotContext): Promise<ActionResult> {
  if (!ctx.devices) return noDevices();
  if (!ctx.products.some((p) => p.productKey === params.ProductKey)) return productNotFound();
  const page = readPage(params, MAX_DEVICE_PAGE);
  if ('kind' in page) return page;
  const all = ctx.devices.devices(params.ProductKey ?? '');
  const { Total, PageSize, PageCount, CurrentPage } = pageFields(all.length, page);
  const devices = ctx.devices;
  return {
    // QueryDevice names the page `Page`, not `CurrentPage`.
    Page: CurrentPage,
    PageSize,
    PageCount,
    Total,
    Data: { DeviceInfo: slicePage(all, page).map((d) => deviceInfo(devices, d)) },
    Success: true,
  };
}

/** By ProductKey + DeviceName, or by IotId. */
function findDevice(params: Params, ctx: IotContext, devices: DevicePort): DeviceRecord | undefined {
  if (params.ProductKey && params.DeviceName)
    return devices.device({ productKey: params.ProductKey, deviceName: params.DeviceName });
  if (!params.IotId) return undefined;
  return ctx.products.flatMap((p) => devices.devices(p.productKey)).find((d) => d.iotId === params.IotId);
}

export async function queryDeviceDetail(params: Params, ctx: IotContext): Promise<ActionResult> {
  const devices = ctx.devices;
  if (!devices) return noDevices();
  const d = findDevice(params, ctx, devices);
  if (!d) return deviceNotFound();
  const product = ctx.products.find((p) => p.productKey === d.productKey);
  return {
    Data: {
      IotId: d.iotId,
      ProductKey: d.productKey,
      ProductName: product?.productName ?? '',
      DeviceName: d.deviceName,
      DeviceSecret: d.deviceSecret,
      FirmwareVersion: d.versions.default ?? '',
      Status: statusOf(devices, d),
      Nickname: '',
      IpAddress: '',
      NodeType: 0,
      Owner: true,
      Region: 'cn-shanghai',
      GmtCreate: gmt(d.utcCreate),
      UtcCreate: d.utcCreate,
    },
    Success: true,
  };
}

export async function listModuleVersions(params: Params, ctx: IotContext): Promise<ActionResult> {
  const devices = ctx.devices;
  if (!devices) return noDevices();
  const d = findDevice(params, ctx, devices);
  if (!d) return deviceNotFound();
  const page = readPage(params, MAX_DEVICE_PAGE);
  if ('kind' in page) return page;
  const modules = Object.entries(d.versions).map(([ModuleName, ModuleVersion]) => ({
    DeviceName: d.deviceName,
    ModuleName,
    ModuleVersion,
    ProductKey: d.productKey,
    IotId: d.iotId,
  }));
  return {
    ...pageFields(modules.length, page),
    Data: { SimpleOTAModuleInfo: slicePage(modules, page) },
    Success: true,
  };
}
