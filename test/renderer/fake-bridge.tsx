/**
 * An in-memory `window.otaPublisher` for component tests: answers every contract method with
 * plausible data, records calls, and lets a test emit events or hold hashing open.
 */
import type {
  Api,
  BenchDevice,
  DeviceList,
  Bridge,
  ConnectionCheck,
  EventName,
  Events,
  IpcError,
  IpcResult,
  JobSummary,
  PickedFile,
  PreloadApi,
  ProfileSummary,
  PublishRequest,
  Settings,
  CheckOnlyResult,
  HistoryList,
  HistoryRecord,
  NameCheck,
  PackageDeleteResult,
  PackageDetail,
  PackageJobRow,
  PackageList,
  PackageRow,
  PreflightReport,
} from '../../electron/core/contract.js';
import type { FileFingerprint } from '../../electron/core/contract.js';

type Handler = (...args: never[]) => unknown;
type Overrides = { [N in keyof Api]?: { [M in keyof Api[N]]?: Handler } };

export interface Call {
  readonly channel: string;
  readonly args: readonly unknown[];
}

export interface FakeBridge extends PreloadApi {
  readonly calls: Call[];
  /** Files the next `files.pick` returns. */
  nextPick: PickedFile[];
  /** When true, `files.hash` waits for `finishHash(hashId)`. */
  holdHashes: boolean;
  finishHash(hashId: string): void;
  emit<E extends EventName>(event: E, payload: Events[E]): void;
  callsOf(channel: string): Call[];
  /** Paths `pathForFile` returns, by File name. */
  dropPaths: Record<string, string>;
}

export const SANDBOX: ProfileSummary = {
  name: 'sandbox',
  provider: 'sandbox',
  accessKeyId: 'sandbox-key',
  endpoint: 'http://127.0.0.1:9',
  hasSecret: true,
  builtIn: true,
  dialect: 'aliyun',
  target: 'http://127.0.0.1:9',
};

export const TUYA: ProfileSummary = {
  name: 'tuya-eu',
  provider: 'tuya',
  accessKeyId: 'tuya-key',
  endpoint: 'https://si-example.tuyacloud.com:8686',
  hasSecret: true,
  builtIn: false,
  dialect: 'tuya',
  target: 'https://si-example.tuyacloud.com:8686',
};

/** The sandbox's bench devices as `cloud.devices` lists them (bench-03 is offline). */
export const BENCH: BenchDevice[] = [
  { name: 'bench-01', status: 'ONLINE', version: '1.0.0' },
  { name: 'bench-02', status: 'ONLINE', version: '1.2.0' },
  { name: 'bench-03', status: 'OFFLINE', version: '1.0.0' },
];

/** A deterministic fake digest of a path, so assertions can name it. */
export function fakeMd5(path: string): string {
  return [...path]
    .reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7)
    .toString(16)
    .padStart(32, '0');
}

export function fakeSha256(path: string): string {
  return fakeMd5(path).repeat(2);
}

const VERIFIED = { en: 'verified', zh: '已验证' };

/** The packages `packages.list` answers; fw-busy has an unfinished verify job. */
export const PACKAGES: readonly PackageRow[] = [
  {
    firmwareId: 'fw-new',
    firmwareName: 'app-1_2_0',
    destVersion: '1.2.0',
    moduleName: 'app',
    type: 'full',
    status: 1,
    statusText: VERIFIED,
    utcCreate: '2026-11-30T10:00:00.000Z',
  },
  {
    firmwareId: 'fw-busy',
    firmwareName: 'app-1_1_0',
    destVersion: '1.1.0',
    moduleName: 'app',
    type: 'full',
    status: 2,
    statusText: { en: 'verifying', zh: '验证中' },
    utcCreate: '2026-11-20T10:00:00.000Z',
  },
  {
    firmwareId: 'fw-old',
    firmwareName: 'x-1_0_0',
    destVersion: '1.0.0',
    moduleName: 'default',
    type: 'full',
    status: 1,
    statusText: VERIFIED,
    utcCreate: '2026-11-01T10:00:00.000Z',
  },
];

