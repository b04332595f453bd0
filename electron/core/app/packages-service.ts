/** The Packages view's requests: list, show and delete through the packages core (#17). */
import type { OtaJobInfo } from '../cloud/bench-types.js';
import type { FirmwareInfo, FirmwareSummary } from '../cloud/iot-client.js';
import type { PackageDeleteResult, PackageDetail, PackageList, PackageRow } from '../contract.js';
import { text } from '../i18n/text.js';
import { deletePackage } from '../publish/packages/package-delete.js';
import { isUnfinishedJob, packageStatusText, showPackage } from '../publish/packages/package-detail.js';
import { listPackages, moduleOf } from '../publish/packages/package-list.js';
import { PACKAGE_WARNING_FROM } from '../publish/preflight/decide.js';
import { clientFor } from './cloud-client.js';
import type { Connections } from './connections.js';

/** Field by field: the cloud's URLs (signed OSS links) never reach the window. */
function rowOf(f: FirmwareSummary | FirmwareInfo): PackageRow {
  return {
    firmwareId: f.firmwareId,
    firmwareName: f.firmwareName,
    destVersion: f.destVersion,
    srcVersion: f.srcVersion || undefined,
    moduleName: moduleOf(f),
    type: f.type ?? 'full',
    status: f.status,
    statusText: packageStatusText(f.status),
    signMethod: f.signMethod,
    utcCreate: f.utcCreate,
  };
}

function filesOf(f: FirmwareInfo): PackageDetail['files'] {
  if (f.multiFiles && f.multiFiles.length > 0) {
    return f.multiFiles.map((m) => ({ name: m.name, size: m.size, sign: m.signValue ?? m.fileMd5 }));
  }
  return [{ name: f.firmwareName, size: f.firmwareSize, sign: f.firmwareSign }];
}

const jobRow = (j: OtaJobInfo) => ({
  jobId: j.jobId,
  jobType: j.jobType,
  jobStatus: j.jobStatus,
  unfinished: isUnfinishedJob(j),
  utcCreate: j.utcCreate,
  utcEndTime: j.utcEndTime,
});

const inUse = (ids: readonly string[]) =>
  text(
    `Not deleted: the package has an unfinished OTA job (${ids.join(', ')}). Wait until it ends or cancel it, then delete again.`,
    `未删除：该升级包有未结束的 OTA 任务（${ids.join('、')}）。请等待任务结束或取消任务后再删除。`,
  );

export class PackagesService {
  constructor(private readonly connections: Connections) {}

  async list(profile: string, productKey: string, moduleName: string | null): Promise<PackageList> {
    const { client } = await clientFor(this.connections, profile);
    const listing = await listPackages(client, { productKey, moduleName: moduleName ?? undefined });
    return {
      rows: listing.items.map(rowOf),
      count: listing.quota.count,
      limit: listing.quota.limit,
      warnFrom: PACKAGE_WARNING_FROM,
    };
  }

  async show(profile: string, firmwareId: string): Promise<PackageDetail> {
    const { client } = await clientFor(this.connections, profile);
    const { firmware, jobs } = await showPackage(client, firmwareId);
    return {
      ...rowOf(firmware),
      productKey: firmware.productKey,
      desc: firmware.desc,
      udi: firmware.udi,
      verifyProgress: firmware.verifyProgress,
      files: filesOf(firmware),
      jobs: jobs.map(jobRow),
    };
  }

  async remove(profile: string, firmwareId: string): Promise<PackageDeleteResult> {
    const { client } = await clientFor(this.connections, profile);
    const result = await deletePackage(client, firmwareId);
    if (result.outcome === 'deleted') return result;
    return { ...result, message: inUse(result.jobIds) };
  }
}
