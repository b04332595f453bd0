import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { diagnosticsText, lastLines, profileCounts } from '../../../electron/core/app/diagnostics-report.js';

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'ota-diag-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const profiles = [
  { dialect: 'aliyun' as const, builtIn: true },
  { dialect: 'aliyun' as const, builtIn: false },
  { dialect: 'tuya' as const, builtIn: false },
  { dialect: 'aliyun' as const, builtIn: false },
];

describe('Copy Diagnostics text', () => {
  it('counts saved profiles by dialect, and says whether the sandbox is there', () => {
    expect(profileCounts(profiles)).toBe('3 saved (aliyun 2, tuya 1) + built-in sandbox');
    expect(profileCounts([])).toBe('0 saved');
  });

  it('holds versions, OS, folders, profile counts and the last log lines, with no secret', async () => {
    const logs = join(dataDir, 'logs');
    await mkdir(logs);
    const main = Array.from({ length: 60 }, (_, i) => `[t] [info] main line ${i}`);
    main.push('[t] [error] unexpected (ipc): {"accessKeySecret":"Kc9qZsecretValue1"} Signature=c2lnbmF0dXJl');
    await writeFile(join(logs, 'main.log'), `${main.join('\n')}\n`);
    await writeFile(join(logs, 'cli.log'), '[t] [info] ota-publish 0.1.0 publish\n');

    const report = await diagnosticsText({
      appVersion: '1.2.3',
      runtime: 'Electron 39.0.0 · Node.js 22.0.0',
      os: 'linux 6.1.0 x64',
      dataDir,
      profiles,
      logLines: 10,
    });
    expect(report).toContain('OTA Publisher 1.2.3');
    expect(report).toContain('OS: linux 6.1.0 x64');
    expect(report).toContain('Runtime: Electron 39.0.0 · Node.js 22.0.0');
    expect(report).toContain(`Data folder: ${dataDir}`);
    expect(report).toContain(`Logs: ${logs}`);
    expect(report).toContain('Profiles: 3 saved (aliyun 2, tuya 1) + built-in sandbox');
    expect(report).toContain('--- main.log, last 10 lines ---');
    expect(report).toContain('main line 59');
    expect(report).not.toContain('main line 50\n');
    expect(report).toContain('--- cli.log, last 1 lines ---\n[t] [info] ota-publish 0.1.0 publish');
    expect(report).not.toContain('Kc9qZsecretValue1');
    expect(report).not.toContain('c2lnbmF0dXJl');
  });

  it('leaves out a log that does not exist yet', async () => {
    const report = await diagnosticsText({
      appVersion: '1.2.3',
      runtime: 'Node.js 22',
      os: 'darwin 24.0.0 arm64',
      dataDir,
      profiles: [],
    });
    expect(report).not.toContain('---');
    expect(report).toContain('Profiles: 0 saved');
  });

  it('reads only the end of a large log, dropping the partial first line', async () => {
    const path = join(dataDir, 'big.log');
    const lines = Array.from({ length: 5000 }, (_, i) => `line ${i} ${'y'.repeat(40)}`);
    await writeFile(path, `${lines.join('\n')}\n`);
    const tail = await lastLines(path, 3);
    expect(tail).toEqual(lines.slice(-3));
    const all = (await lastLines(path, 100_000))!;
    expect(all.length).toBeLessThan(5000);
    expect(lines).toContain(all[0]);
    expect(await lastLines(join(dataDir, 'none.log'), 3)).toBeUndefined();
  });
});
