/**
 * Cloud profiles: where to publish and with which AccessKey ID. Pure data (no node: imports); the
 * regions are cloud/regions.ts. The AccessKey secret is never part of a profile: it lives in the OS
 * keychain (see vault.ts).
 */

export type Provider = 'aliyun' | 'tuya' | 'sandbox';

export const PROVIDERS: readonly Provider[] = ['aliyun', 'tuya', 'sandbox'];

/** The name of the built-in sandbox profile; reserved, users cannot save a profile under it. */
export const SANDBOX_PROFILE = 'sandbox';

/** What a user submits to create or edit a profile (timestamps are the store's business). */
export interface ProfileInput {
  readonly name: string;
  readonly provider: Provider;
  readonly accessKeyId: string;
  /** Alibaba Cloud only: one of ALIYUN_REGIONS. */
  readonly regionId?: string;
  /** Alibaba Cloud only: IotInstanceId of an Enterprise (or new public) instance. */
  readonly instanceId?: string;
  /** Tuya: required. Alibaba Cloud: optional override of iot.<region>.aliyuncs.com. Sandbox: set at run time. */
  readonly endpoint?: string;
}

/** A saved cloud target. Never holds a secret. */
export interface Profile extends ProfileInput {
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** What the renderer may see: the profile plus whether a secret is stored (never the secret). */
export interface ProfileView extends Profile {
  readonly hasSecret: boolean;
  /** Whether an STS SecurityToken is stored with the secret (never the token). */
  readonly hasSecurityToken?: boolean;
}
