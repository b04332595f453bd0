import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';

/** What the sandbox OSS knows about an uploaded object. Digests are lowercase hex. */
export interface ObjectMeta {
  readonly key: string;
  readonly size: number;
  /**
   * The ETag, quotes excluded: 32 uppercase hex. "For an object that is created through the
   * PostObject operation, the ETag value is the object UUID" (OSS API reference), not its MD5.
   */
  readonly etag: string;
  /**
   * MD5, computed only when a CreateOTAFirmware leaves the sign to the cloud (so an upload costs
   * no MD5 here), then kept. Older sandboxes recorded it for every object, and used it as the ETag.
   */
  readonly md5?: string;
  /** CRC-64/XZ as a decimal string (as in `x-oss-hash-crc64ecma`). */
  readonly crc64: string;
  readonly contentType: string;
  /** Epoch ms when the upload completed. */
  readonly uploadedAt: number;
}

export interface MultiFileRecord {
  readonly Name: string;
  readonly Size: number;
  readonly Url: string;
  readonly SignValue: string;
  readonly FileMd5: string;
}

/** A stored OTA package, with the API's own field names so responses are a projection. */
export interface FirmwareRecord {
  readonly FirmwareId: string;
  readonly FirmwareName: string;
  readonly DestVersion: string;
  readonly SrcVersion?: string;
  readonly ProductKey: string;
  readonly ProductName: string;
  readonly ModuleName: string;
  readonly Type: 0 | 1;
  readonly SignMethod: 'MD5' | 'SHA256';
  readonly FirmwareUrl?: string;
  readonly FirmwareSign?: string;
  readonly FirmwareSize?: number;
  readonly FirmwareDesc?: string;
  readonly Udi?: string;
  readonly NeedToVerify: boolean;
  /** -1 no verification needed · 0 unverified · 1 verified · 2 verifying · 3 verification failed. */
  readonly Status: number;
  /** 0–100, following the latest verify job (ota/verdict.ts); absent before the first one. */
  readonly VerifyProgress?: number;
  readonly MultiFiles: readonly MultiFileRecord[];
  readonly UtcCreate: string;
  readonly UtcModified: string;
}

/** An OTA module CreateOTAModule added (the catalog's own are not stored). */
export interface ModuleRecord {
  readonly ProductKey: string;
  readonly ModuleName: string;
  readonly AliasName: string;
  readonly Desc: string;
  readonly GmtCreate: string;
  readonly GmtModified: string;
}

interface StateFile {
  readonly version: 1;
  readonly firmware: readonly FirmwareRecord[];
  readonly objects: readonly ObjectMeta[];
  /** Absent in state written before CreateOTAModule existed. */
  readonly modules?: readonly ModuleRecord[];
}

const STATE_FILE = 'sandbox-state.json';

/**
 * The sandbox's persistent state under `dataDir`: one JSON document (firmware + object
 * metadata) replaced atomically, and object bytes under `objects/`. Mutations update memory
 * at once; `persist()` queues a write so concurrent requests never interleave files.
 */
