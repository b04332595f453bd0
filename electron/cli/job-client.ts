import { IotClient } from '../core/cloud/iot-client.js';
import { ProfileError } from '../core/profiles/profile-errors.js';
import { assertSameTarget, JobHeld } from '../core/publish/outbox/held.js';
import type { Job } from '../core/publish/outbox/job.js';
import { credentialsFromEnv } from './target.js';

/**
 * The client `outbox run` works a job with. A profile's job is signed for the profile as stored
 * now (read afresh for every job, never cached): when the profile cannot be used or publishes
 * elsewhere than the job was prepared for, the job is held with the reason. A job queued without
 * a profile uses the environment's AccessKey for the target it records.
 */
export async function jobClient(job: Job, dataDir: string | undefined): Promise<IotClient> {
  if (job.profile === undefined)
    return new IotClient({ target: job.target, credentials: credentialsFromEnv() });
  // Loaded only when needed: profiles bring the keychain along.
  const { Profiles } = await import('../core/profiles/profiles.js');
  let connection;
  try {
    connection = await new Profiles({ dataDir }).connectionFor(job.profile);
  } catch (error) {
    if (!(error instanceof ProfileError)) throw error;
    throw new JobHeld(`Profile.${error.code}`, error.text, error.hint);
  }
  assertSameTarget(job, connection.target);
  return new IotClient(connection);
}
