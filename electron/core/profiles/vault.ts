/**
 * The AccessKey secrets, kept in the OS keychain (macOS Keychain, Windows Credential Manager, a Linux
 * Secret Service) through @napi-rs/keyring. There is deliberately no fallback: without a usable
 * keychain a secret is refused, never written anywhere else.
 */
import { randomBytes } from 'node:crypto';
import { KeychainFailure, KeychainUnavailable, type KeychainStatus } from './keychain-errors.js';

/** The keychain "service" every entry is filed under (Secret Service attribute `service`). */
export const KEYCHAIN_SERVICE = 'OTA Publisher';

/** One keychain entry; the shape of @napi-rs/keyring's AsyncEntry, so tests can pass a fake. */
export interface KeyringEntry {
  setPassword(password: string, signal?: AbortSignal): Promise<void>;
  /** Resolves null when there is no such entry. */
  getPassword(signal?: AbortSignal): Promise<string | null>;
  /** Resolves false when there was nothing to delete. */
  deleteCredential(signal?: AbortSignal): Promise<boolean>;
}

/** Opens the entry for (service, account). May throw when no keychain is reachable. */
export type KeyringFactory = (service: string, account: string) => KeyringEntry;

export interface VaultOptions {
  /** The keychain to use; default: the OS keychain through @napi-rs/keyring, loaded on first use. */
  readonly keyring?: KeyringFactory;
  readonly service?: string;
  readonly platform?: NodeJS.Platform;
  /** How long one keychain call may take (an unlock prompt included). Default 2 minutes. */
  readonly timeoutMs?: number;
}

/** The keychain account of a profile's secret: a new AccessKey ID is a new entry. */
export function accountFor(profileName: string, accessKeyId: string): string {
  return `${profileName}:${accessKeyId}`;
}

/**
 * The OS keychain through @napi-rs/keyring's async API (the sync one would block the Electron main
 * thread during an unlock prompt). On Linux the entry is pinned to the Secret Service: the library's
 * default would fall back to the kernel keyring, which forgets everything at logout.
 */
export async function systemKeyring(platform: NodeJS.Platform = process.platform): Promise<KeyringFactory> {
  let AsyncEntry: typeof import('@napi-rs/keyring').AsyncEntry;
  try {
    ({ AsyncEntry } = await import('@napi-rs/keyring'));
  } catch (error) {
    throw new KeychainUnavailable(platform, `the keyring module could not be loaded: ${messageOf(error)}`);
  }
  const options = platform === 'linux' ? { linux: { store: 'secret-service' as const } } : undefined;
  return (service, account) => new AsyncEntry(service, account, options);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Library messages meaning "no keychain here" (keyring-rs PlatformFailure / NoStorageAccess). */
const UNAVAILABLE =
  /platform failure|platform storage|secure storage|dbus|d-bus|secret service|not available|access ?denied|locked|prompt|aborted|timed? ?out/i;
const DETAIL_MAX = 300;

export class CredentialVault {
  private readonly service: string;
  private readonly platform: NodeJS.Platform;
  private readonly timeoutMs: number;
  private keyring: Promise<KeyringFactory> | undefined;

  constructor(options: VaultOptions = {}) {
    this.service = options.service ?? KEYCHAIN_SERVICE;
    this.platform = options.platform ?? process.platform;
    this.timeoutMs = options.timeoutMs ?? 120_000;
    if (options.keyring) this.keyring = Promise.resolve(options.keyring);
  }

  /**
   * Checks that the keychain can store, return and delete an entry (with a throwaway value).
   * Resolves null when it can, else the reason as a KeychainUnavailable.
   */
  async probe(): Promise<KeychainUnavailable | null> {
    const account = `probe:${randomBytes(6).toString('hex')}`;
    const value = randomBytes(12).toString('hex');
    try {
      await this.call(account, [value], (e, s) => e.setPassword(value, s));
      const back = await this.call(account, [value], (e, s) => e.getPassword(s));
      await this.call(account, [value], (e, s) => e.deleteCredential(s));
      if (back !== value) return new KeychainUnavailable(this.platform, 'a test entry did not read back');
      return null;
    } catch (error) {
      if (error instanceof KeychainUnavailable) return error;
      return new KeychainUnavailable(
        this.platform,
        error instanceof KeychainFailure ? error.detail : 'unknown',
      );
    }
  }

  /** probe() as plain data for the renderer. */
  async status(): Promise<KeychainStatus> {
    const problem = await this.probe();
    return problem ? problem.toStatus() : { available: true };
  }

  /**
   * Stores `secret` under `account` and reads it back. Throws KeychainUnavailable (nothing stored)
   * or KeychainFailure; neither mentions the secret, nor any of `alsoSecret` (a secret inside it).
   */
  async store(account: string, secret: string, alsoSecret: readonly string[] = []): Promise<void> {
    const hidden = [secret, ...alsoSecret];
    await this.call(account, hidden, (e, s) => e.setPassword(secret, s));
    const back = await this.call(account, hidden, (e, s) => e.getPassword(s));
    if (back !== secret) throw new KeychainFailure('the stored secret did not read back unchanged');
  }

  /** The secret under `account`, or null when there is none. */
  async read(account: string): Promise<string | null> {
    return this.call(account, [], (e, s) => e.getPassword(s));
  }

  /** Deletes the entry; false when there was none. */
  async remove(account: string): Promise<boolean> {
    return this.call(account, [], (e, s) => e.deleteCredential(s));
  }

  /** Runs one keychain call with a time limit, turning library errors into typed, secret-free ones. */
  private async call<T>(
    account: string,
    secrets: readonly string[],
    action: (entry: KeyringEntry, signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    try {
      this.keyring ??= systemKeyring(this.platform);
      const factory = await this.keyring.catch((error: unknown) => {
        // A failed load is not cached: the user may fix the keychain and try again without a restart.
        this.keyring = undefined;
        throw error;
      });
      return await action(factory(this.service, account), AbortSignal.timeout(this.timeoutMs));
    } catch (error) {
      if (error instanceof KeychainUnavailable || error instanceof KeychainFailure) throw error;
      const detail = redact(messageOf(error), secrets);
      if (UNAVAILABLE.test(detail)) throw new KeychainUnavailable(this.platform, detail);
      throw new KeychainFailure(detail);
    }
  }
}

/** A library message made safe to show: secrets cut out, length capped. */
function redact(message: string, secrets: readonly string[]): string {
  let out = message;
  for (const s of secrets) if (s) out = out.split(s).join('***');
  return out.length > DETAIL_MAX ? `${out.slice(0, DETAIL_MAX)}…` : out;
}
