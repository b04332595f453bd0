/** Every package of a product, page by page (ListOTAFirmware answers at most 100 a page). */
import type { FirmwareSummary, IotClient } from '../../cloud/iot-client.js';
import { withRetry, type RetryOptions } from '../retry.js';

const PAGE_SIZE = 100;
/** The account limit is 500 packages; a cloud that reports more is listed this far. */
const MAX_PAGES = 20;

export interface FirmwareListing {
  /** The cloud's count of matching packages (may exceed `items.length` past MAX_PAGES). */
  readonly total: number;
  /** Newest first, as the cloud lists them. */
  readonly items: readonly FirmwareSummary[];
}

export async function listAllFirmware(
  client: Pick<IotClient, 'listOtaFirmware'>,
  query: { productKey: string; destVersion?: string },
  signal?: AbortSignal,
  /** Told of each throttled answer waited out (the pre-flight reports and records them). */
  onRetry?: RetryOptions['onRetry'],
): Promise<FirmwareListing> {
  const items: FirmwareSummary[] = [];
  let total = 0;
  for (let page = 1; page <= MAX_PAGES; page++) {
    // Throttling (the account's 10 QPS) is waited out; other faults are the caller's.
    const result = await withRetry(
      () => client.listOtaFirmware({ ...query, currentPage: page, pageSize: PAGE_SIZE }, signal),
      { attempts: 1, signal, onRetry },
    );
    total = result.total;
    items.push(...result.items);
    if (result.items.length < PAGE_SIZE || page >= result.pageCount) break;
  }
  return { total, items };
}
