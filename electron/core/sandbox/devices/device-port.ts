/**
 * What the sandbox's verify jobs (../ota/) need of its devices, and what the device side
 * (registry, MQTT broker, simulated devices in this folder) provides. Shapes of the messages are
 * those of ../../../../../shared/reference/ota-jobs-api.md ("How a task moves").
 */

export interface DeviceRef {
  readonly productKey: string;
  readonly deviceName: string;
}

/** A device the sandbox knows. The secret is a demo credential of this local sandbox only. */
export interface DeviceRecord extends DeviceRef {
  readonly iotId: string;
  readonly deviceSecret: string;
  /** Run by the sandbox itself (false: `--external-device`, whatever connects with its credentials). */
  readonly simulated: boolean;
  /** Module → version the device last reported (`default` is the whole-device firmware). */
  readonly versions: Readonly<Record<string, string>>;
  /** ISO time the device was registered. */
  readonly utcCreate: string;
}

/** Published on /ota/device/upgrade/{ProductKey}/{DeviceName}. */
export interface UpgradeMessage {
  readonly code: '1000';
  readonly message: 'success';
  readonly id: number;
  readonly data: {
    readonly size: number;
    readonly version: string;
    readonly isDiff: 0 | 1;
    readonly url: string;
    readonly md5: string;
    readonly sign: string;
    /** "Md5" or "SHA256" (compare case-blind). */
    readonly signMethod: string;
    readonly module: string;
    /** The package's Udi as `_package_udi`, when it has one. */
    readonly extData?: Readonly<Record<string, unknown>>;
    /** Multi-file packages: every file (the fields above then describe the first). */
    readonly files?: readonly {
      readonly fileName: string;
      readonly fileSize: number;
      readonly fileUrl: string;
      readonly fileMd5: string;
      readonly fileSign: string;
    }[];
  };
}

/** What devices tell the sandbox (over MQTT, or a test's fake). */
export type DeviceEvent =
  | { readonly type: 'online'; readonly device: DeviceRef }
  | { readonly type: 'offline'; readonly device: DeviceRef }
  /** /ota/device/progress/…: step "1"…"100", or "-1" upgrade failed, "-2" download failed, "-3" sign check failed, "-4" flashing failed. */
  | {
      readonly type: 'progress';
      readonly device: DeviceRef;
      readonly step: number;
      readonly desc?: string;
      readonly module?: string;
    }
  /** /ota/device/inform/…: the version the device now runs (no module = `default`). */
  | {
      readonly type: 'inform';
      readonly device: DeviceRef;
      readonly version: string;
      readonly module: string;
    };

/** The devices, as the verify jobs see them. */
export interface DevicePort {
  /** Devices of a product, newest first. */
  devices(productKey: string): readonly DeviceRecord[];
  device(ref: DeviceRef): DeviceRecord | undefined;
  online(ref: DeviceRef): boolean;
  /** Pushes the upgrade message to the device; false (nothing sent) when it is offline. */
  pushUpgrade(ref: DeviceRef, message: UpgradeMessage): boolean;
  /** Calls `listener` for every device event until the returned function is called. */
  onEvent(listener: (event: DeviceEvent) => void): () => void;
}
