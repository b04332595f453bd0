/**
 * The devices a package can be verified on, with what the verify panel and `ota-publish devices`
 * show: online state and the version each runs of the package's module. No secret reaches these
 * rows: the client drops DeviceSecret where it parses the answer.
 */
import type { BenchDevice } from '../../cloud/bench-types.js';

export type { BenchDevice } from '../../cloud/bench-types.js';
import type { IotClient } from '../../cloud/iot-client.js';
import { withRetry } from '../retry.js';

/** QueryDevice's largest page. */
const DEVICE_PAGE = 50;
/** A bench is a handful of boards; a product with thousands of devices is listed this far. */
export const MAX_LISTED_DEVICES = 200;

/** One call per device: throttling (the account's 10 QPS) is waited out, other faults retried once. */
const patiently = <T>(call: () => Promise<T>, signal?: AbortSignal) =>
  withRetry(call, { attempts: 2, signal });

export async function listBenchDevices(
  client: IotClient,
  productKey: string,
  moduleName = 'default',
  signal?: AbortSignal,
): Promise<{ devices: BenchDevice[]; total: number }> {
  const found = [];
  let total = 0;
  for (let page = 1; found.length < MAX_LISTED_DEVICES; page++) {
    const result = await patiently(
      () => client.queryDevice({ productKey, currentPage: page, pageSize: DEVICE_PAGE }, signal),
      signal,
    );
    total = result.total;
    found.push(...result.items);
    if (page >= result.pageCount || result.items.length === 0) break;
  }
  const devices: BenchDevice[] = [];
  for (const d of found.slice(0, MAX_LISTED_DEVICES)) {
    const versions = await patiently(
      () =>
        client.listOtaModuleVersionsByDevice(
          { productKey, deviceName: d.deviceName, currentPage: 1, pageSize: 50 },
          signal,
        ),
      signal,
    );
    const version = versions.items.find((m) => m.moduleName === moduleName)?.moduleVersion;
    devices.push({ name: d.deviceName, status: d.status, version });
  }
  return { devices, total };
}
