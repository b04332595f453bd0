/**
 * The device actions (QueryDevice, QueryDeviceDetail, ListOTAModuleVersionsByDevice): parameters and
 * answer parsing for IotClient. Their answers carry each device's DeviceSecret, a credential: every
 * parser first drops it from the body, so neither a result nor an error built from it can hold it.
 */
import type { DeviceDetail, DeviceStatus, DeviceSummary, ModuleVersion, Page } from './bench-types.js';
import type { RpcAnswer } from './rpc-request.js';
import { isRecord, str, type Lowered } from './response.js';
import { oneOf, pageOf, required, rows } from './verify-api.js';

const DEVICE_STATUSES = ['ONLINE', 'OFFLINE', 'UNACTIVE', 'DISABLE'] as const;

export { withoutSecrets } from './response.js';

export function deviceStatus(value: string | undefined): DeviceStatus {
  return oneOf(value, DEVICE_STATUSES);
}

/** QueryDevice rows say DeviceStatus; QueryDeviceDetail says Status. */
function summary(o: Lowered, deviceName: string, productKey: string): DeviceSummary {
  return {
    deviceName,
    productKey: str(o, 'productkey') ?? productKey,
    status: deviceStatus(str(o, 'devicestatus') ?? str(o, 'status')),
    iotId: str(o, 'iotid'),
    nickname: str(o, 'nickname'),
  };
}

export function parseDevicePage(
  raw: RpcAnswer,
  query: { readonly productKey: string; readonly currentPage: number; readonly pageSize: number },
): Page<DeviceSummary> {
  const { body } = raw;
  const items = rows(body, 'deviceinfo', 'devicename').flatMap((row) => {
    const name = str(row, 'devicename');
    return name ? [summary(row, name, query.productKey)] : [];
  });
  return pageOf(body, query, items);
}

export function parseDeviceDetail(
  action: string,
  raw: RpcAnswer,
  query: { readonly productKey: string },
): DeviceDetail {
  const answer = raw;
  const data = isRecord(answer.body.data) ? answer.body.data : {};
  const name = required(action, answer, str(data, 'devicename'), 'Data.DeviceName');
  return { ...summary(data, name, query.productKey), firmwareVersion: str(data, 'firmwareversion') };
}

/** A row without ModuleVersion is skipped; one without ModuleName is the `default` module. */
export function parseModuleVersions(
  raw: RpcAnswer,
  query: { readonly currentPage: number; readonly pageSize: number },
): Page<ModuleVersion> {
  const { body } = raw;
  const items = rows(body, 'simpleotamoduleinfo', 'moduleversion').flatMap((row) => {
    const moduleVersion = str(row, 'moduleversion');
    return moduleVersion ? [{ moduleName: str(row, 'modulename') ?? 'default', moduleVersion }] : [];
  });
  return pageOf(body, query, items);
}
