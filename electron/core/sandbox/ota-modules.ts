/**
 * CreateOTAModule (cloud-api.md: ModuleName 1–64 of letters, digits, `.`, `-`, `_`, unique per
 * product ignoring letter case; AliasName ≤ 64; Desc ≤ 100; at most 10 custom modules per product).
 * The real error codes are unconfirmed: the rule's field and limit are in each message.
 */
import type { ProductInfo } from './catalog.js';
import { absentOr, chars, firstBroken, INVALID_PARAMETER, type RuleTable } from './param-rules.js';
import { businessError, type RpcFailure } from './responses.js';
import type { ModuleRecord, SandboxStore } from './store.js';

/** Custom modules a product may have besides `default`. */
export const MAX_CUSTOM_MODULES = 10;

/** The product as the account holds it now: the catalog's modules and those created since. */
export function productWithModules(
  products: readonly ProductInfo[],
  store: SandboxStore,
  productKey: string,
): ProductInfo | undefined {
  const product = products.find((p) => p.productKey === productKey);
  if (!product) return undefined;
  const created = store.modulesOf(productKey).map(({ ModuleName, AliasName, Desc }) => ({
    ModuleName,
    AliasName,
    Desc,
  }));
  return { ...product, modules: [...product.modules, ...created] };
}

interface ModuleRequest {
  readonly ModuleName?: string;
  readonly AliasName?: string;
  readonly Desc?: string;
  readonly product: ProductInfo;
}

const MODULE_RULES: RuleTable<ModuleRequest> = [
  {
    param: 'ModuleName',
    holds: (r) => /^[A-Za-z0-9._-]{1,64}$/.test(r.ModuleName ?? ''),
    code: INVALID_PARAMETER,
    message: 'ModuleName must be 1-64 characters: letters, digits, ".", "-" and "_".',
  },
  {
    param: 'ModuleName',
    holds: (r) => !r.product.modules.some((m) => m.ModuleName.toLowerCase() === r.ModuleName!.toLowerCase()),
    code: 'iot.ota.AlreadyExistedModuleName',
    message: (r) =>
      `The OTA module "${r.ModuleName}" already exists in product ${r.product.productKey} (module names are unique ignoring letter case).`,
  },
  {
    param: 'AliasName',
    holds: (r) => absentOr(r.AliasName, (alias) => chars(alias) >= 1 && chars(alias) <= 64),
    code: INVALID_PARAMETER,
    message: 'AliasName must be 1-64 characters.',
  },
  {
    param: 'Desc',
    holds: (r) => absentOr(r.Desc, (desc) => chars(desc) <= 100),
    code: INVALID_PARAMETER,
    message: 'Desc must not exceed 100 characters.',
  },
  {
    holds: (r) => r.product.modules.filter((m) => m.ModuleName !== 'default').length < MAX_CUSTOM_MODULES,
    code: 'iot.ota.ModuleCountExceeded',
    message: `A product can have at most ${MAX_CUSTOM_MODULES} custom OTA modules.`,
  },
];

/** Checks and stores a new module; the answer is `{Success: true}` or the first rule broken. */
export async function createModule(
  params: Readonly<Record<string, string>>,
  products: readonly ProductInfo[],
  store: SandboxStore,
): Promise<{ readonly Success: true } | RpcFailure> {
  return store.serial(async () => {
    const product = productWithModules(products, store, params.ProductKey ?? '');
    if (!product) return businessError('iot.prod.NotExistedProduct', 'The specified product does not exist.');
    const { ModuleName, AliasName, Desc } = params;
    const broken = firstBroken(MODULE_RULES, { ModuleName, AliasName, Desc, product });
    if (broken) return broken;
    const record: ModuleRecord = {
      ProductKey: product.productKey,
      ModuleName: params.ModuleName!,
      AliasName: params.AliasName ?? params.ModuleName!,
      Desc: params.Desc ?? '',
    };
    await store.addModule(record);
    return { Success: true };
  });
}
