/** The products and OTA modules the sandbox account owns. */

/** Shaped like a real ProductKey (11 characters, `a1` prefix). */
export const DEMO_PRODUCT_KEY = 'a1SandboxPK';

export interface ModuleInfo {
  readonly ModuleName: string;
  readonly AliasName: string;
  readonly Desc: string;
  /** Created modules only; the catalog's date from CATALOG_CREATED. */
  readonly GmtCreate?: string;
  readonly GmtModified?: string;
}

export interface ProductInfo {
  readonly productKey: string;
  readonly productName: string;
  readonly modules: readonly ModuleInfo[];
}

const DEFAULT_MODULE: ModuleInfo = {
  ModuleName: 'default',
  AliasName: 'default',
  Desc: 'Whole-device firmware',
};

const DEMO_MODULES: readonly ModuleInfo[] = [
  DEFAULT_MODULE,
  { ModuleName: 'wifi', AliasName: 'Wi-Fi', Desc: 'Wi-Fi module firmware' },
  { ModuleName: 'mcu', AliasName: 'MCU', Desc: 'Main controller firmware' },
  { ModuleName: 'camera', AliasName: 'Camera', Desc: 'Camera driver firmware' },
];

/** A fixed creation time so module listings are stable across restarts. */
export const CATALOG_CREATED = '2024-01-01T00:00:00.000Z';

/** The demo product first, then each extra product key (with just the `default` module). */
export function buildCatalog(extraProducts: readonly string[]): readonly ProductInfo[] {
  const products: ProductInfo[] = [
    { productKey: DEMO_PRODUCT_KEY, productName: 'Sandbox demo product', modules: DEMO_MODULES },
  ];
  for (const key of extraProducts) {
    if (products.some((p) => p.productKey === key)) continue;
    products.push({ productKey: key, productName: key, modules: [DEFAULT_MODULE] });
  }
  return products;
}
