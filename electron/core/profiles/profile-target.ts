/** Where a profile publishes to. Kept apart from profile.ts, which the renderer imports. */
import { aliyunEndpoint } from '../cloud/iot-client.js';
import type { CloudTarget, Dialect } from '../cloud/target.js';
import { ProfileError } from './profile-errors.js';
import type { Profile } from './profile.js';

/**
 * The CloudTarget a profile describes. Alibaba Cloud uses its endpoint override or
 * iot.<region>.aliyuncs.com; Tuya its endpoint; the sandbox the endpoint it runs on (given at run
 * time, in `sandboxDialect`). Throws ProfileError when the sandbox has no endpoint yet.
 */
export function targetOf(profile: Profile, sandboxDialect: Dialect = 'aliyun'): CloudTarget {
  switch (profile.provider) {
    case 'aliyun': {
      // validateProfile allows a missing region only with an endpoint override (e.g. a proxy).
      const regionId = profile.regionId ?? 'cn-shanghai';
      return {
        dialect: 'aliyun',
        endpoint: profile.endpoint ?? aliyunEndpoint(regionId),
        regionId,
        instanceId: profile.instanceId,
      };
    }
    case 'tuya':
      if (!profile.endpoint) throw ProfileError.invalid(profile.name, 'endpoint');
      return { dialect: 'tuya', endpoint: profile.endpoint };
    case 'sandbox':
      if (!profile.endpoint) throw ProfileError.sandboxNotRunning();
      return {
        dialect: sandboxDialect,
        endpoint: profile.endpoint,
        regionId: sandboxDialect === 'aliyun' ? 'cn-shanghai' : undefined,
      };
    default:
      return assertNever(profile.provider);
  }
}

function assertNever(value: never): never {
  throw new Error(`Unknown provider ${String(value)}`);
}
