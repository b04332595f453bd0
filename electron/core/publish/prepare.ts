import { stat } from 'node:fs/promises';
import { hashFiles } from '../files/hashing.js';
import { text } from '../i18n/text.js';
import type { PublishListener } from './events.js';
import type { Dialect, FileFacts, FileFingerprint, FirmwareSpec } from './spec.js';
import { multiFileName, validateSpec, ValidationError, type ValidationIssue } from './validation.js';

/** A spec that passed validation, with every file's fingerprint. */
export interface PreparedPublish {
  readonly spec: FirmwareSpec;
  readonly files: readonly FileFingerprint[];
}

/** Reads each file's size; a missing or unreadable file is a validation issue, not a crash. */
export async function readFileFacts(
  spec: FirmwareSpec,
): Promise<{ facts: FileFacts[]; issues: ValidationIssue[] }> {
  const facts: FileFacts[] = [];
  const issues: ValidationIssue[] = [];
  for (const [i, file] of spec.files.entries()) {
    try {
      const info = await stat(file.path);
      if (!info.isFile())
        throw Object.assign(new Error('not a regular file'), { code: 'not a regular file' });
      facts.push({ path: file.path, name: multiFileName(file), size: info.size });
    } catch (error) {
      const why = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      issues.push({
        field: `Files.${i + 1}`,
        rule: 'readable',
        message: text(
          `File "${file.path}" cannot be read (${why}).`,
          `文件“${file.path}”无法读取（${why}）。`,
        ),
      });
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
  } = {},
): Promise<PreparedPublish> {
  const emit = options.onEvent ?? (() => {});
  emit({ type: 'step', step: 'validating' });
  const { facts, issues: unreadable } = await readFileFacts(spec);
  const issues = [...validateSpec(spec, dialect, facts), ...unreadable];
  if (issues.length > 0) throw new ValidationError(issues);

  if (options.hash === false) {
    const files = await Promise.all(
      facts.map(async (f) => ({ ...f, mtimeMs: (await stat(f.path)).mtimeMs, md5: '', sha256: '' })),
    );
    return { spec, files };
  }
  emit({ type: 'step', step: 'hashing' });
  const digests = await hashFiles(
    facts.map((f) => f.path),
    {
      signal: options.signal,
      onProgress: (p) => emit({ type: 'hash-progress', ...p }),
    },
  );
  const files = digests.map((d, i) => ({ ...d, name: facts[i]?.name ?? d.path }));
  files.forEach((file, fileIndex) => emit({ type: 'hashed', fileIndex, file }));
  return { spec, files };
}
