import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MAX_FILE_SIZE } from '../publish/spec.js';
import { buildCatalog, DEMO_PRODUCT_KEY } from './catalog.js';
import { handleControl, MIN_CONTROL_TOKEN_LENGTH, newControlToken } from './control.js';
import type { DevicePort } from './devices/device-port.js';
import {
  DEFAULT_DEVICE_STEP_MS,
  DeviceFleet,
  type DeviceCredentials,
  type DeviceOption,
} from './devices/fleet.js';
import { sourceVersionLookup } from './devices/source-version.js';
import { Faults, type FaultControl } from './faults.js';
import { handleGetObject, sendOssError, type OssContext } from './oss-context.js';
import { handlePostObject } from './oss-post-object.js';
import { VerifyJobs } from './ota/verify-jobs.js';
import { startDownloadServer, type DownloadServer } from './download-server.js';
import { listen } from './listening.js';
import { isLoopbackHost } from '../cloud/target.js';
import {
  acceptedHosts,
  decodeComponent,
  isWildcardHost,
  isAddressedTo,
  misdirectedMessage,
  parseRequestUrl,
  urlHost,
} from './request-guard.js';
import { sendJson } from './responses.js';
import { RpcHandler } from './rpc-handler.js';
import { SandboxStore } from './store.js';

export { DEMO_PRODUCT_KEY } from './catalog.js';
export type { FaultControl, FaultPlan } from './faults.js';
export type { DeviceCredentials, DeviceOption } from './devices/fleet.js';
export type { DeviceFault } from './devices/device-faults.js';

export interface SandboxOptions {
  /** Persistent store (firmware, uploaded objects). */
  readonly dataDir: string;
  /** Default 0 = a free port. */
  readonly port?: number;
  /** Default '127.0.0.1'. */
  readonly host?: string;
  /** Default: 'sandbox-' + random. */
  readonly accessKeyId?: string;
  /** Default: 30 random characters. */
  readonly accessKeySecret?: string;
  /** Default 'aliyun'. */
  readonly dialect?: 'aliyun' | 'tuya';
  /** Extra product keys besides the demo product (each with just the `default` module). */
  readonly products?: readonly string[];
  /** Lifetime of a GenerateOTAUploadURL policy; default 60. */
  readonly uploadUrlTtlSeconds?: number;
  /** The policy's content-length-range max; default MAX_FILE_SIZE. */
  readonly maxFileSize?: number;
  /** Token the `/__sandbox/` controls require (at least 32 characters); default: 256 random bits. */
  readonly controlToken?: string;
  /** Devices the sandbox simulates (on the demo product unless given); default bench-01…03 at 1.0.0. */
  readonly devices?: readonly DeviceOption[];
  /** Devices with no simulator: whatever signs in with their credentials takes part. */
  readonly externalDevices?: readonly DeviceOption[];
  /** Where the MQTT broker listens; default '127.0.0.1' (another address exposes it to the network). */
  readonly mqttHost?: string;
  /** Default 0 = a free port. */
  readonly mqttPort?: number;
  /** Pause between a simulated device's progress steps; default 300 ms. */
  readonly deviceStepMs?: number;
  /** Length of a verify job's TimeoutInMinutes minute in ms (tests scale it down); default 60,000. */
  readonly minuteMs?: number;
  /** The account's package limit, beyond which CreateOTAFirmware refuses (tests lower it); default 500. */
  readonly maxPackages?: number;
}

