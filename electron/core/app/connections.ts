import { IotClient } from '../cloud/iot-client.js';
import { text } from '../i18n/text.js';
import { assertSameTarget, JobHeld } from '../publish/outbox/held.js';
import type { Job } from '../publish/outbox/job.js';
import { SANDBOX_PROFILE, type BuiltInSandbox } from './builtin-sandbox.js';
import { toIpcError } from './ipc-error.js';
import type { Connection, ProfilesPort } from './profiles-port.js';

type Resolved =
  { readonly ok: true; readonly connection: Connection } | { readonly ok: false; readonly error: unknown };

/**
 * Target and credentials per profile name: the built-in sandbox's own, or a saved profile's (from
 * the keychain, cached for the run, dropped when the profile is saved or removed). The runner asks
 * synchronously (`clientFor`), so saved profiles are resolved ahead, from `view`.
 */
export class Connections {
  private readonly cache = new Map<string, Resolved>();
  private readonly pending = new Set<string>();

  constructor(
    private readonly sandbox: BuiltInSandbox,
    private readonly profiles: ProfilesPort,
  ) {}

  /** Resolves `profile` now (throws the profiles module's user-facing error). */
  async resolve(profile: string): Promise<Connection> {
    if (profile === SANDBOX_PROFILE) return this.sandbox.connection();
    try {
      const connection = await this.profiles.connection(profile);
      this.cache.set(profile, { ok: true, connection });
      return connection;
    } catch (error) {
      this.cache.set(profile, { ok: false, error });
      throw error;
    }
  }

  forget(profile: string): void {
    this.cache.delete(profile);
  }

  /**
   * How the app's runner sees a journal job: a built-in-sandbox job aims at this run's sandbox; a
   * saved profile's job waits (hidden) until its credentials are resolved; a job without a profile
   * (queued by the CLI with environment credentials) is left for `ota-publish outbox run`.
   */
  view(job: Job): Job | undefined {
    if (job.profile === undefined) return undefined;
    if (job.profile === SANDBOX_PROFILE) {
      const running = this.sandbox.running ? this.sandbox.connection() : undefined;
      return running ? { ...job, target: running.target } : undefined;
    }
    if (this.cache.has(job.profile)) return job;
    if (!this.pending.has(job.profile)) {
      const profile = job.profile;
      this.pending.add(profile);
      void this.resolve(profile)
        .catch(() => undefined)
        .finally(() => this.pending.delete(profile));
    }
    return undefined;
  }

  /**
   * The client for a job the runner is about to work, signed for the profile as it is stored now.
   * A profile that cannot be used, or that now publishes elsewhere than the job was prepared for,
   * holds the job with the reason (JobHeld); the profile is resolved again for the next look.
   */
  clientFor(job: Job): IotClient {
    const name = job.profile ?? '';
    if (name === SANDBOX_PROFILE) {
      const { credentials } = this.sandbox.connection();
      return new IotClient({ target: job.target, credentials });
    }
    const found = this.cache.get(name);
    if (found?.ok) {
      assertSameTarget(job, found.connection.target);
      return new IotClient({ target: found.connection.target, credentials: found.connection.credentials });
    }
    this.cache.delete(name);
    const why = found
      ? toIpcError(found.error).message
      : text(`Profile "${name}" is not available.`, `配置“${name}”不可用。`);
    throw new JobHeld(
      'ProfileUnusable',
      text(`Held: profile "${name}" cannot be used: ${why.en}`, `已暂停：配置“${name}”无法使用：${why.zh}`),
      text(
        `Nothing was sent. Fix profile "${name}" (Profiles), then the job goes out by itself.`,
        `未发送任何请求。请修正配置“${name}”（配置页），之后任务会自动发布。`,
      ),
    );
  }
}
