import type { DeviceList, ModuleInfo, VersionInfo } from '../contract.js';
import { listBenchDevices } from '../publish/verify/bench-devices.js';
import { IotClient } from '../cloud/iot-client.js';
import { SANDBOX_PROFILE, type BuiltInSandbox } from './builtin-sandbox.js';
import type { Connections } from './connections.js';
import type { SettingsStore } from './settings-store.js';

/** ListOTAFirmware pages read for the version list (100 each): the newest 500 packages. */
const MAX_PAGES = 5;

/** What the wizard offers to pick from: product keys, OTA modules, existing versions. */
export class CloudLookups {
  constructor(
    private readonly connections: Connections,
    private readonly sandbox: BuiltInSandbox,
    private readonly settings: SettingsStore,
  ) {}

  /** Recently used product keys of the profile, plus the sandbox's own products. */
  products(profile: string): string[] {
    const recent = this.settings.get().recentProducts[profile] ?? [];
    const own = profile === SANDBOX_PROFILE ? (this.sandbox.running?.products ?? []) : [];
    return [...new Set([...recent, ...own])];
  }

  /** The product's OTA modules; `default` (whole-device firmware) is always offered. */
  async modules(profile: string, productKey: string): Promise<ModuleInfo[]> {
    const client = await this.client(profile);
    const found = await client.listOtaModuleByProduct(productKey);
    const modules: ModuleInfo[] = found.map((m) => ({
      moduleName: m.moduleName,
      aliasName: m.aliasName,
      desc: m.desc,
    }));
    if (!modules.some((m) => m.moduleName === 'default')) modules.unshift({ moduleName: 'default' });
    return modules;
  }

  /** Packages already published for the product, newest first. */
  async versions(profile: string, productKey: string): Promise<VersionInfo[]> {
    const client = await this.client(profile);
    const out: VersionInfo[] = [];
    for (let page = 1; page <= MAX_PAGES; page++) {
      const result = await client.listOtaFirmware({ productKey, currentPage: page, pageSize: 100 });
      for (const f of result.items) {
        out.push({
          firmwareId: f.firmwareId,
          firmwareName: f.firmwareName,
          destVersion: f.destVersion,
          srcVersion: f.srcVersion,
          moduleName: f.moduleName,
          utcCreate: f.utcCreate,
        });
      }
      if (page >= result.pageCount || result.items.length === 0) break;
    }
    return out.sort((a, b) => (b.utcCreate ?? '').localeCompare(a.utcCreate ?? ''));
  }

  /** The product's devices for the verify panel (no DeviceSecret: the client drops it). */
  async devices(profile: string, productKey: string, moduleName: string | null): Promise<DeviceList> {
    return listBenchDevices(await this.client(profile), productKey, moduleName ?? 'default');
  }

  private async client(profile: string): Promise<IotClient> {
    const { target, credentials } = await this.connections.resolve(profile);
    return new IotClient({ target, credentials });
  }
}
