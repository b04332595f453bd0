/** The device topics of Alibaba's IoT platform, and which of them a device may use. */
import type { DeviceRef } from './device-port.js';

export type OtaTopicKind = 'upgrade' | 'progress' | 'inform' | 'request';
const OTA_KINDS: readonly OtaTopicKind[] = ['upgrade', 'progress', 'inform', 'request'];

export function otaTopic(kind: OtaTopicKind, ref: DeviceRef): string {
  return `/ota/device/${kind}/${ref.productKey}/${ref.deviceName}`;
}

/** `/ota/device/{kind}/{PK}/{DN}` → its parts, or undefined for any other topic. */
export function parseOtaTopic(topic: string): { kind: OtaTopicKind; device: DeviceRef } | undefined {
  const match = /^\/ota\/device\/([a-z]+)\/([^/]+)\/([^/]+)$/.exec(topic);
  const kind = match?.[1] as OtaTopicKind | undefined;
  if (!match || !kind || !OTA_KINDS.includes(kind)) return undefined;
  return { kind, device: { productKey: match[2]!, deviceName: match[3]! } };
}

/**
 * Whether a device may publish on, or subscribe to, `topic` (a filter may hold wildcards): only
 * its own OTA topics, and topics under its own `/sys/{PK}/{DN}/`, `/{PK}/{DN}/` (custom topics),
 * `/ext/session/{PK}/{DN}/` and its shadow (the official Node SDK subscribes to those at connect).
 * Prefixes are compared literally, so a wildcard can never stand for another device's PK or DN.
 */
export function mayUseTopic(ref: DeviceRef, topic: string): boolean {
  const { productKey: pk, deviceName: dn } = ref;
  if (OTA_KINDS.some((kind) => topic === otaTopic(kind, ref))) return true;
  if (topic === `/shadow/get/${pk}/${dn}` || topic === `/shadow/update/${pk}/${dn}`) return true;
  const prefixes = [`/sys/${pk}/${dn}/`, `/${pk}/${dn}/`, `/ext/session/${pk}/${dn}/`];
  return prefixes.some((prefix) => topic.startsWith(prefix) && topic.length > prefix.length);
}
