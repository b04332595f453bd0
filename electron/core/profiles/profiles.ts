/**
 * The profiles facade the main process and the CLI use: non-secret JSON in the data directory plus
 * the secret in the OS keychain, and the built-in sandbox whose credentials exist only in memory.
 * Only credentialsFor() ever returns a secret; it is for the main process and the CLI, never IPC.
 */
import { text } from '../i18n/text.js';
import { defaultDataDir } from '../paths.js';
import type { CloudTarget, Credentials, Dialect } from '../cloud/target.js';
import { sameTarget } from '../cloud/target-identity.js';
import { ValidationError } from '../validation-issue.js';
import { bindSecret, boundTo, unbindSecret } from './bound-secret.js';
import type { KeychainStatus } from './keychain-errors.js';
import { ProfileError } from './profile-errors.js';
import { ProfileStore } from './profile-store.js';
import { targetOf } from './profile-target.js';
import {
  normaliseProfileInput,
  validateProfile,
  validateSecret,
  validateSecurityToken,
} from './profile-validation.js';
import { SANDBOX_PROFILE, type Profile, type ProfileInput, type ProfileView } from './profile.js';
import { CredentialVault, accountFor } from './vault.js';

/** The embedded sandbox as started at run time (its credentials are random per run). */
export interface SandboxRuntime {
  readonly endpoint: string;
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly dialect?: Dialect;
}

export interface ProfilesOptions {
  /** Where profiles.json lives; default: the per-user data directory (defaultDataDir()). */
  readonly dataDir?: string;
  /** Default: the OS keychain. Tests pass a vault over a fake keyring. */
  readonly vault?: CredentialVault;
  readonly now?: () => number;
}

export class Profiles {
  readonly store: ProfileStore;
  private readonly vault: CredentialVault;
  private readonly now: () => number;
  private sandbox: { readonly runtime: SandboxRuntime; readonly at: number } | undefined;

  constructor(options: ProfilesOptions = {}) {
    this.store = new ProfileStore(options.dataDir ?? defaultDataDir());
    this.vault = options.vault ?? new CredentialVault();
    this.now = options.now ?? Date.now;
  }

  /**
   * Every profile as the renderer may see it (hasSecret, never the secret), sorted by name; the
   * sandbox comes first while registered. With no usable keychain, hasSecret is false everywhere
   * (keychainStatus() says why).
   */
  async listProfiles(): Promise<ProfileView[]> {
    const saved = await this.store.list();
    const views = await Promise.all(saved.map((p) => this.view(p)));
    views.sort((a, b) => a.name.localeCompare(b.name));
    const sandbox = this.sandboxView();
    return sandbox ? [sandbox, ...views] : views;
  }

  /** One profile as the renderer may see it, or undefined. */
  async getProfile(name: string): Promise<ProfileView | undefined> {
    if (name === SANDBOX_PROFILE) return this.sandboxView();
    const p = await this.store.get(name);
    return p ? this.view(p) : undefined;
  }

  /**
   * Creates or edits the profile named `input.name`. A new profile needs `secret`; on an edit an
   * omitted secret keeps the stored one, unless the AccessKey ID or the target (provider, endpoint,
   * region, instance) changes: a secret is only ever sent where it was entered for.
   * The secret goes to the keychain first: if that fails (KeychainUnavailable / KeychainFailure)
   * nothing is written. Throws ValidationError for rule violations.
   * `securityToken` (STS) is stored with the secret, so it needs one; a new secret without a token
   * drops the old token (it belonged to the old temporary key).
   */
  async saveProfile(raw: ProfileInput, secret?: string, securityToken?: string): Promise<ProfileView> {
    const input = normaliseProfileInput(raw);
    const trimmed = secret?.trim() || undefined;
    const token = securityToken?.trim() || undefined;
    const issues = validateProfile(input);
    const saved = await this.store.list();
    const existing = saved.find((p) => p.name === input.name);
    const clash = saved.find(
      (p) => p.name !== input.name && p.name.toLowerCase() === input.name.toLowerCase(),
    );
    if (clash) {
      issues.push({
        field: 'name',
        rule: 'unique',
        message: text(
          `A profile named "${clash.name}" exists; names differ in more than letter case.`,
          `已有名为“${clash.name}”的配置；名称不能仅有大小写之别。`,
        ),
      });
    }
    const keyChanged = existing !== undefined && existing.accessKeyId !== input.accessKeyId;
    const targetChanged = existing !== undefined && !sameTargetOf(existing, input);
    if (keyChanged && trimmed === undefined) {
      issues.push({
        field: 'secret',
        rule: 'required',
        message: text(
          'A new AccessKey ID needs its AccessKey secret.',
          '更换 AccessKey ID 时必须同时填写对应的 AccessKey Secret。',
        ),
      });
    } else if (targetChanged && trimmed === undefined) {
      issues.push({
        field: 'secret',
        rule: 'required-for-new-target',
        message: text(
          'Changing where the profile publishes (provider, endpoint, region or instance) needs its AccessKey secret again.',
          '更改配置的发布目标（服务商、Endpoint、地域或实例）时，必须重新填写 AccessKey Secret。',
        ),
      });
    } else {
      issues.push(...validateSecret(trimmed, existing === undefined));
    }
    issues.push(...validateSecurityToken(token, trimmed));
    if (issues.length > 0) throw new ValidationError(issues);

    const now = this.now();
    const profile: Profile = { ...input, createdAt: existing?.createdAt ?? now, updatedAt: now };
    const account = accountFor(profile.name, profile.accessKeyId);
    if (trimmed === undefined) {
      await this.store.put(profile);
      return this.view(profile);
    }
    // Kept so a failed file write can put the keychain back as it was.
    const previous = keyChanged || !existing ? null : await this.vault.read(account);
    const hidden = token ? [trimmed, token] : [trimmed];
    await this.vault.store(account, bindSecret(trimmed, targetOf(profile), token), hidden);
    try {
      await this.store.put(profile);
    } catch (error) {
      await (previous !== null ? this.vault.store(account, previous) : this.vault.remove(account)).catch(
        () => undefined,
      );
      throw error;
    }
    if (keyChanged) {
      // The old key's entry is now unreachable; leaving it would keep a secret nobody can see.
      await this.vault.remove(accountFor(existing.name, existing.accessKeyId)).catch(() => undefined);
    }
    return { ...profile, hasSecret: true, ...(token ? { hasSecurityToken: true } : {}) };
  }

