/**
 * The non-secret part of the profiles: `<dataDir>/profiles.json`, shared by the app and the CLI and
 * replaced atomically on every change. A guard refuses to write anything that looks like a secret.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../files/atomic-file.js';
import {
  anything,
  array,
  check,
  number,
  object,
  oneOf,
  optional,
  str,
  withoutKeys,
  type Shape,
} from '../shape/index.js';
import { ProfileError } from './profile-errors.js';
import { PROVIDERS, type Profile } from './profile.js';

export const PROFILES_FILE = 'profiles.json';
const FORMAT_VERSION = 1;

interface ProfilesFile {
  readonly version: number;
  readonly profiles: readonly Profile[];
}

/** Property names that must never reach the file, at any depth. */
const NO_SECRETS = withoutKeys(/secret|password|passwd|token/i, 'absent (named like a secret)');

/**
 * Throws ProfileError('secret-in-data') when `value` has a property named like a secret anywhere.
 * Defence in depth: the store only copies known fields, so this fires only on a programming error.
 */
export function assertNoSecretFields(value: unknown): void {
  const checked = check(NO_SECRETS, value);
  // withoutKeys names the key it refused in every problem.
  if (!checked.ok) throw ProfileError.secretInData(checked.problems[0]!.key!);
}

const PROFILE_FIELDS: Shape<Profile> = {
  name: str(),
  provider: oneOf(...PROVIDERS),
  accessKeyId: str(),
  regionId: optional(str()),
  instanceId: optional(str()),
  endpoint: optional(str()),
  createdAt: number,
  updatedAt: number,
};

/** A saved profile as read back: only the known fields are kept. */
const PROFILE = object(PROFILE_FIELDS, { unknownKeys: 'ignore' });

/** The file around the profiles; each profile is checked on its own, to name the entry that is not one. */
const PROFILES_FILE_SHAPE = object(
  { version: oneOf(FORMAT_VERSION), profiles: array(anything) },
  { unknownKeys: 'ignore' },
);

/** Copies exactly the fields a Profile has, so stray properties (a secret among them) are dropped. */
function pick(p: Profile): Profile {
  const known = Object.keys(PROFILE_FIELDS).flatMap((key) => {
    const value = p[key as keyof Profile];
    return value === undefined ? [] : [[key, value] as const];
  });
  return Object.fromEntries(known) as unknown as Profile;
}

export class ProfileStore {
  readonly path: string;
  private readonly dataDir: string;
  /** Read-modify-write cycles of this process run one at a time. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(dataDir: string) {
    this.dataDir = dataDir;
    this.path = join(dataDir, PROFILES_FILE);
  }

  /** Every saved profile, in the order they were added. */
  async list(): Promise<Profile[]> {
    return [...(await this.read())];
  }

  /** The profile named exactly `name`. */
  async get(name: string): Promise<Profile | undefined> {
    return (await this.read()).find((p) => p.name === name);
  }

  /** Adds `profile`, or replaces the one with its name. Only the known Profile fields are written. */
  async put(profile: Profile): Promise<void> {
    await this.change((profiles) => {
      const i = profiles.findIndex((p) => p.name === profile.name);
      const next = [...profiles];
      if (i >= 0) next[i] = pick(profile);
      else next.push(pick(profile));
      return next;
    });
  }

  /** Deletes the profile; false when there was none. */
  async remove(name: string): Promise<boolean> {
    let found = false;
    await this.change((profiles) => {
      found = profiles.some((p) => p.name === name);
      return profiles.filter((p) => p.name !== name);
    });
    return found;
  }

  private change(edit: (profiles: readonly Profile[]) => readonly Profile[]): Promise<void> {
    const run = this.queue.then(async () => {
      const next: ProfilesFile = { version: FORMAT_VERSION, profiles: edit(await this.read()).map(pick) };
      assertNoSecretFields(next);
      await mkdir(this.dataDir, { recursive: true, mode: 0o700 });
      await writeFileAtomic(this.path, `${JSON.stringify(next, null, 2)}\n`);
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async read(): Promise<readonly Profile[]> {
    const file = check(PROFILES_FILE_SHAPE, await this.readJson());
    if (!file.ok) {
      throw ProfileError.unreadableFile(
        this.path,
        `expected {"version": ${FORMAT_VERSION}, "profiles": […]} (written by a newer version?)`,
      );
    }
    return file.value.profiles.map((entry, i) => {
      const profile = check(PROFILE, entry);
      if (!profile.ok) throw ProfileError.unreadableFile(this.path, `entry ${i + 1} is not a profile`);
      return profile.value;
    });
  }

  /** The file's JSON value; a missing file is an empty one. */
  private async readJson(): Promise<unknown> {
    let raw: string;
    try {
      raw = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        return { version: FORMAT_VERSION, profiles: [] };
      throw ProfileError.unreadableFile(this.path, (error as Error).message, error);
    }
    try {
      return JSON.parse(raw);
    } catch (error) {
      throw ProfileError.unreadableFile(this.path, 'it is not valid JSON', error);
    }
  }
}