export interface Sandbox {
  /** e.g. 'http://127.0.0.1:PORT'. */
  readonly endpoint: string;
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly dialect: 'aliyun' | 'tuya';
  /** The demo product first. */
  readonly products: readonly string[];
  readonly faults: FaultControl;
  /** What `/__sandbox/` requires in `x-sandbox-token`; never hand it to a web page (nor the app's renderer). */
  readonly controlToken: string;
  /** The device broker, e.g. 'mqtt://127.0.0.1:PORT'. */
  readonly mqtt: string;
  /** Where boards on the lab network download packages (`--mqtt-host` a LAN address), else undefined. */
  readonly downloads?: string;
  /** This run's devices with their DeviceSecrets (demo credentials of this local sandbox only). */
  readonly devices: readonly DeviceCredentials[];
  /** The devices as the verify jobs see them. */
  readonly deviceHub: DevicePort;
  /** Stops the verify jobs, the simulated devices and the broker, then listening; flushes the store. */
  close(): Promise<void>;
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomText(length: number): string {
  return [...randomBytes(length)].map((b) => ALPHANUMERIC[b % ALPHANUMERIC.length]).join('');
}

/** Answers a request refused before routing, draining any body unread. */
function refuse(req: IncomingMessage, res: ServerResponse, status: number, error: string): void {
  req.resume();
  sendJson(res, status, { error });
}

/** The devices, their broker and simulators; device faults of the plan reach the simulators. */
async function startFleet(
  options: SandboxOptions,
  store: SandboxStore,
  products: readonly string[],
  faults: Faults,
): Promise<DeviceFleet> {
  const fleet = await DeviceFleet.start({
    dataDir: options.dataDir,
    defaultProduct: DEMO_PRODUCT_KEY,
    products,
    devices: options.devices,
    externalDevices: options.externalDevices,
    mqttHost: options.mqttHost ?? '127.0.0.1',
    mqttPort: options.mqttPort ?? 0,
    stepMs: options.deviceStepMs ?? DEFAULT_DEVICE_STEP_MS,
    sourceOf: sourceVersionLookup(store),
  });
  const external = fleet
    .credentials()
    .filter((d) => !d.simulated)
    .map((d) => d.deviceName);
  faults.attachDevices({ simulated: fleet.simulatedNames(), external }, (plan) => fleet.applyFaults(plan));
  return fleet;
}

/**
 * Starts the built-in sandbox cloud: the IoT OTA RPC API at `/`, OSS PostObject at `/oss`,
 * and the token-guarded test controls at `/__sandbox/`, on one loopback HTTP server; devices sign in
 * to its MQTT broker (devices/), on a port of its own. Requests whose
 * Host is not this server's own (see request-guard.ts) are refused with 421 on every route.
 */
export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const dialect = options.dialect ?? 'aliyun';
  const host = options.host ?? '127.0.0.1';
  const ttlSeconds = options.uploadUrlTtlSeconds ?? 60;
  const maxFileSize = options.maxFileSize ?? MAX_FILE_SIZE;
  if (!(ttlSeconds > 0)) throw new RangeError('uploadUrlTtlSeconds must be positive.');
  if (!Number.isInteger(maxFileSize) || maxFileSize < 0)
    throw new RangeError('maxFileSize must be a non-negative integer.');
  if (
    options.maxPackages !== undefined &&
    !(Number.isInteger(options.maxPackages) && options.maxPackages >= 0)
  )
    throw new RangeError('maxPackages must be a non-negative integer.');
  const controlToken = options.controlToken ?? newControlToken();
  if (controlToken.length < MIN_CONTROL_TOKEN_LENGTH)
    throw new RangeError(`controlToken must have at least ${MIN_CONTROL_TOKEN_LENGTH} characters.`);
  const credentials = {
    accessKeyId: options.accessKeyId ?? `sandbox-${randomText(12)}`,
    accessKeySecret: options.accessKeySecret ?? randomText(30),
  };
  const store = await SandboxStore.open(options.dataDir);
  const faults = new Faults();
  const products = buildCatalog(options.products ?? []);

