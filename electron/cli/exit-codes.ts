/** Process exit codes of `ota-publish`; scripts and CI branch on these. */
export const EXIT = {
  ok: 0,
  failed: 1,
  /** Refused before any network traffic: bad flag or value. */
  invalid: 2,
  /** The cloud said no (or what it holds does not match what was sent). */
  rejected: 3,
  /** The cloud could not be reached. */
  unreachable: 4,
  /** Verification on bench devices failed, timed out or was cancelled on at least one device. */
  verificationFailed: 5,
  /** The package was created (FirmwareId printed), but the check afterwards could not run. */
  createdUnchecked: 6,
  /** The data folder cannot be written: full, read-only, over quota or not writable. */
  dataFolder: 7,
  cancelled: 130,
} as const;

/** A command-line mistake, reported with exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
