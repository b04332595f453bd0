import type { ProfileInput, ProfileSummary, Region } from '../contract.js';
import type { CloudTarget, Credentials } from '../cloud/target.js';

/** Where a profile publishes and with which AccessKey (the secret stays in the main process). */
export interface Connection {
  readonly target: CloudTarget;
  readonly credentials: Credentials;
}

/**
 * What the app service needs from the saved profiles (electron/core/profiles). The built-in
 * sandbox profile is the service's own and never goes through this port.
 */
export interface ProfilesPort {
  list(): Promise<readonly ProfileSummary[]>;
  regions(): readonly Region[];
  save(input: ProfileInput, secret: string | null, securityToken?: string | null): Promise<ProfileSummary>;
  remove(name: string): Promise<void>;
  /** The target and credentials of a saved profile; throws a user-facing error when it has no secret. */
  connection(name: string): Promise<Connection>;
}
