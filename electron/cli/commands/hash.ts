import { parseArgs } from 'node:util';
import { hashFiles } from '../../core/files/hashing.js';
import { UsageError } from '../exit-codes.js';
import { ProgressView } from '../progress.js';

export const HASH_HELP = `Usage: ota-publish hash FILE… [--json]

Prints the size, MD5 and SHA-256 (lowercase hex) of each file: the digests FirmwareSign can carry.`;

export async function runHash(argv: readonly string[], signal: AbortSignal): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: { json: { type: 'boolean' } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length === 0) throw new UsageError('Give at least one FILE to hash.');
  const view = new ProgressView(process.stderr, positionals);
  const digests = await hashFiles(positionals, {
    signal,
    onProgress: (p) => view.onEvent({ type: 'hash-progress', ...p }),
  }).finally(() => view.finish());
  if (values.json) {
    const files = digests.map(({ path, size, md5, sha256 }) => ({ path, size, md5, sha256 }));
    process.stdout.write(`${JSON.stringify({ files })}\n`);
  } else {
    for (const d of digests)
      process.stdout.write(`${d.path}\n  size   ${d.size}\n  md5    ${d.md5}\n  sha256 ${d.sha256}\n`);
  }
  return 0;
}
