import type { CloudError } from '../cloud/errors.js';
import type { FileFingerprint } from './spec.js';
import type { PreflightFinding } from './preflight/decide.js';
import type { Verification } from './verify/verification.js';

/** One uploaded and registered file of a published package. */
export interface PublishedFile extends FileFingerprint {
  readonly url: string;
  /** The FirmwareSign / SignValue sent: the file's digest per SignMethod, lowercase hex. */
  readonly sign: string;
}

export interface PublishResult {
  readonly firmwareId: string;
  readonly firmwareName: string;
  readonly productKey: string;
  readonly destVersion: string;
  readonly signMethod: 'MD5' | 'SHA256';
  /** True when QueryOTAFirmware confirmed the cloud holds the sizes and signs computed here. */
  readonly verified: boolean;
  readonly files: readonly PublishedFile[];
}

/** The steps of a publish, in order; the CLI and the UI render these. */
export type PublishStep = 'validating' | 'hashing' | 'uploading' | 'creating' | 'verifying';

/** Progress of a publish as a stream of typed events. */
export type PublishEvent =
  | { readonly type: 'step'; readonly step: PublishStep }
  | {
      readonly type: 'hash-progress';
      readonly fileIndex: number;
      readonly bytes: number;
      readonly total: number;
    }
  | { readonly type: 'hashed'; readonly fileIndex: number; readonly file: FileFingerprint }
  | { readonly type: 'upload-url'; readonly fileIndex: number; readonly attempt: number }
  | {
      readonly type: 'upload-progress';
      readonly fileIndex: number;
      readonly sent: number;
      readonly total: number;
    }
  | { readonly type: 'uploaded'; readonly fileIndex: number; readonly url: string }
  | {
      readonly type: 'retry';
      readonly step: PublishStep;
      readonly fileIndex?: number;
      readonly error: CloudError;
      readonly delayMs: number;
    }
  | { readonly type: 'created'; readonly firmwareId: string }
  /** The pre-flight passed (before any upload): its warnings, and the module it created if any. */
  | {
      readonly type: 'preflight';
      readonly warnings: readonly PreflightFinding[];
      readonly createdModule?: string;
    }
  | { readonly type: 'published'; readonly result: PublishResult }
  /** The verification on bench devices changed (a task moved, it started or ended). */
  | { readonly type: 'verification'; readonly verification: Verification };

export type PublishListener = (event: PublishEvent) => void;
