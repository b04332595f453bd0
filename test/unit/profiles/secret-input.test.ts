import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readSecret, readSecretAndToken } from '../../../electron/cli/secret-input.js';

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

/** A terminal-like stream: raw mode recorded, keystrokes written later. */
function terminal(): { input: NodeJS.ReadStream; raw: boolean[] } {
  const stream = new PassThrough() as unknown as NodeJS.ReadStream & { isTTY: boolean };
  const raw: boolean[] = [];
  stream.isTTY = true;
  stream.setRawMode = (mode: boolean) => {
    raw.push(mode);
    return stream;
  };
  return { input: stream, raw };
}

describe('readSecretAndToken', () => {
  it('not a terminal: the secret on the first line, the token on the second', async () => {
    const both = await readSecretAndToken(piped(['s3cret\r\nCAIS+tok', 'en==\nthird\n']), new PassThrough());
    expect(both).toEqual({ secret: 's3cret', securityToken: 'CAIS+token==' });
    expect(await readSecretAndToken(piped(['only\n']), new PassThrough())).toEqual({
      secret: 'only',
      securityToken: '',
    });
  });

  it('at a terminal: two hidden prompts, nothing typed is echoed', async () => {
    const { input, raw } = terminal();
    const prompt = new PassThrough();
    let shown = '';
    prompt.on('data', (d: Buffer) => (shown += d.toString()));
    const reading = readSecretAndToken(input, prompt);
    await new Promise((r) => setTimeout(r, 10));
    (input as unknown as PassThrough).write('s3cret\r');
    await new Promise((r) => setTimeout(r, 10));
    (input as unknown as PassThrough).write('CAIS+tok\r');
    expect(await reading).toEqual({ secret: 's3cret', securityToken: 'CAIS+tok' });
    expect(shown).toContain('AccessKey secret (typing is hidden)');
    expect(shown).toContain('STS security token (typing is hidden)');
    expect(shown).not.toMatch(/s3cret|CAIS/);
    expect(raw).toEqual([true, false, true, false]);
  });
});
