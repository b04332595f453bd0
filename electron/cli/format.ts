/** 1234567 → "1.2 MB" (decimal megabytes, as the API's "1,000 MB" limit is stated in MiB; label honestly). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--';
  if (seconds < 60) return `${Math.ceil(seconds)}s`;
  const m = Math.floor(seconds / 60);
  return `${m}m${String(Math.ceil(seconds % 60)).padStart(2, '0')}s`;
}

/** `md5 … sha256 …` of a file; a digest that was not computed (one-pass MD5 publish) is left out. */
export function formatDigests(file: { readonly md5: string; readonly sha256: string }): string {
  return [file.md5 && `md5 ${file.md5}`, file.sha256 && `sha256 ${file.sha256}`].filter(Boolean).join('  ');
}

/** Columns a terminal shows `s` in (CJK characters take two cells). */
export function displayWidth(s: string): number {
  const wide =
    /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/;
  return [...s].reduce((n, c) => n + (wide.test(c) ? 2 : 1), 0);
}

/** Rows with each column padded to its widest cell, two spaces apart; no trailing spaces. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths = (rows[0] ?? []).map((_, c) => Math.max(...rows.map((row) => displayWidth(row[c] ?? ''))));
  return rows
    .map((row) =>
      row
        .map((cell, c) => cell + ' '.repeat(widths[c]! - displayWidth(cell)))
        .join('  ')
        .trimEnd(),
    )
    .map((line) => `${line}\n`)
    .join('');
}
