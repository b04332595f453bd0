import { IotClient } from '../core/cloud/iot-client.js';
import { KeychainFailure, KeychainUnavailable } from '../core/profiles/keychain-errors.js';
import { ProfileError } from '../core/profiles/profile-errors.js';
import { assertSameTarget, JobHeld } from '../core/publish/job/held.js';
import type { Job } from '../core/publish/job/job.js';
import type { JobConnection } from '../core/publish/outbox/runner.js';
import { credentialsFromEnv } from './target.js';

/**
 * Where `outbox run` sends a job and the client that signs for it. A profile's job is signed for
 * the profile as stored now (read afresh for every job, never cached): when the profile cannot be
 * used or publishes elsewhere than the job was prepared for, the job is held with the reason. A
 * job queued without a profile uses the environment's AccessKey for the target it records.
 */
export async function jobConnection(job: Job, dataDir: string | undefined): Promise<JobConnection> {
  if (job.profile === undefined) {
    return {
      target: job.target,
      client: new IotClient({ target: job.target, credentials: credentialsFromEnv() }),
    };
  }
  // Loaded only when needed: profiles bring the keychain along.
  const { Profiles } = await import('../core/profiles/profiles.js');
  let connection;
  try {
    connection = await new Profiles({ dataDir }).connectionFor(job.profile);
  } catch (error) {
    // As the app does: a profile or keychain that cannot be used holds this job, not the whole run.
    if (error instanceof ProfileError) throw new JobHeld(`Profile.${error.code}`, error.text, error.hint);
    if (error instanceof KeychainUnavailable || error instanceof KeychainFailure) {
      throw new JobHeld('Keychain', error.text, error.hint);
    }
    throw error;
  }
  assertSameTarget(job, connection.target);
  return { target: connection.target, client: new IotClient(connection) };
}
