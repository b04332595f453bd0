import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Settings } from '../contract.js';
import { writeFileAtomic } from '../files/atomic-file.js';
import { array, check, map, object, oneOf, optional, record, str, withDefault } from '../shape/index.js';

export const DEFAULT_SETTINGS: Settings = { locale: 'system', theme: 'system', recentProducts: {} };

/** How many product keys are remembered per profile. */
const RECENT = 10;

/** Read leniently: a value that does not fit falls back to its default, a bad entry is left out. */
const SETTINGS = object<Settings>(
  {
    locale: withDefault(oneOf('system', 'en', 'zh'), 'system'),
    theme: withDefault(oneOf('system', 'light', 'dark'), 'system'),
    lastProfile: optional(str()),
    recentProducts: withDefault(record(map(array(str()), (keys) => keys.slice(0, RECENT))), {}),
  },
  { unknownKeys: 'ignore' },
);

function sanitize(raw: unknown): Settings {
  const checked = check(SETTINGS, raw, { mode: 'lenient' });
  return checked.ok ? checked.value : DEFAULT_SETTINGS;
}

/**
 * The user's settings as JSON in the data directory. A damaged file falls back to defaults (it
 * holds preferences only); every change is written atomically, one write at a time.
 */
export class SettingsStore {
  private current: Settings = DEFAULT_SETTINGS;
  private writing: Promise<void> = Promise.resolve();

  constructor(readonly file: string) {}

  async load(): Promise<Settings> {
    try {
      this.current = sanitize(JSON.parse(await readFile(this.file, 'utf8')));
    } catch {
      this.current = DEFAULT_SETTINGS;
    }
    return this.current;
  }

  get(): Settings {
    return this.current;
  }

  /** Merges `patch` (already shape-checked) and persists; resolves once it is durable. */
  set(patch: Partial<Settings>): Promise<Settings> {
    const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    const next = sanitize({ ...this.current, ...defined });
    this.current = next;
    const write = this.writing.then(async () => {
      await mkdir(dirname(this.file), { recursive: true });
      await writeFileAtomic(this.file, `${JSON.stringify(next, null, 2)}\n`);
    });
    // A failed write must not block later ones; the caller still sees its own failure.
    this.writing = write.catch(() => undefined);
    return write.then(() => next);
  }

  /** Moves `productKey` to the front of the profile's recent list. */
  rememberProduct(profile: string, productKey: string): Promise<Settings> {
    const list = [
      productKey,
      ...(this.current.recentProducts[profile] ?? []).filter((k) => k !== productKey),
    ];
    return this.set({
      lastProfile: profile,
      recentProducts: { ...this.current.recentProducts, [profile]: list.slice(0, RECENT) },
    });
  }
}
