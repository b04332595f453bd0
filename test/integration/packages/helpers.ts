/**
 * A sandbox process for the `ota-publish packages` tests, packages created fast (one upload,
 * many CreateOTAFirmware calls on it), verify jobs that finish (bench-01, simulated) or never do
 * (lab-99: no simulator signs in, so its task stays queued), and the CLI run against it.
 */
import { createHash } from 'node:crypto';
import { IotClient } from '../../../electron/core/cloud/iot-client.js';
import { withRetry } from '../../../electron/core/publish/retry.js';
import { DEMO_PRODUCT_KEY } from '../../../electron/core/sandbox/catalog.js';
import { runCli, startSandboxProcess, tempDir, type CliResult, type SandboxProcess } from '../helpers/cli.js';
import { upload } from '../sandbox/helpers.js';

export { DEMO_PRODUCT_KEY };
/** A device of the demo product that never signs in. */
export const IDLE_DEVICE = 'lab-99';

const FILE = Buffer.from('package housekeeping\n'.repeat(2000));
const MD5 = createHash('md5').update(FILE).digest('hex');

export interface PackagesBench {
  readonly sandbox: SandboxProcess;
  readonly client: IotClient;
  /** `ota-publish packages ARGS --endpoint … --data-dir …` with the sandbox's AccessKey. */
  packages(args: readonly string[], env?: NodeJS.ProcessEnv): Promise<CliResult>;
  /** `ota-publish ARGS` (any command) with the same target and AccessKey. */
  cli(args: readonly string[]): Promise<CliResult>;
  /** Creates a package per name (DestVersion `1.0.NAME`), in order; their FirmwareIds. */
  seed(names: readonly string[], options?: { productKey?: string; moduleName?: string }): Promise<string[]>;
  /** Starts a verify job on `device`; its JobId. */
  verifyJob(firmwareId: string, device: string): Promise<string>;
  /** Waits until the package's Status is `status`. */
  waitForStatus(firmwareId: string, status: number): Promise<void>;
  /** The FirmwareIds of a product's packages, as the cloud lists them. */
  ids(productKey?: string): Promise<string[]>;
  stop(): Promise<void>;
}

/** Waits out the account's 10 QPS, as the commands under test do. */
const patient = <T>(call: () => Promise<T>): Promise<T> => withRetry(call, { attempts: 1 });

export async function startPackagesBench(extraArgs: readonly string[] = []): Promise<PackagesBench> {
  const dir = await tempDir('ota-packages-');
  const sandbox = await startSandboxProcess([
    '--data-dir',
    `${dir.path}/cloud`,
    '--external-device',
    IDLE_DEVICE,
    '--device-step-ms',
    '10',
    ...extraArgs,
  ]);
  const { info } = sandbox;
  const client = new IotClient({
    target: { dialect: 'aliyun', endpoint: info.endpoint, regionId: 'cn-shanghai' },
    credentials: info,
  });
  const target = ['--endpoint', info.endpoint, '--data-dir', `${dir.path}/home`];
  let fileUrl: Promise<string> | undefined;
  const bench: PackagesBench = {
    sandbox,
    client,
    packages: (args, env = {}) => runCli(['packages', ...args, ...target], { ...sandbox.env, ...env }),
    cli: (args) => runCli([...args, ...target], sandbox.env),
    async seed(names, options = {}) {
      fileUrl ??= upload(info, FILE).then((t) => t.FirmwareUrl);
      const url = await fileUrl;
      const ids: string[] = [];
      for (const name of names) {
        const created = await patient(() =>
          client.createOtaFirmware({
            productKey: options.productKey ?? DEMO_PRODUCT_KEY,
            firmwareName: name,
            destVersion: `1.0.${name}`,
            moduleName: options.moduleName,
            type: 'full',
            signMethod: 'MD5',
            desc: `build ${name}`,
            files: [{ name: 'fw.bin', url, size: FILE.length, sign: MD5, md5: MD5 }],
          }),
        );
        ids.push(created.firmwareId);
      }
      return ids;
    },
    async verifyJob(firmwareId, device) {
      const job = await patient(() =>
        client.createOtaVerifyJob({ firmwareId, productKey: DEMO_PRODUCT_KEY, deviceNames: [device] }),
      );
      return job.jobId;
    },
    async waitForStatus(firmwareId, status) {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const now = (await patient(() => client.queryOtaFirmware(firmwareId))).status;
        if (now === status) return;
        if (Date.now() > deadline)
          throw new Error(`package ${firmwareId} stayed at Status ${now}, not ${status}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
    async ids(productKey = DEMO_PRODUCT_KEY) {
      const page = await patient(() => client.listOtaFirmware({ productKey, currentPage: 1, pageSize: 100 }));
      return page.items.map((p) => p.firmwareId);
    },
    async stop() {
      await sandbox.stop();
      await dir.remove();
    },
  };
  return bench;
}
