import { CloudError } from '../../cloud/errors.js';
import type { IotClient } from '../../cloud/iot-client.js';
import { text } from '../../i18n/text.js';
import { compareHeld } from '../create-firmware.js';
import type { PublishedFile } from '../events.js';
import type { FirmwareSpec } from '../spec.js';

const PAGE_SIZE = 100;

/**
 * After a CreateOTAFirmware whose outcome is unknown: finds the package by name (ListOTAFirmware
 * filtered by product and version, then QueryOTAFirmware). Returns its FirmwareId when it holds
 * exactly our files, undefined when no such package exists, and throws when the name belongs to
 * a different package.
 */
export async function findPublished(
  client: IotClient,
  spec: FirmwareSpec,
  files: readonly PublishedFile[],
  signal?: AbortSignal,
): Promise<string | undefined> {
  for (let page = 1; ; page++) {
    const result = await client.listOtaFirmware(
      { productKey: spec.productKey, destVersion: spec.destVersion, currentPage: page, pageSize: PAGE_SIZE },
      signal,
    );
    const match = result.items.find((f) => f.firmwareName === spec.firmwareName);
    if (match) {
      const info = await client.queryOtaFirmware(match.firmwareId, signal);
      const problems = compareHeld(info, files);
      if (problems.length === 0) return match.firmwareId;
      throw new CloudError({
        kind: 'rejected',
        action: 'CreateOTAFirmware',
        code: 'NameTakenByAnotherPackage',
        cloudMessage: `FirmwareName "${spec.firmwareName}" belongs to ${match.firmwareId}, which holds other files: ${problems.join('; ')}`,
        hint: text(
          `A different package is already named "${spec.firmwareName}". FirmwareName is unique per account and cannot be changed: choose another name and prepare the publish again.`,
          `已有另一个升级包名为“${spec.firmwareName}”。升级包名称在账号内唯一且不可修改：请换一个名称后重新准备发布。`,
        ),
      });
    }
    if (page >= result.pageCount || result.items.length === 0) return undefined;
  }
}