export class SandboxStore {
  private firmware: FirmwareRecord[];
  private modules: ModuleRecord[];
  private readonly objects: Map<string, ObjectMeta>;
  private writing: Promise<void> = Promise.resolve();
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly dataDir: string,
    state: StateFile,
  ) {
    this.firmware = [...state.firmware];
    this.modules = [...(state.modules ?? [])];
    this.objects = new Map(state.objects.map((o) => [o.key, o]));
  }

  /** Opens (or creates) the store; leftovers of interrupted uploads are removed. */
  static async open(dataDir: string): Promise<SandboxStore> {
    await mkdir(join(dataDir, 'objects'), { recursive: true });
    await rm(join(dataDir, 'tmp'), { recursive: true, force: true });
    await mkdir(join(dataDir, 'tmp'), { recursive: true });
    let state: StateFile = { version: 1, firmware: [], objects: [] };
    try {
      state = JSON.parse(await readFile(join(dataDir, STATE_FILE), 'utf8')) as StateFile;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    // State written by an older sandbox: its ETag was the MD5.
    const objects = state.objects.map((o) => (o.etag ? o : { ...o, etag: (o.md5 ?? '').toUpperCase() }));
    const store = new SandboxStore(dataDir, { ...state, objects });
    await store.removeOrphanObjects();
    return store;
  }

  /** Path for an in-progress upload; renamed into place only when the upload succeeds. */
  tempPath(): string {
    return join(this.dataDir, 'tmp', `${randomBytes(12).toString('hex')}.part`);
  }

  /** Object bytes live under a hash of the key, so no key can escape `objects/`. */
  objectPath(key: string): string {
    return join(this.dataDir, 'objects', createHash('sha256').update(key, 'utf8').digest('hex'));
  }

  getObject(key: string): ObjectMeta | undefined {
    return this.objects.get(key);
  }

  /** MD5 of a stored object's bytes, read from disk the first time it is asked for. */
  async objectMd5(key: string): Promise<string> {
    const meta = this.objects.get(key);
    if (!meta) throw new Error(`No object ${key}`);
    if (meta.md5) return meta.md5;
    const hash = createHash('md5');
    await pipeline(createReadStream(this.objectPath(key)), hash);
    const md5 = hash.digest('hex');
    this.objects.set(key, { ...meta, md5 });
    await this.persist();
    return md5;
  }

  /** Runs `task` after every task queued before it: read-check-write steps never interleave. */
  serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  objectCount(): number {
    return this.objects.size;
  }

  /** Moves a finished temp file into place and records it. */
  async commitObject(tempFile: string, meta: ObjectMeta): Promise<void> {
    await rename(tempFile, this.objectPath(meta.key));
    this.objects.set(meta.key, meta);
    await this.persist();
  }

  listFirmware(): readonly FirmwareRecord[] {
    return this.firmware;
  }

  findFirmware(id: string): FirmwareRecord | undefined {
    return this.firmware.find((f) => f.FirmwareId === id);
  }

  findFirmwareByName(name: string): FirmwareRecord | undefined {
    return this.firmware.find((f) => f.FirmwareName === name);
  }

  async addFirmware(record: FirmwareRecord): Promise<void> {
    this.firmware = [...this.firmware, record];
    await this.persist();
  }

  /** Modules CreateOTAModule added, oldest first. */
  listModules(): readonly ModuleRecord[] {
    return this.modules;
  }

  async addModule(record: ModuleRecord): Promise<void> {
    this.modules = [...this.modules, record];
    await this.persist();
  }

  /** Records what the package's latest verify job says of it; unchanged state is not rewritten. */
  async setVerifyState(id: string, status: number, progress: number, utc: string): Promise<void> {
    const found = this.findFirmware(id);
    if (!found || (found.Status === status && found.VerifyProgress === progress)) return;
    const updated = { ...found, Status: status, VerifyProgress: progress, UtcModified: utc };
    this.firmware = this.firmware.map((f) => (f.FirmwareId === id ? updated : f));
    await this.persist();
  }

  async removeFirmware(id: string): Promise<boolean> {
    const before = this.firmware.length;
    this.firmware = this.firmware.filter((f) => f.FirmwareId !== id);
    if (this.firmware.length === before) return false;
    await this.persist();
    return true;
  }

  /** Waits for queued writes. */
  async flush(): Promise<void> {
    await this.writing;
  }

  private persist(): Promise<void> {
    const next = this.writing.then(() => this.writeState());
    // A failed write must not wedge the queue; the caller of this persist still sees the error.
    this.writing = next.catch(() => undefined);
    return next;
  }

  /** temp file + fsync + rename, so a crash leaves either the old or the new document. */
  private async writeState(): Promise<void> {
    const state: StateFile = {
      version: 1,
      firmware: this.firmware,
      objects: [...this.objects.values()],
      modules: this.modules,
    };
    const target = join(this.dataDir, STATE_FILE);
    const temp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(JSON.stringify(state, null, 2), 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  }

  /** Object files whose metadata never got written (crash between rename and persist). */
  private async removeOrphanObjects(): Promise<void> {
    const known = new Set([...this.objects.keys()].map((k) => this.objectPath(k)));
    for (const name of await readdir(join(this.dataDir, 'objects'))) {
      const path = join(this.dataDir, 'objects', name);
      if (!known.has(path)) await rm(path, { force: true });
    }
  }
}
