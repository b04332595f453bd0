/** How a file's hashing moves on, as a pure fold of the events its run reports. */
import type { Text } from '../../../electron/core/i18n/text.js';
import type { FileFingerprint } from '../../../electron/core/contract.js';
import type { WizardFile } from './wizard-types.js';

export type HashEvent =
  /** A `hash-progress` event, stamped with when it arrived (ms since the epoch). */
  | { readonly kind: 'progress'; readonly bytes: number; readonly total: number; readonly at: number }
  | { readonly kind: 'done'; readonly fingerprint: FileFingerprint | undefined }
  /** The error in both languages: the file card picks one when it renders. */
  | { readonly kind: 'failed'; readonly error: Text };

/** `file` after `event`. */
export function foldHash(file: WizardFile, event: HashEvent): WizardFile {
  const hash = file.hash;
  switch (event.kind) {
    case 'progress': {
      // A late event after the run ended must not turn the file back into "hashing".
      if (hash.status !== 'hashing') return file;
      const seconds = (event.at - hash.startedAt) / 1000;
      const rate = seconds > 0 ? event.bytes / seconds : 0;
      return { ...file, size: event.total, hash: { ...hash, bytes: event.bytes, rate } };
    }
    case 'done': {
      const size = event.fingerprint?.size ?? file.size;
      const { md5, sha256 } = event.fingerprint ?? {};
      return { ...file, size, hash: { ...hash, status: 'done', bytes: size, md5, sha256 } };
    }
    case 'failed':
      return { ...file, hash: { ...hash, status: 'failed', error: event.error } };
  }
}
