/** The argument checks of every request in the contract; the table is as complete as CONTRACT. */
import type { Api, Namespace, ProfileInput, PublishRequest, Settings } from '../contract.js';
import type { FirmwareSpec } from '../publish/spec.js';
import { text } from '../i18n/text.js';
import { AppError } from './app-error.js';
import { array, bool, nullable, object, oneOf, optional, record, str, type Checker } from '../shape/index.js';
import { absolutePath, checkArgument } from './checkers.js';

type Params<F> = F extends (...args: infer P) => unknown ? P : never;

/** For each method: turns the raw IPC arguments into typed ones, or throws AppError. */
export type ArgChecks = {
  readonly [N in Namespace]: {
    readonly [M in keyof Api[N]]: (args: readonly unknown[]) => Readonly<Params<Api[N][M]>>;
  };
};

const name = str(256);
const id = str(128);
const paths = array(absolutePath, 100);

const spec: Checker<FirmwareSpec> = object<FirmwareSpec>({
  productKey: str(256),
  firmwareName: str(1024),
  destVersion: str(1024),
  moduleName: optional(str(1024)),
  type: oneOf('full', 'diff'),
  srcVersion: optional(str(1024)),
  signMethod: oneOf('MD5', 'SHA256'),
  desc: optional(str(10_000)),
  udi: optional(str(65_536)),
  needToVerify: optional(bool),
  files: array(object({ path: absolutePath, name: optional(str(1024)) }), 100),
});

/** Device names are checked by the verification's rules; this bounds what crosses the bridge. */
const devices = array(str(64), 10);

const publishRequest = object<PublishRequest>({
  profile: name,
  spec,
  hashId: optional(id),
  verifyOn: optional(devices),
});

const profileInput = object<ProfileInput>({
  name,
  provider: oneOf('aliyun', 'tuya', 'sandbox'),
  accessKeyId: str(256),
  regionId: optional(str(64)),
  instanceId: optional(str(256)),
  endpoint: optional(str(2048)),
});

const settingsPatch = object<Partial<Settings>>({
  locale: optional(oneOf('system', 'en', 'zh')),
  theme: optional(oneOf('system', 'light', 'dark')),
  lastProfile: optional(name),
  recentProducts: optional(record(array(str(256), 50), 100)),
});

/** Builds a check for a fixed argument list. */
function args<const T extends readonly unknown[]>(...checks: { readonly [K in keyof T]: Checker<T[K]> }) {
  return (raw: readonly unknown[]): T => {
    if (raw.length !== checks.length) {
      throw new AppError(
        'invalid-argument',
        text(
          `Invalid request: expected ${checks.length} argument(s), got ${raw.length}.`,
          `请求无效：应有 ${checks.length} 个参数，实际 ${raw.length} 个。`,
        ),
      );
    }
    return checks.map((check, i) => checkArgument(check, raw[i], `argument ${i + 1}`)) as unknown as T;
  };
}

export const ARG_CHECKS: ArgChecks = {
  app: { info: args() },
  settings: { get: args(), set: args(settingsPatch) },
  profiles: {
    list: args(),
    regions: args(),
    save: args(profileInput, nullable(str(1024)), nullable(str(16_384))),
    remove: args(name),
    test: args(profileInput, nullable(str(1024)), nullable(str(16_384))),
    usage: args(name),
  },
  files: {
    pick: args(),
    stat: args(paths),
    hash: args(id, paths),
    cancelHash: args(id),
    saveRecipe: args(spec, nullable(name), nullable(devices)),
  },
  spec: { validate: args(spec, oneOf('aliyun', 'tuya')) },
  cloud: {
    products: args(name),
    modules: args(name, str(256)),
    versions: args(name, str(256)),
    devices: args(name, str(256), nullable(str(1024))),
  },
  publish: { now: args(publishRequest), queue: args(publishRequest) },
  outbox: {
    list: args(),
    retry: args(id),
    cancel: args(id),
    verify: args(id, devices),
    move: args(id, name),
    damaged: args(),
  },
  packages: {
    list: args(name, str(256), nullable(str(1024))),
    show: args(name, id),
    remove: args(name, id),
  },
  history: { list: args(), exportCsv: args() },
  preflight: {
    checkName: args(name, str(256), str(1024)),
    check: args(name, spec),
    createModule: args(name, str(256), str(1024)),
    checkOnly: args(publishRequest),
  },
};
