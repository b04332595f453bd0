import type { IotClient } from '../cloud/iot-client.js';
import { createRequest, signOf, verifyFirmware } from './create-firmware.js';
import type { PublishedFile, PublishListener, PublishResult } from './events.js';
import { preparePublish, type PreparedPublish } from './prepare.js';
import { withRetry } from './retry.js';
import type { Dialect, FirmwareSpec } from './spec.js';
import { uploadFile } from './upload-file.js';

export interface PublishOptions {
  readonly client: IotClient;
  readonly dialect: Dialect;
  readonly signal?: AbortSignal;
  readonly onEvent?: PublishListener;
  /** Confirm with QueryOTAFirmware (default true). */
  readonly verify?: boolean;
}

/** Calls that are safe to repeat (reads) get this many attempts on transient failures. */
const READ_ATTEMPTS = 5;

/**
 * Uploads every prepared file and registers the package. CreateOTAFirmware is retried only when
 * the gateway throttled it (nothing was committed); any other unknown outcome is left to the
 * caller, because repeating a create could publish twice.
 */
export async function publishPrepared(
  prepared: PreparedPublish,
  options: PublishOptions,
): Promise<PublishResult> {
  const { client, dialect, signal } = options;
  const emit = options.onEvent ?? (() => {});
  const { spec } = prepared;

  emit({ type: 'step', step: 'uploading' });
  const files: PublishedFile[] = [];
  for (const [fileIndex, file] of prepared.files.entries()) {
    const uploaded = await uploadFile(client, file, fileIndex, dialect, { signal, onEvent: emit });
    files.push({ ...file, url: uploaded.url, sign: signOf(file, spec.signMethod) });
  }

  emit({ type: 'step', step: 'creating' });
  const { firmwareId } = await withRetry(() => client.createOtaFirmware(createRequest(spec, files), signal), {
    attempts: READ_ATTEMPTS,
    signal,
    retryOn: (e) => e.kind === 'throttled',
    onRetry: (error, delayMs) => emit({ type: 'retry', step: 'creating', error, delayMs }),
  });
  emit({ type: 'created', firmwareId });

  let verified = false;
  if (options.verify !== false) {
    emit({ type: 'step', step: 'verifying' });
    await withRetry(() => verifyFirmware(client, firmwareId, files, signal), {
      attempts: READ_ATTEMPTS,
      signal,
      onRetry: (error, delayMs) => emit({ type: 'retry', step: 'verifying', error, delayMs }),
    });
    verified = true;
  }

  const result: PublishResult = {
    firmwareId,
    firmwareName: spec.firmwareName,
    productKey: spec.productKey,
    destVersion: spec.destVersion,
    signMethod: spec.signMethod,
    verified,
    files,
  };
  emit({ type: 'published', result });
  return result;
}

/** validate → hash → per file: upload URL + PostObject → CreateOTAFirmware → QueryOTAFirmware. */
export async function publish(spec: FirmwareSpec, options: PublishOptions): Promise<PublishResult> {
  const prepared = await preparePublish(spec, options.dialect, {
    signal: options.signal,
    onEvent: options.onEvent,
  });
  return publishPrepared(prepared, options);
}
