/** A product's packages, filtered by module and version, and the account's count against its limit. */
import type { FirmwareSummary, IotClient } from '../../cloud/iot-client.js';
import { withRetry } from '../retry.js';
import { listAllFirmware } from './firmware-list.js';

/** "An Alibaba Cloud account can upload a maximum of 500 update packages." */
export const MAX_PACKAGES = 500;

/** How many packages the account holds, of how many it may (the "423 of 500" meter). */
export interface PackageQuota {
  readonly count: number;
  readonly limit: number;
}

export interface PackageFilter {
  readonly productKey: string;
  /** Only this module's packages ("default" for packages without a module). */
  readonly moduleName?: string;
  /** Only packages of this DestVersion (filtered by the cloud). */
  readonly destVersion?: string;
}

export interface PackageListing {
  /** Newest first. */
  readonly items: readonly FirmwareSummary[];
  readonly quota: PackageQuota;
}

type ListClient = Pick<IotClient, 'listOtaFirmware'>;

/** The module a package belongs to: the cloud leaves it out (or empty) for the default one. */
export const moduleOf = (p: Pick<FirmwareSummary, 'moduleName'>): string => p.moduleName || 'default';

/** The account's package count: ListOTAFirmware without a ProductKey counts every product's. */
export async function packageQuota(client: ListClient, signal?: AbortSignal): Promise<PackageQuota> {
  const page = await withRetry(() => client.listOtaFirmware({ currentPage: 1, pageSize: 1 }, signal), {
    attempts: 1,
    signal,
  });
  return { count: page.total, limit: MAX_PACKAGES };
}

/** Every package of the product that matches the filter (all pages), and the account's quota. */
export async function listPackages(
  client: ListClient,
  filter: PackageFilter,
  signal?: AbortSignal,
): Promise<PackageListing> {
  const { productKey, destVersion, moduleName } = filter;
  const listing = await listAllFirmware(client, { productKey, destVersion }, signal);
  const items = listing.items.filter((p) => moduleName === undefined || moduleOf(p) === moduleName);
  return { items, quota: await packageQuota(client, signal) };
}
