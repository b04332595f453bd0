/**
 * The non-secret part of the profiles: `<dataDir>/profiles.json`, shared by the app and the CLI and
 * replaced atomically on every change. A guard refuses to write anything that looks like a secret.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../files/atomic-file.js';
import { ProfileError } from './profile-errors.js';
import { PROVIDERS, type Profile } from './profile.js';

export const PROFILES_FILE = 'profiles.json';
const FORMAT_VERSION = 1;

interface ProfilesFile {
  readonly version: number;
  readonly profiles: readonly Profile[];
}

/** Property names that must never reach the file, at any depth. */
const SECRET_KEY = /secret|password|passwd/i;

/**
 * Throws ProfileError('secret-in-data') when `value` has a property named like a secret anywhere.
 * Defence in depth: the store only copies known fields, so this fires only on a programming error.
 */
export function assertNoSecretFields(value: unknown): void {
  if (Array.isArray(value)) {
    for (const item of value) assertNoSecretFields(item);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (SECRET_KEY.test(key)) throw ProfileError.secretInData(key);
      assertNoSecretFields(inner);
    }
  }
}

/** Copies exactly the fields a Profile has, so stray properties (a secret among them) are dropped. */
function pick(p: Profile): Profile {
  const out: Profile = {
    name: p.name,
    provider: p.provider,
    accessKeyId: p.accessKeyId,
    regionId: p.regionId,
    instanceId: p.instanceId,
    endpoint: p.endpoint,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
  };
  return JSON.parse(JSON.stringify(out)) as Profile; // drops undefined fields
}

function isProfile(value: unknown): value is Profile {
  if (value === null || typeof value !== 'object') return false;
  const p = value as Record<string, unknown>;
  return (
    typeof p.name === 'string' &&
    typeof p.accessKeyId === 'string' &&
    PROVIDERS.includes(p.provider as Profile['provider']) &&
    typeof p.createdAt === 'number' &&
    typeof p.updatedAt === 'number' &&
    ['regionId', 'instanceId', 'endpoint'].every((k) => p[k] === undefined || typeof p[k] === 'string')
  );
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
    let raw: string;
    try {
      raw = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw ProfileError.unreadableFile(this.path, (error as Error).message, error);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (error) {
      throw ProfileError.unreadableFile(this.path, 'it is not valid JSON', error);
    }
    const file = parsed as Partial<ProfilesFile> | null;
    if (file?.version !== FORMAT_VERSION || !Array.isArray(file.profiles)) {
      throw ProfileError.unreadableFile(
        this.path,
        `expected {"version": ${FORMAT_VERSION}, "profiles": […]} (written by a newer version?)`,
      );
    }
    const bad = file.profiles.findIndex((p) => !isProfile(p));
    if (bad >= 0) throw ProfileError.unreadableFile(this.path, `entry ${bad + 1} is not a profile`);
    return file.profiles.map(pick);
  }
}
