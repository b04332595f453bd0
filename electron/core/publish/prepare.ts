import { stat } from 'node:fs/promises';
import { hashFiles } from '../files/hashing.js';
import { checkReadableFile } from '../files/regular-file.js';
import type { PublishListener } from './events.js';
import type { FileFacts, FileFingerprint, FirmwareSpec } from './spec.js';
import type { Dialect } from '../cloud/target.js';
import { multiFileName, validateSpec } from './validation.js';
import { ValidationError, type ValidationIssue } from '../validation-issue.js';
import { fileProblem } from './validation-messages.js';

/** MD5 and SHA-256 (lowercase hex) of a file computed earlier. */
export interface KnownDigests {
  readonly md5: string;
  readonly sha256: string;
}

/** Digests already computed for a file with exactly this size and mtime (e.g. by the wizard), if any. */
export type DigestLookup = (file: {
  path: string;
  size: number;
  mtimeMs: number;
}) => KnownDigests | undefined;

/** A spec that passed validation, with every file's fingerprint. */
export interface PreparedPublish {
  readonly spec: FirmwareSpec;
  readonly files: readonly FileFingerprint[];
}

/**
 * Reads each file's size, opening it for reading (and closing it) so that anything that would stop
 * the publish later — missing, a folder, a FIFO, no read permission — is a validation issue now,
 * before any request is sent. Non-regular files are refused from their stat, never opened.
 */
export async function readFileFacts(
  spec: FirmwareSpec,
): Promise<{ facts: FileFacts[]; issues: ValidationIssue[] }> {
  const facts: FileFacts[] = [];
  const issues: ValidationIssue[] = [];
  for (const [i, file] of spec.files.entries()) {
    const checked = await checkReadableFile(file.path);
    if (checked.ok) facts.push({ path: file.path, name: multiFileName(file), size: checked.stats.size });
    else {
      const field = `Files.${i + 1}`;
      issues.push({ field, rule: 'readable', message: fileProblem(field, file.path, checked.problem) });
    }
  }
  return { facts, issues };
}

/**
 * Validates the spec (throws ValidationError before anything is sent), then hashes every file —
 * unless `hash` is false: a publish that goes out at once hashes the bytes while uploading them
 * instead, which saves a whole read of every file.
 */
export async function preparePublish(
  spec: FirmwareSpec,
  dialect: Dialect,
  options: {
    readonly signal?: AbortSignal;
    readonly onEvent?: PublishListener;
    readonly hash?: boolean;
    readonly known?: DigestLookup;
  } = {},
): Promise<PreparedPublish> {
  const emit = options.onEvent ?? (() => {});
  emit({ type: 'step', step: 'validating' });
  const { facts, issues: unreadable } = await readFileFacts(spec);
  const issues = [...validateSpec(spec, dialect, facts), ...unreadable];
  if (issues.length > 0) throw new ValidationError(issues);

  const stated = await Promise.all(
    facts.map(async (f) => ({ ...f, mtimeMs: (await stat(f.path)).mtimeMs, md5: '', sha256: '' })),
  );
  if (options.hash === false) return { spec, files: stated };

  const files: FileFingerprint[] = stated.map((f) => {
    const known = options.known?.(f);
    return known ? { ...f, md5: known.md5, sha256: known.sha256 } : f;
  });
  const todo = files.flatMap((f, i) => (f.md5 && f.sha256 ? [] : [i]));
  if (todo.length > 0) {
    emit({ type: 'step', step: 'hashing' });
    const digests = await hashFiles(
      todo.map((i) => files[i]!.path),
      {
        signal: options.signal,
        onProgress: (p) => emit({ type: 'hash-progress', ...p, fileIndex: todo[p.fileIndex]! }),
      },
    );
    digests.forEach((d, k) => (files[todo[k]!] = { ...d, name: files[todo[k]!]!.name }));
  }
  files.forEach((file, fileIndex) => emit({ type: 'hashed', fileIndex, file }));
  return { spec, files };
}
