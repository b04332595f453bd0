/** The sandbox's CreateOTAModule: the documented rules, and modules that survive a restart. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCatalog, DEMO_PRODUCT_KEY } from '../../../electron/core/sandbox/catalog.js';
import {
  createModule,
  MAX_CUSTOM_MODULES,
  productWithModules,
} from '../../../electron/core/sandbox/ota-modules.js';
import { SandboxStore } from '../../../electron/core/sandbox/store.js';

const EXTRA = 'a1ExtraProd1';
const products = buildCatalog([EXTRA]);
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ota-sandbox-modules-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const codeOf = (answer: unknown) => (answer as { code?: string }).code;

describe('sandbox CreateOTAModule', () => {
  it('creates a module the product lists from then on, also after a restart', async () => {
    const data = join(dir, 'restart');
    const store = await SandboxStore.open(data);
    expect(await createModule({ ProductKey: EXTRA, ModuleName: 'sensor' }, products, store)).toEqual({
      Success: true,
    });
    await store.flush();
    const reopened = await SandboxStore.open(data);
    const names = productWithModules(products, reopened, EXTRA)!.modules.map((m) => m.ModuleName);
    expect(names).toEqual(['default', 'sensor']);
    // Other products do not see it.
    expect(
      productWithModules(products, reopened, DEMO_PRODUCT_KEY)!.modules.map((m) => m.ModuleName),
    ).not.toContain('sensor');
  });

  it('refuses a name taken in any letter case, a malformed name, an unknown product and an 11th module', async () => {
    const store = await SandboxStore.open(join(dir, 'rules'));
    const create = (ModuleName: string, ProductKey = EXTRA) =>
      createModule({ ProductKey, ModuleName }, products, store);
    expect(codeOf(await create('DEFAULT'))).toBe('iot.ota.AlreadyExistedModuleName');
    expect(codeOf(await create('bad name'))).toBe('iot.check.InvalidFormattedParameter');
    expect(codeOf(await create('m', 'a1NoSuchProd'))).toBe('iot.prod.NotExistedProduct');
    for (let i = 0; i < MAX_CUSTOM_MODULES; i++) expect(await create(`m${i}`)).toEqual({ Success: true });
    expect(codeOf(await create('one-more'))).toBe('iot.ota.ModuleCountExceeded');
  });
});
