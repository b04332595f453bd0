import type { CloudTarget } from './target.js';

/**
 * One string per place a publish can go: dialect, endpoint origin, region and instance. Two
 * targets with the same key receive the same requests, so a secret bound to one key may sign for
 * the other.
 */
export function targetKey(target: CloudTarget): string {
  let endpoint = target.endpoint;
  try {
    endpoint = new URL(target.endpoint).origin;
  } catch {
    // Kept as written: an unparsable endpoint only ever equals itself.
  }
  return JSON.stringify([target.dialect, endpoint, target.regionId ?? '', target.instanceId ?? '']);
}

export function sameTarget(a: CloudTarget, b: CloudTarget): boolean {
  return targetKey(a) === targetKey(b);
}

/** "aliyun https://iot.cn-shanghai.aliyuncs.com (cn-shanghai, instance iot-…)", for messages. */
export function describeTarget(target: CloudTarget): string {
  const extra = [target.regionId, target.instanceId && `instance ${target.instanceId}`].filter(Boolean);
  return `${target.dialect} ${target.endpoint}${extra.length > 0 ? ` (${extra.join(', ')})` : ''}`;
}
