import { IotClient } from '../cloud/iot-client.js';
import { text } from '../i18n/text.js';
import { assertSameTarget, JobHeld } from '../publish/job/held.js';
import type { Job } from '../publish/job/job.js';
import type { JobConnection } from '../publish/outbox/runner.js';
import { SANDBOX_PROFILE, type BuiltInSandbox } from './builtin-sandbox.js';
import { toIpcError } from './ipc-error.js';
import type { Connection, ProfilesPort } from './profiles-port.js';

/**
 * Target and credentials per profile name: the built-in sandbox's own, or a saved profile's as it
 * is stored now (profiles.json + the keychain, read afresh each time: a secret is only ever used
 * for the target it was entered for).
 */
export class Connections {
  constructor(
    private readonly sandbox: BuiltInSandbox,
    private readonly profiles: ProfilesPort,
  ) {}

  /** Resolves `profile` now (throws the profiles module's user-facing error). */
  resolve(profile: string): Promise<Connection> {
    if (profile === SANDBOX_PROFILE) return Promise.resolve(this.sandbox.connection());
    return this.profiles.connection(profile);
  }

  /**
   * Whether the app's runner works `job`: a built-in-sandbox job while the sandbox runs, a saved
   * profile's job; not a job queued by the CLI with environment credentials the app does not have
   * (`ota-publish outbox run` works those).
   */
  canWork(job: Job): boolean {
    if (job.profile === undefined) return false;
    return job.profile !== SANDBOX_PROFILE || this.sandbox.running !== undefined;
  }

  /**
   * Where the runner sends `job` and with which client. A built-in-sandbox job goes to this run's
   * sandbox (its port changes every run). A saved profile's job is signed for the profile as
   * stored now; a profile that cannot be used, or that now publishes elsewhere than the job was
   * prepared for, holds the job with the reason (JobHeld).
   */
  async connect(job: Job): Promise<JobConnection> {
    const name = job.profile ?? '';
    if (name === SANDBOX_PROFILE) {
      const { target, credentials } = this.sandbox.connection();
      return { target, client: new IotClient({ target, credentials }) };
    }
    let connection: Connection;
    try {
      connection = await this.profiles.connection(name);
    } catch (error) {
      const why = toIpcError(error).message;
      throw new JobHeld(
        'ProfileUnusable',
        text(`Held: profile "${name}" cannot be used: ${why.en}`, `已暂停：配置“${name}”无法使用：${why.zh}`),
        text(
          `Nothing was sent. Fix profile "${name}" (Profiles), then the job goes out by itself.`,
          `未发送任何请求。请修正配置“${name}”（配置页），之后任务会自动发布。`,
        ),
      );
    }
    assertSameTarget(job, connection.target);
    return { target: connection.target, client: new IotClient(connection) };
  }
}
