import { integrityError } from '../cloud/errors.js';
import type { DigestAlgorithm } from '../files/digest-protocol.js';
import type { CreateFirmwareRequest, FirmwareInfo, IotClient } from '../cloud/iot-client.js';
import { text } from '../i18n/text.js';
import type { PublishedFile } from './events.js';
import type { FileFingerprint, FirmwareSpec, SignMethod } from './spec.js';

/** The FirmwareSign / SignValue of a file: its digest under the chosen SignMethod. */
export function signOf(file: FileFingerprint, method: SignMethod): string {
  return method === 'SHA256' ? file.sha256 : file.md5;
}

/**
 * The digests an upload computes from the bytes it sends: MD5 (it is MultiFiles.N.FileMd5, the
 * default sign, and what a re-upload is checked against) and SHA-256 (the sign when chosen, and
 * what the publish history records for every file; each digest hashes in its own worker).
 */
export function uploadDigests(_method: SignMethod): DigestAlgorithm[] {
  return ['md5', 'sha256'];
}

/** The CreateOTAFirmware request for a prepared spec and its uploaded files. */
export function createRequest(spec: FirmwareSpec, files: readonly PublishedFile[]): CreateFirmwareRequest {
  return {
    productKey: spec.productKey,
    firmwareName: spec.firmwareName,
    destVersion: spec.destVersion,
    moduleName: spec.moduleName,
    type: spec.type,
    srcVersion: spec.type === 'diff' ? spec.srcVersion : undefined,
    signMethod: spec.signMethod,
    desc: spec.desc,
    udi: spec.udi,
    needToVerify: spec.needToVerify,
    files: files.map((f) => ({ name: f.name, url: f.url, size: f.size, sign: f.sign, md5: f.md5 })),
  };
}

/** What the cloud says it holds for each file, by MultiFiles name (single file: the package itself). */
function heldFiles(info: FirmwareInfo, files: readonly PublishedFile[]) {
  if (files.length === 1 && !info.multiFiles?.length) {
    return [{ name: files[0]!.name, size: info.firmwareSize, sign: info.firmwareSign }];
  }
  return (info.multiFiles ?? []).map((m) => ({ name: m.name, size: m.size, sign: m.signValue }));
}

/** Differences between what the cloud holds and what was computed locally; empty when they agree. */
export function compareHeld(info: FirmwareInfo, files: readonly PublishedFile[]): string[] {
  const held = heldFiles(info, files);
  const problems: string[] = [];
  for (const file of files) {
    const h = held.find((x) => x.name === file.name);
    if (!h) problems.push(`${file.name}: missing in the cloud`);
    else if (h.size !== file.size) problems.push(`${file.name}: size ${h.size ?? '?'} ≠ ${file.size}`);
    else if ((h.sign ?? '').toLowerCase() !== file.sign)
      problems.push(`${file.name}: sign ${h.sign ?? '?'} ≠ ${file.sign}`);
  }
  if (held.length !== files.length)
    problems.push(`the cloud holds ${held.length} file(s), ${files.length} were sent`);
  return problems;
}

/** QueryOTAFirmware and confirm the cloud holds the sizes and signs computed locally. */
export async function verifyFirmware(
  client: IotClient,
  firmwareId: string,
  files: readonly PublishedFile[],
  signal?: AbortSignal,
): Promise<FirmwareInfo> {
  const info = await client.queryOtaFirmware(firmwareId, signal);
  const problems = compareHeld(info, files);
  if (problems.length > 0) {
    throw integrityError(
      'QueryOTAFirmware',
      `${firmwareId}: ${problems.join('; ')}`,
      text(
        `The package ${firmwareId} was created, but the cloud does not hold the size or sign computed on this computer. Do not release it; delete it in the console and publish again.`,
        `升级包 ${firmwareId} 已创建，但云端记录的大小或签名与本机计算的不一致。请勿发布升级任务；请在控制台删除后重新发布。`,
      ),
    );
  }
  return info;
}
