/** Housekeeping of packages and modules: ListOTAFirmware, DeleteOTAFirmware and the module actions. */
import { CATALOG_CREATED, type ProductInfo } from './catalog.js';
import type { ActionResult, IotContext } from './iot-actions.js';
import { buildModule, productWithModules } from './modules.js';
import { businessError, isRpcFailure, type JsonValue, type RpcFailure } from './responses.js';
import type { FirmwareRecord } from './store.js';

type Params = Readonly<Record<string, string>>;

const NO_PRODUCT = (): RpcFailure =>
  businessError('iot.prod.NotExistedProduct', 'The specified product does not exist.');

export const FIRMWARE_NOT_FOUND = (): RpcFailure =>
  businessError('iot.ota.FirmwareNotFound', 'The specified firmware does not exist.');

/** The product with every module it has now (the catalog's and those created since). */
export function currentProduct(ctx: IotContext, productKey: string): ProductInfo | undefined {
  const product = ctx.products.find((p) => p.productKey === productKey);
  return product && productWithModules(product, ctx.store.listModules());
}

/** Verify jobs end COMPLETED or CANCELED; any other state (IN_PROGRESS) is unfinished. */
const FINISHED_JOB_STATUSES: ReadonlySet<string> = new Set(['COMPLETED', 'CANCELED']);

export async function deleteFirmware(params: Params, ctx: IotContext): Promise<ActionResult> {
  const id = params.FirmwareId ?? '';
  // The reference: a package with an unfinished job should not be deleted (the real code is unsourced).
  const unfinished = ctx.ota?.jobsOf(id).find((job) => !FINISHED_JOB_STATUSES.has(job.JobStatus));
  if (unfinished)
    return businessError(
      'iot.ota.FirmwareHasUnfinishedJob',
      `The package has an unfinished OTA job (${unfinished.JobId}); wait for it to end or cancel it first.`,
    );
  return (await ctx.store.removeFirmware(id)) ? { Success: true } : FIRMWARE_NOT_FOUND();
}

const pageNumber = (value: string | undefined): number => (/^\d+$/.test(value ?? '') ? Number(value) : 0);

/** Newest first, as the console lists them; packages created in the same millisecond, last created first. */
function newestFirst(records: readonly FirmwareRecord[]): FirmwareRecord[] {
  return records
    .toReversed()
    .toSorted((a, b) => (a.UtcCreate < b.UtcCreate ? 1 : a.UtcCreate > b.UtcCreate ? -1 : 0));
}

/** A `SimpleFirmwareInfo` row: every documented field (sign and size only for a single-file package). */
function firmwareRow(f: FirmwareRecord): Record<string, JsonValue> {
  const row: Record<string, JsonValue> = {
    FirmwareId: f.FirmwareId,
    FirmwareName: f.FirmwareName,
    DestVersion: f.DestVersion,
    SrcVersion: f.SrcVersion ?? '',
    Type: f.Type,
    Status: f.Status,
    ModuleName: f.ModuleName,
    SignMethod: f.SignMethod,
    FirmwareDesc: f.FirmwareDesc ?? '',
    ProductKey: f.ProductKey,
    UtcCreate: f.UtcCreate,
    UtcModified: f.UtcModified,
  };
  if (f.FirmwareSign !== undefined) row.FirmwareSign = f.FirmwareSign;
  if (f.FirmwareSize !== undefined) row.FirmwareSize = f.FirmwareSize;
  return row;
}

export async function listFirmware(params: Params, ctx: IotContext): Promise<ActionResult> {
  const page = pageNumber(params.CurrentPage);
  const size = pageNumber(params.PageSize);
  if (page < 1 || size < 1 || size > 100) {
    return businessError(
      'iot.common.InvalidPageParams',
      'CurrentPage must be ≥ 1 and PageSize must be 1-100.',
    );
  }
  const matching = newestFirst(
    ctx.store
      .listFirmware()
      .filter((f) => params.ProductKey === undefined || f.ProductKey === params.ProductKey)
      .filter((f) => params.DestVersion === undefined || f.DestVersion === params.DestVersion),
  );
  return {
    CurrentPage: page,
    PageSize: size,
    PageCount: Math.ceil(matching.length / size),
    Total: matching.length,
    FirmwareInfo: { SimpleFirmwareInfo: matching.slice((page - 1) * size, page * size).map(firmwareRow) },
    Success: true,
  };
}

export async function listModules(params: Params, ctx: IotContext): Promise<ActionResult> {
  const product = currentProduct(ctx, params.ProductKey ?? '');
  if (!product) return NO_PRODUCT();
  return {
    Data: product.modules.map((m) => ({
      ModuleName: m.ModuleName,
      AliasName: m.AliasName,
      Desc: m.Desc,
      ProductKey: product.productKey,
      GmtCreate: m.GmtCreate ?? CATALOG_CREATED,
      GmtModified: m.GmtModified ?? CATALOG_CREATED,
    })),
    Success: true,
  };
}

export async function createModule(params: Params, ctx: IotContext): Promise<ActionResult> {
  // Serial: two creates of one name must not both pass the uniqueness check.
  return ctx.store.serial(async () => {
    const product = currentProduct(ctx, params.ProductKey ?? '');
    if (!product) return NO_PRODUCT();
    const record = buildModule(params, product, new Date().toISOString());
    if (isRpcFailure(record)) return record;
    await ctx.store.addModule(record);
    return { Success: true };
  });
}
