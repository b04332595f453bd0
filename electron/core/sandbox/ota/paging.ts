/** CurrentPage/PageSize of the paged OTA and device actions. */
import { businessError, type RpcFailure } from '../responses.js';
import { isDigits } from '../param-rules.js';

export interface Page {
  readonly page: number;
  readonly size: number;
}

/** Both default (page 1, 10 items) when absent; the code is the one ListOTAFirmware already uses. */
export function readPage(params: Readonly<Record<string, string>>, maxSize: number): Page | RpcFailure {
  const page =
    params.CurrentPage === undefined ? 1 : isDigits(params.CurrentPage) ? Number(params.CurrentPage) : 0;
  const size = params.PageSize === undefined ? 10 : isDigits(params.PageSize) ? Number(params.PageSize) : 0;
  if (page < 1 || size < 1 || size > maxSize) {
    return businessError(
      'iot.common.InvalidPageParams',
      `CurrentPage must be ≥ 1 and PageSize must be 1-${maxSize}.`,
    );
  }
  return { page, size };
}

export function slicePage<T>(items: readonly T[], { page, size }: Page): readonly T[] {
  return items.slice((page - 1) * size, page * size);
}

/** The paging fields beside the list (`Total, PageSize, PageCount, CurrentPage`). */
export function pageFields(
  total: number,
  { page, size }: Page,
): { Total: number; PageSize: number; PageCount: number; CurrentPage: number } {
  return { Total: total, PageSize: size, PageCount: Math.ceil(total / size), CurrentPage: page };
}

/** `Prefix.N` values ordered by N (`TaskId.1`, `DeviceName.2`…). */
export function repeatList(params: Readonly<Record<string, string>>, prefix: string): string[] {
  const pattern = new RegExp(String.raw`^${prefix}\.(\d+)$`);
  return Object.entries(params)
    .map(([key, value]) => [pattern.exec(key)?.[1], value] as const)
    .filter((entry): entry is readonly [string, string] => entry[0] !== undefined)
    .sort((a, b) => Number(a[0]) - Number(b[0]))
    .map(([, value]) => value);
}
