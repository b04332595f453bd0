/**
 * Reads a secret from standard input, never from an argument (arguments show up in `ps` and in shell
 * history). At a terminal the user types it without echo; otherwise the first line is taken.
 */
import { createInterface } from 'node:readline';

const PROMPT = 'AccessKey secret (typing is hidden): ';

/** The secret the user typed or piped in, without its line break ('' when there was none). */
export async function readSecret(input: NodeJS.ReadStream, prompt: NodeJS.WritableStream): Promise<string> {
  if (input.isTTY && typeof input.setRawMode === 'function') return readHidden(input, prompt);
  return readFirstLine(input);
}

async function readFirstLine(input: NodeJS.ReadableStream): Promise<string> {
  const lines = createInterface({ input, crlfDelay: Infinity, terminal: false });
  try {
    for await (const line of lines) return line.replace(/\r$/, '');
    return '';
  } finally {
    lines.close();
    // Stop reading so a still-open pipe does not keep the process alive.
    (input as NodeJS.ReadStream).pause?.();
  }
}

/** Raw mode: each keystroke arrives as typed and nothing is echoed. */
function readHidden(input: NodeJS.ReadStream, prompt: NodeJS.WritableStream): Promise<string> {
  prompt.write(PROMPT);
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
