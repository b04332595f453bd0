/**
 * The message pushed on /ota/device/upgrade/{ProductKey}/{DeviceName}, built from the stored
 * package. A multi-file package also carries `files`; its top-level fields then describe the first
 * file (the reference marks the multi-file key names as varying between pages: these are the ones
 * DevicePort's UpgradeMessage fixes).
 */
import type { UpgradeMessage } from '../devices/device-port.js';
import type { FirmwareRecord } from '../store.js';

/** The reference's examples spell the sign method "Md5" and "SHA256". */
const SIGN_METHOD: Readonly<Record<FirmwareRecord['SignMethod'], string>> = { MD5: 'Md5', SHA256: 'SHA256' };

export function upgradeMessage(
  firmware: FirmwareRecord,
  id: number,
  downloadUrl: (url: string) => string = (url) => url,
): UpgradeMessage {
  const files = firmware.MultiFiles;
  const first = files[0];
  const sign = first?.SignValue ?? firmware.FirmwareSign ?? '';
  return {
    code: '1000',
    message: 'success',
    id,
    data: {
      size: first?.Size ?? firmware.FirmwareSize ?? 0,
      version: firmware.DestVersion,
      isDiff: firmware.Type === 1 ? 1 : 0,
      url: downloadUrl(first?.Url ?? firmware.FirmwareUrl ?? ''),
      md5: first?.FileMd5 ?? (firmware.SignMethod === 'MD5' ? sign : ''),
      sign,
      signMethod: SIGN_METHOD[firmware.SignMethod],
      module: firmware.ModuleName,
      ...(firmware.Udi ? { extData: { _package_udi: firmware.Udi } } : {}),
      ...(files.length > 0
        ? {
            files: files.map((f) => ({
              fileName: f.Name,
              fileSize: f.Size,
              fileUrl: downloadUrl(f.Url),
              fileMd5: f.FileMd5,
              fileSign: f.SignValue,
            })),
          }
        : {}),
    },
  };
}