export const BUSY_JOB: PackageJobRow = {
  jobId: 'job-verify-9',
  jobType: 'verify',
  jobStatus: 'IN_PROGRESS',
  unfinished: true,
};

/** FirmwareNames the fake cloud already has. */
export const TAKEN_NAMES = ['app-1_2_0', 'taken-name'];

export const HISTORY: readonly HistoryRecord[] = [
  {
    key: 'j2:publish',
    event: 'publish',
    at: '2026-11-30T10:00:00.000Z',
    user: 'ada',
    profile: 'sandbox',
    cloud: {
      dialect: 'aliyun',
      endpoint: 'http://127.0.0.1:9',
      regionId: 'cn-shanghai',
      instanceId: null,
      sandbox: true,
    },
    outboxJobId: 'j2',
    verify: null,
    productKey: 'a1SandboxPK',
    firmwareName: 'app-1_2_0',
    destVersion: '1.2.0',
    srcVersion: null,
    moduleName: 'app',
    type: 'full',
    signMethod: 'MD5',
    firmwareId: 'fw-new',
    files: [{ name: 'app.bin', size: 2048, md5: fakeMd5('a'), sha256: fakeSha256('a') }],
  },
  {
    key: 'j1:verify',
    event: 'verification',
    at: '2026-11-29T09:00:00.000Z',
    user: 'ada',
    profile: 'live-cn',
    cloud: {
      dialect: 'aliyun',
      endpoint: 'https://iot.cn-shanghai.aliyuncs.com',
      regionId: 'cn-shanghai',
      instanceId: null,
      sandbox: false,
    },
    outboxJobId: 'j1',
    verify: { jobId: 'v1', result: 'failed', devices: [{ name: 'bench-01', status: 'FAILED' }] },
    productKey: 'a1SandboxPK',
    firmwareName: 'x-1_0_0',
    destVersion: '1.0.0',
    srcVersion: null,
    moduleName: null,
    type: 'full',
    signMethod: 'MD5',
    firmwareId: 'fw-old',
    files: [],
  },
];

export function job(patch: Partial<JobSummary> = {}): JobSummary {
  return {
    id: 'job-1',
    name: 'app-1_2_0',
    productKey: 'a1SandboxPK',
    version: '1.2.0',
    profile: 'sandbox',
    state: 'running',
    step: null,
    firmwareId: null,
    error: null,
    files: [{ name: 'app.bin', size: 2048, md5: fakeMd5('/fw/app.bin'), sha256: fakeSha256('/fw/app.bin') }],
    result: null,
    verifyOn: null,
    verify: null,
    needToVerify: false,
    moduleName: 'default',
    packageType: 'full',
    sandbox: true,
    waiting: null,
    nextAttemptAt: null,
    pendingRequest: null,
    createdAt: 1,
    updatedAt: 1,
    ...patch,
  };
}

