/** The part of the official Node device SDK (CommonJS, untyped) the device tests use. */
declare module 'alibabacloud-iot-device-sdk' {
  import type { EventEmitter } from 'node:events';

  export interface SdkDevice extends EventEmitter {
    subscribe(
      topic: string,
      options: { qos: 0 | 1 },
      callback?: (error?: Error, granted?: unknown) => void,
    ): void;
    publish(
      topic: string,
      payload: string,
      options?: { qos: 0 | 1 },
      callback?: (error?: Error) => void,
    ): void;
    end(force?: boolean, callback?: () => void): void;
  }

  const iot: {
    device(config: {
      productKey: string;
      deviceName: string;
      deviceSecret: string;
      brokerUrl: string;
      keepalive?: number;
    }): SdkDevice;
    sdkver: string;
  };
  export = iot;
}
