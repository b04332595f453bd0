import type { ProfileSummary } from '../contract.js';
import { text } from '../i18n/text.js';
import { SANDBOX_PROFILE, type ProfileView } from '../profiles/profile.js';
import { ALIYUN_REGIONS } from '../cloud/regions.js';
import { targetOf } from '../profiles/profile-target.js';
import type { Profiles } from '../profiles/profiles.js';
import { AppError } from './app-error.js';
import type { ProfilesPort } from './profiles-port.js';

function summary(p: ProfileView): ProfileSummary {
  return {
    name: p.name,
    provider: p.provider,
    accessKeyId: p.accessKeyId,
    regionId: p.regionId,
    instanceId: p.instanceId,
    endpoint: p.endpoint,
    hasSecret: p.hasSecret,
    ...(p.hasSecurityToken ? { hasSecurityToken: true } : {}),
    builtIn: false,
    dialect: p.provider === 'tuya' ? 'tuya' : 'aliyun',
    target: targetOf(p).endpoint,
  };
}

/** The saved profiles (profiles.json + OS keychain) as the app service's port. */
export function profilesPort(profiles: Profiles): ProfilesPort {
  return {
    list: async () => (await profiles.listProfiles()).filter((p) => p.name !== SANDBOX_PROFILE).map(summary),
    regions: () => ALIYUN_REGIONS.map((r) => ({ id: r.id, name: r.name })),
    save: async (input, secret, securityToken) =>
      summary(await profiles.saveProfile(input, secret ?? undefined, securityToken ?? undefined)),
    remove: async (name) => {
      if (!(await profiles.removeProfile(name))) {
        throw new AppError(
          'not-found',
          text(`There is no profile named "${name}".`, `没有名为“${name}”的配置。`),
        );
      }
    },
    connection: (name) => profiles.connectionFor(name),
  };
}