/** Builds the fake; `overrides` replace single methods (return a value or throw an IpcError-like). */
export function fakeBridge(
  options: { overrides?: Overrides; settings?: Partial<Settings>; online?: boolean } = {},
): FakeBridge {
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  const pendingHashes = new Map<string, () => void>();
  let settings: Settings = { locale: 'en', theme: 'system', recentProducts: {}, ...options.settings };
  let profiles: ProfileSummary[] = [SANDBOX, TUYA];
  let packages: PackageRow[] = [...PACKAGES];

  const defaults: { [N in keyof Api]: { [M in keyof Api[N]]: Handler } } = {
    app: {
      info: () => ({
        version: '0.0.0',
        platform: 'linux',
        systemLocale: 'en-US',
        online: options.online ?? true,
      }),
    },
    settings: {
      get: () => settings,
      set: (patch: Partial<Settings>) => (settings = { ...settings, ...patch }),
    },
    profiles: {
      list: () => profiles,
      regions: () => [{ id: 'cn-shanghai', name: { en: 'China (Shanghai)', zh: '华东2（上海）' } }],
      save: (input: ProfileSummary, secret: string | null) => {
        const saved: ProfileSummary = {
          ...input,
          hasSecret: secret !== null,
          builtIn: false,
          dialect: input.provider === 'tuya' ? 'tuya' : 'aliyun',
          target: input.endpoint ?? `https://iot.${input.regionId ?? 'cn-shanghai'}.aliyuncs.com`,
        };
        profiles = [...profiles.filter((p) => p.name !== input.name), saved];
        return saved;
      },
      remove: (name: string) => {
        profiles = profiles.filter((p) => p.name !== name);
      },
      test: (): ConnectionCheck => ({
        ok: true,
        message: { en: 'Connected to the cloud.', zh: '已连接云端。' },
        requestId: 'REQ-TEST',
      }),
      usage: (): JobSummary[] => [],
    },
    files: {
      pick: () => bridge.nextPick,
      saveRecipe: () => '/work/fw.otapub',
      stat: (paths: string[]) =>
        paths.map((path) => ({ path, name: path.split('/').pop() ?? path, size: 1024 })),
      hash: async (hashId: string, paths: string[]) => {
        if (bridge.holdHashes) await new Promise<void>((resolve) => pendingHashes.set(hashId, resolve));
        return paths.map((path): FileFingerprint => ({
          path,
          name: path.split('/').pop() ?? path,
          size: bridge.nextPick.find((p) => p.path === path)?.size ?? 1024,
          mtimeMs: 0,
          md5: fakeMd5(path),
          sha256: fakeSha256(path),
        }));
      },
      cancelHash: () => undefined,
    },
    spec: { validate: () => [] },
    cloud: {
      products: () => ['a1SandboxPK', 'a1OtherPK01'],
      modules: () => [{ moduleName: 'default' }, { moduleName: 'app', aliasName: 'Application' }],
      versions: () => [
        { firmwareId: 'f-1', firmwareName: 'app-1_0_0', destVersion: '1.0.0', moduleName: 'app' },
        { firmwareId: 'f-2', firmwareName: 'x-1_1_0', destVersion: '1.1.0', moduleName: 'default' },
      ],
      devices: (): DeviceList => ({ devices: BENCH, total: BENCH.length }),
    },
    publish: {
      now: (request: PublishRequest) =>
        job({ name: request.spec.firmwareName, version: request.spec.destVersion }),
      queue: (request: PublishRequest) =>
        job({ name: request.spec.firmwareName, version: request.spec.destVersion, state: 'queued' }),
    },
    outbox: {
      list: () => [],
      retry: (id: string) => job({ id, state: 'queued' }),
      cancel: (id: string) => job({ id, state: 'cancelled' }),
      move: (id: string, profile: string) => job({ id, state: 'queued', profile }),
      verify: (id: string, devices: string[]) =>
        job({
          id,
          state: 'published',
          firmwareId: 'fw-1',
          updatedAt: 50,
          verify: {
            jobId: 'v-1',
            state: 'starting',
            devices: devices.map((name) => ({ name, state: 'QUEUED', progress: 0 })),
          },
        }),
      damaged: () => [],
    },
    packages: {
      list: (_profile: string, _productKey: string, moduleName: string | null): PackageList => {
        const rows = packages.filter((p) => moduleName === null || p.moduleName === moduleName);
        return { rows, count: packages.length + 420, limit: 500, warnFrom: 450 };
      },
      show: (_profile: string, firmwareId: string): PackageDetail => {
        const row = packages.find((p) => p.firmwareId === firmwareId)!;
        return {
          ...row,
          productKey: 'a1SandboxPK',
          files: [{ name: `${row.firmwareName}.bin`, size: 2048, sign: fakeMd5(row.firmwareName) }],
          jobs: row.firmwareId === 'fw-busy' ? [BUSY_JOB] : [],
        };
      },
      remove: (_profile: string, firmwareId: string): PackageDeleteResult => {
        if (firmwareId === 'fw-busy') {
          return {
            outcome: 'in-use',
            firmwareId,
            jobIds: [BUSY_JOB.jobId],
            message: {
              en: `Not deleted: the package has an unfinished OTA job (${BUSY_JOB.jobId}).`,
              zh: `未删除：该升级包有未结束的 OTA 任务（${BUSY_JOB.jobId}）。`,
            },
          };
        }
        packages = packages.filter((p) => p.firmwareId !== firmwareId);
        return { outcome: 'deleted', firmwareId };
      },
    },
    history: {
      list: (): HistoryList => ({ records: HISTORY, skipped: 0 }),
      exportCsv: () => '/home/user/ota-publisher-history.csv',
    },
    preflight: {
      checkName: (_profile: string, _productKey: string, name: string): NameCheck =>
        TAKEN_NAMES.includes(name)
          ? {
              state: 'taken',
              message: { en: `FirmwareName "${name}" is taken.`, zh: `FirmwareName“${name}”已被使用。` },
              suggestion: `${name}-2`,
            }
          : { state: 'free' },
      check: (): PreflightReport => ({ state: 'checked', refusals: [], warnings: [], missingModule: null }),
      createModule: () => undefined,
      checkOnly: (request: PublishRequest): CheckOnlyResult => ({
        issues: [],
        preflight: { state: 'checked', refusals: [], warnings: [], missingModule: null },
        plan: {
          productKey: request.spec.productKey,
          firmwareName: request.spec.firmwareName,
          destVersion: request.spec.destVersion,
          endpoint: 'http://127.0.0.1:9',
          refusals: [],
          warnings: [],
          calls: [
            { action: 'GenerateOTAUploadURL', write: true, params: { FileSuffix: 'bin' } },
            {
              action: 'CreateOTAFirmware',
              write: true,
              params: { FirmwareName: request.spec.firmwareName, DestVersion: request.spec.destVersion },
            },
            {
              action: 'QueryOTAFirmware',
              write: false,
              params: { FirmwareId: '<FirmwareId from CreateOTAFirmware>' },
            },
          ],
        },
      }),
    },
  };

  const api: Record<string, Record<string, (...args: unknown[]) => Promise<IpcResult<unknown>>>> = {};
  for (const [ns, methods] of Object.entries(defaults)) {
    api[ns] = {};
    for (const [method, fallback] of Object.entries(methods as Record<string, Handler>)) {
      api[ns][method] = async (...args: unknown[]) => {
        bridge.calls.push({ channel: `${ns}.${method}`, args });
        const override = (
          options.overrides as Record<string, Record<string, Handler> | undefined> | undefined
        )?.[ns]?.[method];
        try {
          const value = await (override ?? fallback)(...(args as never[]));
          return { ok: true, value };
        } catch (e) {
          return { ok: false, error: e as IpcError };
        }
      };
    }
  }

  const bridge: FakeBridge = {
    api: api as unknown as Bridge,
    calls: [],
    nextPick: [],
    holdHashes: false,
    dropPaths: {},
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as (payload: never) => void);
      return () => set.delete(listener as (payload: never) => void);
    },
    pathForFile: (file) => bridge.dropPaths[file.name] ?? '',
    finishHash(hashId) {
      pendingHashes.get(hashId)?.();
      pendingHashes.delete(hashId);
    },
    emit(event, payload) {
      for (const l of listeners.get(event) ?? []) (l as (p: typeof payload) => void)(payload);
    },
    callsOf: (channel) => bridge.calls.filter((c) => c.channel === channel),
  };
  return bridge;
}
