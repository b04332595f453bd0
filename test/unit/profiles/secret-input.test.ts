import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readSecret } from '../../../electron/cli/secret-input.js';

function piped(chunks: readonly string[]): NodeJS.ReadStream {
  const stream = new PassThrough();
  for (const c of chunks) stream.write(c);
  stream.end();
  return stream as unknown as NodeJS.ReadStream;
}

describe('readSecret (not a terminal)', () => {
  it('takes the first line only, without its line break, and prompts nothing', async () => {
    const prompt = new PassThrough();
    let shown = '';
    prompt.on('data', (d: Buffer) => (shown += d.toString()));
    expect(await readSecret(piped(['abc', 'DEF\r\n', 'second line\n']), prompt)).toBe('abcDEF');
    expect(shown).toBe('');
  });

  it('takes a last line without a line break, and gives "" for empty input', async () => {
    expect(await readSecret(piped(['only-line']), new PassThrough())).toBe('only-line');
    expect(await readSecret(piped([]), new PassThrough())).toBe('');
  });
});