  const listening = await listen(options.port ?? 0, host);
  const { server, port } = listening;
  const endpoint = `http://${urlHost(host)}:${port}`;
  // Set once OSS is up: a board on the lab network downloads from there (see download-server.ts).
  let downloads: DownloadServer | undefined;
  const reachableUrl = (url: string): string =>
    downloads && url.startsWith(`${endpoint}/oss/`)
      ? `${downloads.origin}${url.slice(endpoint.length)}`
      : url;
  const fleet = await startFleet(
    options,
    store,
    products.map((p) => p.productKey),
    faults,
  ).catch(async (error: unknown) => {
    await listening.close();
    throw error;
  });
  const ota = await VerifyJobs.open({
    dataDir: options.dataDir,
    store,
    devices: fleet.hub,
    dialect,
    downloadUrl: reachableUrl,
    ...(options.minuteMs === undefined ? {} : { minuteMs: options.minuteMs }),
  }).catch(async (error: unknown) => {
    await fleet.close();
    await listening.close();
    throw error;
  });
  const accepted = acceptedHosts(host, port);

  const oss: OssContext = {
    store,
    faults,
    accessKeyId: `LTAI5tSandbox${randomText(11)}`,
    accessKeySecret: randomText(30),
    bucketUrl: `${endpoint}/oss`,
  };
  const lanHost = options.mqttHost;
  if (lanHost !== undefined && !isLoopbackHost(lanHost) && !isWildcardHost(lanHost)) {
    downloads = await startDownloadServer(lanHost, oss).catch(async (error: unknown) => {
      await ota.close();
      await fleet.close();
      await listening.close();
      throw error;
    });
  }
  const rpc = new RpcHandler(
    {
      dialect,
      endpoint,
      store,
      products,
      oss: { accessKeyId: oss.accessKeyId, accessKeySecret: oss.accessKeySecret, maxFileSize, ttlSeconds },
      devices: fleet.hub,
      ota,
      maxFirmware: options.maxPackages,
    },
    faults,
    credentials,
  );

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!isAddressedTo(req, accepted)) return refuse(req, res, 421, misdirectedMessage(accepted));
    const url = parseRequestUrl(req.url, endpoint);
    if (!url) return refuse(req, res, 400, 'The request URL is malformed (e.g. a bad percent-escape).');
    const path = url.pathname;
    if (path.startsWith('/__sandbox/'))
      return handleControl(req, res, path, { token: controlToken, faults, store });
    if (path === '/oss' || path.startsWith('/oss/')) {
      // parseRequestUrl has checked that the path decodes.
      const key = decodeComponent(path.slice('/oss/'.length)) ?? '';
      if (req.method === 'POST') return handlePostObject(req, res, oss);
      if ((req.method === 'GET' || req.method === 'HEAD') && key) return handleGetObject(req, res, oss, key);
      sendOssError(res, {
        status: 405,
        code: 'MethodNotAllowed',
        message: 'The specified method is not allowed against this resource.',
      });
      return;
    }
    if (path === '/') return rpc.handle(req, res, url);
    sendJson(res, 404, {
      Code: 'InvalidApi.NotFound',
      Message: 'Specified api is not found,please check your url and method.',
    });
  };
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    route(req, res).catch(() => {
      // Never echo internals (they could include request data); the client sees a generic 500.
      if (!res.headersSent)
        sendJson(res, 500, {
          Code: 'InternalError',
          Message: 'The request processing has failed due to some unknown error.',
        });
      else res.destroy();
    });
  });

  let closing: Promise<void> | undefined;
  return {
    endpoint,
    accessKeyId: credentials.accessKeyId,
    accessKeySecret: credentials.accessKeySecret,
    dialect,
    products: products.map((p) => p.productKey),
    faults,
    controlToken,
    mqtt: fleet.mqtt,
    downloads: downloads?.origin,
    devices: fleet.credentials(),
    deviceHub: fleet.hub,
    close() {
      closing ??= (async () => {
        // Jobs, then devices: no timer or report may act on a closed part; and a simulator
        // mid-download must not find the HTTP server gone under it.
        await ota.close();
        await fleet.close();
        await downloads?.close();
        await listening.close();
        await store.flush();
      })();
      return closing;
    },
  };
}
