/**
 * `ota-publish sandbox --max-packages N`: CreateOTAFirmware refuses the package past the limit, and
 * deleting one (ota-publish packages delete) makes room again; `publish` reports the refusal.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudError } from '../../../electron/core/cloud/errors.js';
import { makeFile, runCli, tempDir } from '../helpers/cli.js';
import { DEMO_PRODUCT_KEY, startPackagesBench, type PackagesBench } from './helpers.js';

let bench: PackagesBench;
let dir: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  bench = await startPackagesBench(['--max-packages', '3']);
  dir = await tempDir('ota-max-packages-');
});
afterAll(async () => {
  await bench?.stop();
  await dir?.remove();
});

describe('sandbox --max-packages', () => {
  it('refuses CreateOTAFirmware past the limit until a package is deleted', async () => {
    const [first] = await bench.seed(['one', 'two', 'three']);
    const refused = await bench.seed(['four']).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(CloudError);
    expect((refused as CloudError).code).toBe('iot.ota.FirmwareCountExceeded');
    expect((refused as CloudError).cloudMessage).toContain('at most 3 OTA packages');

    const file = await makeFile(join(dir.path, 'fw.bin'), 10_000);
    const publish = [
      'publish',
      file,
      '--product',
      DEMO_PRODUCT_KEY,
      '--version',
      '2.0.0',
      '--name',
      'full',
      '--json',
    ];
    const full = await bench.cli(publish);
    expect(full.code).toBe(3);
    expect(full.stderr).toContain('iot.ota.FirmwareCountExceeded');

    expect((await bench.packages(['delete', first!, '--yes'])).code).toBe(0);
    const room = await bench.cli(publish);
    expect(room.code, room.stderr).toBe(0);
  });

  it('refuses a --max-packages that is not a whole number (exit 2)', async () => {
    const result = await runCli(['sandbox', '--max-packages', 'lots', '--data-dir', dir.path]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--max-packages must be an integer');
  });
});
