/**
 * How a simulated device fetches one file of a package: a real HTTP(S) GET of the URL it was
 * given, hashed as it streams (never held in memory whole, so ten devices fetching 100 MB stay small).
 */
import { createHash } from 'node:crypto';
import { get as httpGet, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';

export interface Downloaded {
  readonly size: number;
  /** Lowercase hex; '' for a digest that was not asked for. */
  readonly md5: string;
  readonly sha256: string;
}

export interface DownloadOptions {
  /** Alter the first byte received, as a flaky link or a tampered mirror would (fault `corrupt-download`). */
  readonly corrupt?: boolean;
  readonly signal?: AbortSignal;
  /** Idle time after which the download is given up; default 30 s. */
  readonly timeoutMs?: number;
  /** The digests to compute (default both). Ten devices share one download thread: hash only what the sign needs. */
  readonly digests?: readonly ('md5' | 'sha256')[];
}

function request(url: URL, signal: AbortSignal | undefined): Promise<IncomingMessage> {
  const get = url.protocol === 'https:' ? httpsGet : url.protocol === 'http:' ? httpGet : undefined;
  if (!get) return Promise.reject(new Error(`unsupported URL scheme ${url.protocol}`));
  return new Promise((resolve, reject) => {
    const req = get(url, { signal }, resolve);
    req.on('error', reject);
  });
}

/** Downloads `url`, resolving with its size and digests; rejects on a non-200 answer or a cut. */
export async function download(url: string, options: DownloadOptions = {}): Promise<Downloaded> {
  const res = await request(new URL(url), options.signal);
  if (res.statusCode !== 200) {
    res.resume();
    throw new Error(`HTTP ${res.statusCode ?? 0} from the download URL`);
  }
  res.setTimeout(options.timeoutMs ?? 30_000, () => res.destroy(new Error('the download stalled')));
  const wanted = options.digests ?? ['md5', 'sha256'];
  const md5 = wanted.includes('md5') ? createHash('md5') : undefined;
  const sha256 = wanted.includes('sha256') ? createHash('sha256') : undefined;
  let size = 0;
  for await (const chunk of res as AsyncIterable<Buffer>) {
    const bytes = options.corrupt && size === 0 && chunk.length > 0 ? flipFirstByte(chunk) : chunk;
    size += bytes.length;
    md5?.update(bytes);
    sha256?.update(bytes);
  }
  if (!res.complete) throw new Error('the download was cut short');
  return { size, md5: md5?.digest('hex') ?? '', sha256: sha256?.digest('hex') ?? '' };
}

function flipFirstByte(chunk: Buffer): Buffer {
  const copy = Buffer.from(chunk);
  copy[0] = copy[0]! ^ 0xff;
  return copy;
}
