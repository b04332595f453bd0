/**
 * The bilingual sentences of the pre-flight. Each names the field, what the cloud already holds,
 * and what to do; a refusal also says that nothing was uploaded.
 */
import type { ListedPackage } from './decide.js';
import { text, type Text } from '../../i18n/text.js';
import type { FirmwareSpec } from '../spec.js';

/** The command that deletes a product's oldest packages (`ota-publish packages prune`). */
export function pruneCommand(productKey: string, keep: number | string = 'N'): string {
  return `ota-publish packages prune --product ${productKey} --keep ${keep}`;
}

export function nameTaken(spec: FirmwareSpec, taken: ListedPackage, free: string | undefined): Text {
  const name = spec.firmwareName;
  const id = taken.firmwareId;
  const tryEn = free ? ` Use another name, e.g. "${free}".` : ' Use another name.';
  const tryZh = free ? `请换一个名称，例如“${free}”。` : '请换一个名称。';
  return text(
    `FirmwareName "${name}" is already used by package ${id} (version ${taken.destVersion}) of product ${spec.productKey}; names are unique per account.${tryEn}`,
    `升级包名称“${name}”已被产品 ${spec.productKey} 的升级包 ${id}（版本 ${taken.destVersion}）使用；名称在账号内必须唯一。${tryZh}`,
  );
}

export function moduleMissing(spec: FirmwareSpec, module: string, modules: readonly string[]): Text {
  const known = ['default', ...modules.filter((m) => m !== 'default')].join(', ');
  return text(
    `ModuleName "${module}" does not exist in product ${spec.productKey} (its modules: ${known}). Create it with --create-module, or in the console.`,
    `产品 ${spec.productKey} 中不存在 OTA 模块“${module}”（现有模块：${known}）。请使用 --create-module 创建，或在控制台创建。`,
  );
}

export function moduleCase(spec: FirmwareSpec, module: string, existing: string): Text {
  return text(
    `ModuleName "${module}" does not exist in product ${spec.productKey}, but "${existing}" does; module names are unique ignoring letter case, so it cannot be created. Did you mean "${existing}"?`,
    `产品 ${spec.productKey} 中不存在 OTA 模块“${module}”，但存在“${existing}”；模块名称不区分大小写且必须唯一，因此无法创建。是否应为“${existing}”？`,
  );
}

export function versionPublished(spec: FirmwareSpec, module: string, same: ListedPackage): Text {
  const kindEn = spec.type === 'diff' ? `differential package from ${spec.srcVersion}` : 'full package';
  const kindZh = spec.type === 'diff' ? `从 ${spec.srcVersion} 升级的差分包` : '整包';
  return text(
    `DestVersion "${spec.destVersion}" is already published as a ${kindEn} of module ${module} (package ${same.firmwareId}, "${same.firmwareName}"); devices already on it will not upgrade.`,
    `目标版本“${spec.destVersion}”已作为模块 ${module} 的${kindZh}发布（升级包 ${same.firmwareId}，“${same.firmwareName}”）；已在该版本的设备不会升级。`,
  );
}

export function srcVersionUnknown(spec: FirmwareSpec, module: string): Text {
  return text(
    `SrcVersion "${spec.srcVersion}" matches no package of module ${module} in product ${spec.productKey} (no package has that DestVersion); check that devices really run it.`,
    `源版本“${spec.srcVersion}”与产品 ${spec.productKey} 模块 ${module} 的任何升级包都不对应（没有升级包的目标版本是它）；请确认设备确实运行该版本。`,
  );
}

export function packageLimit(productKey: string, count: number, max: number): Text {
  const prune = pruneCommand(productKey);
  return text(
    `Product ${productKey} has ${count} packages; the cloud holds at most ${max}, so creating another would fail. Delete old packages first, e.g. ${prune} (keeps the N newest).`,
    `产品 ${productKey} 已有 ${count} 个升级包；云端最多保存 ${max} 个，再创建会失败。请先删除旧升级包，例如 ${prune}（保留最新的 N 个）。`,
  );
}

export function packageNearLimit(productKey: string, count: number, max: number): Text {
  const prune = pruneCommand(productKey);
  return text(
    `Product ${productKey} has ${count} of at most ${max} packages; ${max - count} more can be created. Delete old ones in time, e.g. ${prune}.`,
    `产品 ${productKey} 已有 ${count} 个升级包（上限 ${max}）；还可再创建 ${max - count} 个。请及时删除旧升级包，例如 ${prune}。`,
  );
}

/** The headline of a refused pre-flight. */
export const refusedHeadline = text(
  'the pre-flight check refused the publish; nothing was uploaded',
  '发布前检查未通过；未上传任何内容',
);

export function moduleCreated(productKey: string, module: string): Text {
  return text(
    `Created OTA module "${module}" in product ${productKey} (CreateOTAModule).`,
    `已在产品 ${productKey} 中创建 OTA 模块“${module}”（CreateOTAModule）。`,
  );
}
