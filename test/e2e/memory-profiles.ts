import type { ProfileInput, ProfileSummary } from '../../electron/core/contract.js';
import type { Connection, ProfilesPort } from '../../electron/core/app/profiles-port.js';
import { ALIYUN_REGIONS } from '../../electron/core/cloud/regions.js';
import { targetOf } from '../../electron/core/profiles/profile-target.js';

interface Saved {
  readonly input: ProfileInput;
  readonly secret: string | null;
}

/**
 * Saved profiles for the e2e host, in memory: the keychain is the shell's business, the renderer
 * only needs the same port the app service uses. Secrets stay here and never reach the page.
 */
export class MemoryProfiles implements ProfilesPort {
  private readonly saved = new Map<string, Saved>();

  constructor(initial: readonly Saved[] = []) {
    for (const s of initial) this.saved.set(s.input.name, s);
  }

  async list(): Promise<readonly ProfileSummary[]> {
    return [...this.saved.values()].map(({ input, secret }) => ({
      ...input,
      hasSecret: secret !== null,
      builtIn: false,
      dialect: input.provider === 'tuya' ? 'tuya' : 'aliyun',
      target: targetOf({ ...input, createdAt: 0, updatedAt: 0 }).endpoint,
    }));
  }

  regions() {
    return ALIYUN_REGIONS.map((r) => ({ id: r.id, name: r.name }));
  }

  async save(input: ProfileInput, secret: string | null): Promise<ProfileSummary> {
    const kept = secret ?? this.saved.get(input.name)?.secret ?? null;
    this.saved.set(input.name, { input, secret: kept });
    const summary = (await this.list()).find((p) => p.name === input.name);
    if (!summary) throw new Error('saved profile vanished');
    return summary;
  }

  async remove(name: string): Promise<void> {
    this.saved.delete(name);
  }

  async connection(name: string): Promise<Connection> {
    const found = this.saved.get(name);
    if (!found?.secret) throw new Error(`Profile ${name} has no secret.`);
    const { input } = found;
    const dialect = input.provider === 'tuya' ? 'tuya' : 'aliyun';
    return {
      target: {
        dialect,
        endpoint: input.endpoint ?? `https://iot.${input.regionId ?? 'cn-shanghai'}.aliyuncs.com`,
        regionId: dialect === 'aliyun' ? (input.regionId ?? 'cn-shanghai') : undefined,
        instanceId: input.instanceId,
      },
      credentials: { accessKeyId: input.accessKeyId, accessKeySecret: found.secret },
    };
  }
}
