/** Where requests go and what signs them: the cloud layer's own vocabulary (publish and profiles build on it). */

/** Which flavour of the IoT RPC API the target speaks. */
export type Dialect = 'aliyun' | 'tuya';

/** Where a publish goes. Never holds a secret. */
export interface CloudTarget {
  readonly dialect: Dialect;
  /** e.g. `https://iot.cn-shanghai.aliyuncs.com`, a Tuya `https://si-….tuyacloud.com:8686`, or the sandbox. */
  readonly endpoint: string;
  /** Aliyun dialect only. */
  readonly regionId?: string;
  /** Aliyun dialect only: IotInstanceId of an Enterprise (or new public) instance. */
  readonly instanceId?: string;
}

export interface Credentials {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  /** STS temporary credentials only: the SecurityToken issued with the temporary AccessKey pair. */
  readonly securityToken?: string;
}

const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Whether a URL's `hostname` is this machine (the sandbox): plain http is allowed only there. */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname);
}
