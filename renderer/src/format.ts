/** Number formatting for sizes, speeds and times; written out so output never depends on ICU data. */
import type { Locale } from '../../electron/core/i18n/text.js';
import { groupDigits } from '../../electron/core/contract.js';

const UNITS = ['B', 'KB', 'MB', 'GB'] as const;

/** 1536 → "1.5 KB"; binary units, as the 1,000 MB limit is counted. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${groupDigits(value)} B` : `${groupDigits(value.toFixed(1))} ${UNITS[unit]}`;
}

/** Bytes per second → "12.3 MB/s". */
export function formatRate(bytesPerSecond: number): string {
  return `${(bytesPerSecond / (1024 * 1024)).toFixed(1)} MB/s`;
}

/** Seconds → "1 min 05 s" / "1 分 05 秒"; "—" when unknown. */
export function formatDuration(seconds: number, locale: Locale): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.ceil(seconds);
  const m = Math.floor(s / 60);
  const rest = String(s % 60).padStart(m > 0 ? 2 : 1, '0');
  if (locale === 'zh') return m > 0 ? `${m} 分 ${rest} 秒` : `${rest} 秒`;
  return m > 0 ? `${m} min ${rest} s` : `${rest} s`;
}

/** The message key for `n` things: `one` for exactly one, else `other` (Chinese has one form). */
export function pluralKey<K extends string>(n: number, one: K, other: K): K {
  return n === 1 ? one : other;
}
