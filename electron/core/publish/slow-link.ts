/**
 * An upload URL lives about a minute. Whether OSS checks its policy's expiry when the request
 * starts or once the body has arrived is not documented; where it checks at the end, a link too slow
 * to carry the file within the minute fails every attempt after sending all of it. That is
 * recognised here from the attempt's measured rate, and explained with numbers.
 */
import type { UploadTicket } from '../cloud/iot-client.js';
import { text, type Text } from '../i18n/text.js';

/** What GenerateOTAUploadURL's policy allows when its own dates cannot be read. */
export const DEFAULT_UPLOAD_WINDOW_S = 60;

/** What one upload attempt did, as the uploader saw it. */
export interface AttemptFacts {
  readonly ticket: UploadTicket;
  readonly size: number;
  /** `Date.now()` when the PostObject started, and when its failure arrived. */
  readonly startedAt: number;
  readonly endedAt: number;
  /** Whether the socket had taken the whole file when OSS answered. */
  readonly bodySent: boolean;
}

export interface SlowLink {
  /** Seconds the file takes at `bytesPerSecond`. */
  readonly seconds: number;
  readonly bytesPerSecond: number;
  /** Seconds the upload URL was valid. */
  readonly windowSeconds: number;
}

/** The policy's life: its expiration less the ticket's UtcCreate (both the cloud's clock). */
export function uploadWindowSeconds(ticket: UploadTicket): number {
  try {
    const doc = JSON.parse(Buffer.from(ticket.policy, 'base64').toString('utf8')) as { expiration?: unknown };
    const expires = typeof doc.expiration === 'string' ? Date.parse(doc.expiration) : Number.NaN;
    const issued = ticket.utcCreate === undefined ? ticket.receivedAt : Date.parse(ticket.utcCreate);
    const seconds = (expires - issued) / 1000;
    return Number.isFinite(seconds) && seconds > 0 ? seconds : DEFAULT_UPLOAD_WINDOW_S;
  } catch {
    return DEFAULT_UPLOAD_WINDOW_S;
  }
}

/**
 * The slow link behind an expired policy: the whole file was sent and the attempt took at least
 * the URL's life. Undefined for an expiry with another cause (a wrong clock, a late start).
 */
export function slowLinkOf(facts: AttemptFacts): SlowLink | undefined {
  const elapsedMs = facts.endedAt - facts.startedAt;
  const windowSeconds = uploadWindowSeconds(facts.ticket);
  if (!facts.bodySent || elapsedMs <= 0 || elapsedMs / 1000 < windowSeconds * 0.9) return undefined;
  return { seconds: elapsedMs / 1000, bytesPerSecond: (facts.size * 1000) / elapsedMs, windowSeconds };
}

const oneDecimal = (n: number): string =>
  n >= 100 ? Math.round(n).toLocaleString('en-US') : n >= 10 ? n.toFixed(1) : n.toPrecision(2);

/** What to tell the user once a second attempt ran out of the window the same way. */
export function slowLinkHint(link: SlowLink): Text {
  const seconds = Math.ceil(link.seconds).toLocaleString('en-US');
  const rate = oneDecimal(link.bytesPerSecond / 1e6);
  const window = Math.round(link.windowSeconds).toLocaleString('en-US');
  return text(
    `The link is too slow for the upload window: at the measured ${rate} MB/s the file needs about ${seconds} s, while an upload URL lives ${window} s (the storage service checks the deadline once the whole file has arrived). Upload over a faster link, make the package smaller or split it into several files (each gets its own URL), or publish from a machine nearer the cloud (e.g. a server in the same region).`,
    `网络太慢，无法在上传有效期内完成：按实测 ${rate} MB/s，该文件约需 ${seconds} 秒，而上传地址只有 ${window} 秒有效期（存储服务在收到整个文件后才检查期限）。请换用更快的网络，缩小升级包或将其拆成多个文件（每个文件有各自的上传地址），或在离云端更近的机器上发布（例如同地域的服务器）。`,
  );
}