  /**
   * Deletes the profile and its keychain entry; false when there is no such profile. The keychain
   * goes first: if it cannot be reached the profile stays, so no orphaned secret is left behind.
   */
  async removeProfile(name: string): Promise<boolean> {
    const existing = await this.store.get(name);
    if (!existing) return false;
    await this.vault.remove(accountFor(existing.name, existing.accessKeyId));
    return this.store.remove(name);
  }

  /**
   * The AccessKey pair of a profile, for the main process and the CLI only (never send it over IPC).
   * Throws ProfileError (not-found, no-secret, sandbox-not-running) or KeychainUnavailable.
   */
  async credentialsFor(name: string): Promise<Credentials> {
    return (await this.connectionFor(name)).credentials;
  }

  /**
   * Where a profile publishes and the AccessKey pair to sign with, read together, for the main
   * process and the CLI only. The secret comes only if it was entered for the profile's current
   * target; otherwise ProfileError target-changed (also not-found, no-secret, sandbox-not-running,
   * invalid) or KeychainUnavailable.
   */
  async connectionFor(name: string): Promise<{ target: CloudTarget; credentials: Credentials }> {
    if (name === SANDBOX_PROFILE) {
      if (!this.sandbox) throw ProfileError.sandboxNotRunning();
      const { accessKeyId, accessKeySecret } = this.sandbox.runtime;
      return { target: await this.targetFor(name), credentials: { accessKeyId, accessKeySecret } };
    }
    const p = await this.store.get(name);
    if (!p) throw ProfileError.notFound(name);
    const target = targetOf(p);
    const account = accountFor(p.name, p.accessKeyId);
    const value = await this.vault.read(account);
    if (value === null) throw ProfileError.noSecret(name);
    const bound = unbindSecret(value);
    if (!boundTo(bound, target)) throw ProfileError.targetChanged(name);
    const { securityToken } = bound;
    if (bound.target === undefined) {
      // Saved before secrets were bound: bind it to the target it has been used with all along.
      await this.vault
        .store(account, bindSecret(bound.secret, target), [bound.secret])
        .catch(() => undefined);
    }
    const pair = { accessKeyId: p.accessKeyId, accessKeySecret: bound.secret };
    return { target, credentials: securityToken ? { ...pair, securityToken } : pair };
  }

  /** Where a profile publishes. Throws ProfileError (not-found, sandbox-not-running). */
  async targetFor(name: string): Promise<CloudTarget> {
    if (name === SANDBOX_PROFILE) {
      const view = this.sandboxView();
      if (!view) throw ProfileError.sandboxNotRunning();
      return targetOf(view, this.sandbox?.runtime.dialect ?? 'aliyun');
    }
    const p = await this.store.get(name);
    if (!p) throw ProfileError.notFound(name);
    return targetOf(p);
  }

  /** Whether secrets can be stored here, and if not why and how to fix it (IPC-safe). */
  keychainStatus(): Promise<KeychainStatus> {
    return this.vault.status();
  }

  /** Makes the built-in `sandbox` profile usable with the embedded sandbox's endpoint and keys. */
  registerSandbox(runtime: SandboxRuntime): void {
    this.sandbox = { runtime, at: this.now() };
  }

  /** The sandbox stopped: the `sandbox` profile disappears until registered again. */
  unregisterSandbox(): void {
    this.sandbox = undefined;
  }

  private sandboxView(): ProfileView | undefined {
    if (!this.sandbox) return undefined;
    const { runtime, at } = this.sandbox;
    return {
      name: SANDBOX_PROFILE,
      provider: 'sandbox',
      accessKeyId: runtime.accessKeyId,
      endpoint: runtime.endpoint,
      createdAt: at,
      updatedAt: at,
      hasSecret: true,
    };
  }

  /** hasSecret: a secret is stored and was entered for where the profile now publishes. */
  private async view(p: Profile): Promise<ProfileView> {
    const value = await this.vault.read(accountFor(p.name, p.accessKeyId)).catch(() => null);
    const target = targetOrUndefined(p);
    const bound = value === null ? undefined : unbindSecret(value);
    const usable = bound !== undefined && target !== undefined && boundTo(bound, target);
    const hasToken = usable && bound.securityToken !== undefined;
    return { ...p, hasSecret: usable, ...(hasToken ? { hasSecurityToken: true } : {}) };
  }
}

function targetOrUndefined(profile: ProfileInput): CloudTarget | undefined {
  try {
    return targetOf({ ...profile, createdAt: 0, updatedAt: 0 });
  } catch {
    return undefined;
  }
}

/** Whether an edit keeps the profile's target; a target that cannot be formed counts as changed. */
function sameTargetOf(before: ProfileInput, after: ProfileInput): boolean {
  const a = targetOrUndefined(before);
  const b = targetOrUndefined(after);
  return a !== undefined && b !== undefined && sameTarget(a, b);
}
