/**
 * OTA modules: the catalog's own plus those CreateOTAModule added (kept in the store). Rules from
 * the reference (ota-jobs-api.md "Packages and modules"): ModuleName 1–64 characters, unique in the
 * product ignoring case, immutable; at most 10 custom modules (all but `default`) per product.
 */
import type { ModuleInfo, ProductInfo } from './catalog.js';
import {
  absentOr,
  chars,
  charsWithin,
  firstBroken,
  INVALID_PARAMETER as INVALID,
  type RuleTable,
} from './param-rules.js';
import type { RpcFailure } from './responses.js';
import type { ModuleRecord } from './store.js';

/** "At most 10 custom modules per product." */
export const MAX_CUSTOM_MODULES = 10;

// Letters, digits, ".", "-" and "_", as the console's module form allows (not in the reference).
const MODULE_NAME_RE = /^[A-Za-z0-9._-]+$/;

/** The product's modules: the catalog's, then the created ones, oldest first. */
export function productWithModules(product: ProductInfo, created: readonly ModuleRecord[]): ProductInfo {
  const own = created.filter((m) => m.ProductKey === product.productKey);
  return own.length === 0 ? product : { ...product, modules: [...product.modules, ...own] };
}

interface ModuleRequest {
  readonly ModuleName: string;
  readonly AliasName?: string;
  readonly Desc?: string;
  readonly product: ProductInfo;
}

const sameName = (r: ModuleRequest): ModuleInfo | undefined =>
  r.product.modules.find((m) => m.ModuleName.toLowerCase() === r.ModuleName.toLowerCase());

const customCount = (r: ModuleRequest): number =>
  r.product.modules.filter((m) => m.ModuleName !== 'default').length;

// Unsourced (the reference gives only ModuleName's length, its uniqueness and the count): the
// AliasName and Desc limits and the codes other than INVALID are plausible stand-ins.
const MODULE_RULES: RuleTable<ModuleRequest> = [
  {
    param: 'ModuleName',
    holds: (r) => charsWithin(r.ModuleName, 1, 64),
    code: INVALID,
    message: (r) => `ModuleName must be 1-64 characters (got ${chars(r.ModuleName)}).`,
  },
  {
    param: 'ModuleName',
    holds: (r) => MODULE_NAME_RE.test(r.ModuleName),
    code: INVALID,
    message: 'ModuleName may contain only letters, digits, ".", "-" and "_".',
  },
  {
    param: 'AliasName',
    holds: (r) => absentOr(r.AliasName, (alias) => chars(alias) <= 64),
    code: INVALID,
    message: (r) => `AliasName must not exceed 64 characters (got ${chars(r.AliasName)}).`,
  },
  {
    param: 'Desc',
    holds: (r) => absentOr(r.Desc, (desc) => chars(desc) <= 100),
    code: INVALID,
    message: (r) => `Desc must not exceed 100 characters (got ${chars(r.Desc)}).`,
  },
  {
    param: 'ModuleName',
    holds: (r) => sameName(r) === undefined,
    code: 'iot.ota.ModuleNameExisted', // unsourced
    message: (r) =>
      `The product already has the module "${sameName(r)?.ModuleName}"; module names are unique ignoring case.`,
  },
  {
    holds: (r) => customCount(r) < MAX_CUSTOM_MODULES,
    code: 'iot.ota.ModuleCountExceeded', // unsourced
    message: `A product can have at most ${MAX_CUSTOM_MODULES} custom OTA modules.`,
  },
];

/** The module to store, or the first rule the request breaks. */
export function buildModule(
  params: Readonly<Record<string, string>>,
  product: ProductInfo,
  utc: string,
): ModuleRecord | RpcFailure {
  const request: ModuleRequest = {
    ModuleName: params.ModuleName ?? '',
    AliasName: params.AliasName,
    Desc: params.Desc,
    product,
  };
  const broken = firstBroken(MODULE_RULES, request);
  if (broken) return broken;
  return {
    ProductKey: product.productKey,
    ModuleName: request.ModuleName,
    AliasName: request.AliasName ?? '',
    Desc: request.Desc ?? '',
    GmtCreate: utc,
    GmtModified: utc,
  };
}
