import { basename } from 'node:path';
import type { PublishEvent } from '../core/publish/events.js';
import { RateMeter } from '../core/publish/rate-meter.js';
import { formatBytes, formatDigests, formatDuration } from './format.js';

interface Meter {
  readonly label: string;
  /** Speed and time left, by the same rule as the app's window. */
  readonly rate: RateMeter;
  bytes: number;
  total: number;
  lastPlainPercent: number;
}

const BAR_WIDTH = 24;
const REDRAW_MS = 100;

/**
 * Renders publish events on stderr: a live bar (percent, MB/s, ETA) on a terminal, plain lines
 * (every 25 %) when piped into a log.
 */
export class ProgressView {
  private meter: Meter | undefined;
  private lastDraw = 0;

  constructor(
    private readonly out: NodeJS.WritableStream & { isTTY?: boolean; columns?: number },
    private readonly paths: readonly string[],
  ) {}

  private get tty(): boolean {
    return this.out.isTTY === true;
  }

  onEvent = (event: PublishEvent): void => {
    switch (event.type) {
      case 'step':
        this.line(`${event.step}…`);
        break;
      case 'hash-progress':
        this.progress(`hashing ${this.name(event.fileIndex)}`, event.bytes, event.total);
        break;
      case 'hashed':
        this.line(`  ${event.file.name}: ${formatBytes(event.file.size)}  ${formatDigests(event.file)}`);
        break;
      case 'upload-url':
        if (event.attempt > 1)
          this.line(
            `  requesting a fresh upload URL for ${this.name(event.fileIndex)} (attempt ${event.attempt})`,
          );
        break;
      case 'upload-progress':
        this.progress(`uploading ${this.name(event.fileIndex)}`, event.sent, event.total);
        break;
      case 'uploaded':
        this.line(`  uploaded ${this.name(event.fileIndex)}`);
        break;
      case 'retry':
        this.line(
          `  ${event.step}: ${event.error.code ?? event.error.kind}; retrying in ${formatDuration(event.delayMs / 1000)}`,
        );
        break;
      case 'created':
        this.line(`  created ${event.firmwareId}`);
        break;
      case 'published':
        this.line(
          event.result.verified ? '  verified: the cloud holds the same sizes and signs' : '  (not verified)',
        );
        break;
      case 'verification':
        // Drawn by VerifyView (a block per device), where the command shows one.
        break;
      case 'preflight':
        // Drawn by the publish command (showPreflight), which knows the spec the findings are about.
        break;
    }
  };

  /** Ends a live bar so later output starts on a clean line. */
  finish(): void {
    if (this.tty && this.meter) this.out.write('\n');
    this.meter = undefined;
  }

  private name(fileIndex: number): string {
    const path = this.paths[fileIndex];
    return path ? basename(path) : `file ${fileIndex + 1}`;
  }

  private line(text: string): void {
    if (this.tty && this.meter) this.out.write('\r\x1b[2K');
    this.meter = undefined;
    this.out.write(`${text}\n`);
  }

  private progress(label: string, bytes: number, total: number): void {
    if (!this.meter || this.meter.label !== label) {
      this.finish();
      // Reading a file has no socket buffer ahead of it; an upload's count leads the wire by one.
      const rate = new RateMeter(label.startsWith('hashing') ? { backlogLimit: 0 } : {});
      this.meter = { label, rate, bytes: 0, total, lastPlainPercent: -1 };
    }
    const m = this.meter;
    m.bytes = bytes;
    m.total = total;
    const percent = total > 0 ? Math.floor((bytes / total) * 100) : 100;
    const reading = m.rate.sample(bytes, total, performance.now());
    const speed = reading.rate === undefined ? '--' : `${formatBytes(reading.rate)}/s`;
    const eta = reading.etaSeconds ?? Number.NaN;
    const stats = `${String(percent).padStart(3)}%  ${speed}  ETA ${formatDuration(eta)}`;
    if (this.tty) {
      const now = Date.now();
      if (now - this.lastDraw < REDRAW_MS && bytes < total) return;
      this.lastDraw = now;
      const filled = Math.round((percent / 100) * BAR_WIDTH);
      const bar = `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
      this.out.write(`\r\x1b[2K${label}  ${bar}  ${stats}`);
    } else {
      const quarter = Math.floor(percent / 25) * 25;
      if (quarter === m.lastPlainPercent) return;
      m.lastPlainPercent = quarter;
      this.out.write(`${label}  ${stats}\n`);
    }
  }
}
