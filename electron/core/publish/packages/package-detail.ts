/** One package as the cloud holds it: its files, signs, verification state and every job of it. */
import type { OtaJobInfo } from '../../cloud/bench-types.js';
import type { FirmwareInfo, IotClient } from '../../cloud/iot-client.js';
import { text, type Text } from '../../i18n/text.js';
import { withRetry } from '../retry.js';

const JOB_PAGE_SIZE = 100;
/** A package with more jobs than this is listed this far. */
const MAX_JOB_PAGES = 50;

export interface PackageDetail {
  readonly firmware: FirmwareInfo;
  /** As ListOTAJobByFirmware lists them, every page. */
  readonly jobs: readonly OtaJobInfo[];
}

type JobClient = Pick<IotClient, 'listOtaJobByFirmware'>;

/** A job that may still act on the package: anything but COMPLETED or CANCELED (PLANNED, IN_PROGRESS…). */
export const isUnfinishedJob = (job: Pick<OtaJobInfo, 'jobStatus'>): boolean =>
  job.jobStatus !== 'COMPLETED' && job.jobStatus !== 'CANCELED';

/** Every job of the package, page by page; throttling is waited out. */
export async function listAllJobs(
  client: JobClient,
  firmwareId: string,
  signal?: AbortSignal,
): Promise<OtaJobInfo[]> {
  const jobs: OtaJobInfo[] = [];
  for (let page = 1; page <= MAX_JOB_PAGES; page++) {
    const result = await withRetry(
      () => client.listOtaJobByFirmware({ firmwareId, currentPage: page, pageSize: JOB_PAGE_SIZE }, signal),
      { attempts: 1, signal },
    );
    jobs.push(...result.items);
    if (result.items.length < JOB_PAGE_SIZE || page >= result.pageCount) break;
  }
  return jobs;
}

export async function showPackage(
  client: Pick<IotClient, 'queryOtaFirmware' | 'listOtaJobByFirmware'>,
  firmwareId: string,
  signal?: AbortSignal,
): Promise<PackageDetail> {
  const firmware = await withRetry(() => client.queryOtaFirmware(firmwareId, signal), {
    attempts: 1,
    signal,
  });
  return { firmware, jobs: await listAllJobs(client, firmwareId, signal) };
}

const STATUS_TEXTS: Readonly<Record<number, Text>> = {
  [-1]: text('no verification needed', '无需验证'),
  0: text('unverified', '未验证'),
  1: text('verified', '已验证'),
  2: text('verifying', '验证中'),
  3: text('verification failed', '验证失败'),
};

/** The package Status as words (QueryOTAFirmware / ListOTAFirmware `Status`). */
export function packageStatusText(status: number | undefined): Text {
  return (status === undefined ? undefined : STATUS_TEXTS[status]) ?? text('unknown', '未知');
}
