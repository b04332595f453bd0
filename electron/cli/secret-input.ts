/**
 * Reads a secret from standard input, never from an argument (arguments show up in `ps` and in shell
 * history). At a terminal the user types it without echo; otherwise the first line is taken.
 */
import { createInterface } from 'node:readline';

const PROMPT = 'AccessKey secret (typing is hidden): ';
const TOKEN_PROMPT = 'STS security token (typing is hidden): ';

/** The secret the user typed or piped in, without its line break ('' when there was none). */
export async function readSecret(input: NodeJS.ReadStream, prompt: NodeJS.WritableStream): Promise<string> {
  if (input.isTTY && typeof input.setRawMode === 'function') return readHidden(input, prompt);
  return (await readFirstLines(input, 1))[0] ?? '';
}

/**
 * The secret and the STS token: two hidden prompts at a terminal, else the first two lines
 * (secret, then token) of standard input. Missing ones are ''.
 */
export async function readSecretAndToken(
  input: NodeJS.ReadStream,
  prompt: NodeJS.WritableStream,
): Promise<{ secret: string; securityToken: string }> {
  if (input.isTTY && typeof input.setRawMode === 'function') {
    const secret = await readHidden(input, prompt);
    return { secret, securityToken: await readHidden(input, prompt, TOKEN_PROMPT) };
  }
  const [secret = '', securityToken = ''] = await readFirstLines(input, 2);
  return { secret, securityToken };
}

async function readFirstLines(input: NodeJS.ReadableStream, count: number): Promise<string[]> {
  const lines = createInterface({ input, crlfDelay: Infinity, terminal: false });
  const read: string[] = [];
  try {
    for await (const line of lines) {
      read.push(line.replace(/\r$/, ''));
      if (read.length === count) break;
    }
    return read;
  } finally {
    lines.close();
    // Stop reading so a still-open pipe does not keep the process alive.
    (input as NodeJS.ReadStream).pause?.();
  }
}

/** Raw mode: each keystroke arrives as typed and nothing is echoed. */
function readHidden(
  input: NodeJS.ReadStream,
  prompt: NodeJS.WritableStream,
  question: string = PROMPT,
): Promise<string> {
  prompt.write(question);
  input.setRawMode(true);
  input.resume();
  input.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let typed = '';
    const done = (error?: Error) => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      prompt.write('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (chunk: string) => {
      for (const c of chunk) {
        if (c === '\r' || c === '\n' || c === '\u0004') return done();
        if (c === '\u0003') return done(new DOMException('Interrupted', 'AbortError'));
        if (c === '\u007f' || c === '\b') typed = [...typed].slice(0, -1).join('');
        else if (c >= ' ') typed += c;
      }
    };
    input.on('data', onData);
  });
}
