import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../../electron/cli/exit-codes.js';
import { dataDirOf, describeError, exitCodeOf, reportFailure } from '../../../electron/cli/report.js';
import { CloudError, integrityError, networkError } from '../../../electron/core/cloud/errors.js';
import { DataFolderError, writeFailure } from '../../../electron/core/files/file-errors.js';
import { text } from '../../../electron/core/i18n/text.js';
import { CreatedUncheckedError } from '../../../electron/core/publish/created-unchecked.js';

const errno = (code: string, path?: string) =>
  Object.assign(new Error(`${code}: failed, '${path}'`), { code, ...(path ? { path } : {}) });

const created = (cause: unknown) =>
  new CreatedUncheckedError(
    { firmwareId: 'fw-42', firmwareName: 'app-1_0', productKey: 'a1PK', destVersion: '1.0' },
    cause,
  );

const throttled = new CloudError({
  kind: 'throttled',
  action: 'QueryOTAFirmware',
  status: 400,
  code: 'Throttling.User',
  cloudMessage: 'Request was denied due to user flow control.',
  requestId: 'REQ-1',
  hint: text('retried shortly', '稍后重试'),
});

function capture() {
  const collect = (stream: PassThrough) => {
    let data = '';
    stream.on('data', (d: Buffer) => (data += d.toString()));
    return () => data;
  };
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  return { out: { stdout, stderr }, stdout: collect(stdout), stderr: collect(stderr) };
}

describe('exit codes', () => {
  it('6 for a created package whose check could not run, whatever stopped the check', () => {
    expect(EXIT.createdUnchecked).toBe(6);
    for (const cause of [throttled, networkError('QueryOTAFirmware', errno('ECONNRESET')), new Error('x')])
      expect(exitCodeOf(created(cause))).toBe(6);
  });

  it('3, not 6, for a check that ran and found a mismatch (that error is not wrapped)', () => {
    expect(exitCodeOf(integrityError('QueryOTAFirmware', 'size', text('', '')))).toBe(EXIT.rejected);
  });

  it('7 for a data folder that cannot be written: typed, or a raw ENOSPC/EROFS/EDQUOT', () => {
    expect(EXIT.dataFolder).toBe(7);
    expect(exitCodeOf(new DataFolderError('full', 'ENOSPC', '/d/outbox/jobs/x.json'))).toBe(7);
    for (const code of ['ENOSPC', 'EROFS', 'EDQUOT']) expect(exitCodeOf(errno(code, '/d/outbox'))).toBe(7);
    // A raw permission error may come from reading something: not claimed as the data folder's.
    expect(exitCodeOf(errno('EACCES', '/d/recipe.otapub'))).toBe(EXIT.failed);
    expect(exitCodeOf(writeFailure(errno('EACCES'), '/d/profiles.json'))).toBe(7);
    expect(exitCodeOf(errno('EIO', '/d/outbox'))).toBe(EXIT.failed);
  });

  it('5 is verification on devices failed, and nothing else', () => {
    expect(EXIT.verificationFailed).toBe(5);
    expect(Object.values(EXIT).filter((c) => c === 5)).toHaveLength(1);
  });
});

describe('describeError', () => {
  it('names the data folder and what the errno means, in English and Chinese', () => {
    const full = writeFailure(errno('ENOSPC'), '/data/ota/outbox/jobs/j1.json')!;
    const en = describeError(full, 'en', { dataDir: '/data/ota' });
    expect(en).toMatch(/^error: The data folder \/data\/ota is full\./);
    expect(en).toContain('Cannot write "/data/ota/outbox/jobs/j1.json": no space left on the disk (ENOSPC).');
    expect(en).toMatch(/what to do: Free some space on that disk, or choose another data folder/);
    const zh = describeError(full, 'zh', { dataDir: '/data/ota' });
    expect(zh).toMatch(/^error: 数据文件夹 \/data\/ota 已满。/);
    expect(zh).toContain('磁盘空间已满（ENOSPC）');

    const readOnly = describeError(errno('EROFS', '/data/ota/outbox'), 'en', { dataDir: '/data/ota' });
    expect(readOnly).toMatch(/^error: The data folder \/data\/ota is read-only\./);
    expect(describeError(errno('EROFS', '/data/ota/outbox'), 'zh', { dataDir: '/data/ota' })).toMatch(
      /数据文件夹 \/data\/ota 是只读的/,
    );
    expect(describeError(errno('EDQUOT', '/q/profiles.json'), 'en', { dataDir: '/q' })).toMatch(
      /The data folder \/q is over its disk quota/,
    );
  });

  it('names the folder of the path when it is outside the data folder', () => {
    expect(describeError(errno('ENOSPC', '/elsewhere/store/x.bin'), 'en', { dataDir: '/d' })).toMatch(
      /^error: The data folder \/elsewhere\/store is full/,
    );
  });

  it('a created-but-unchecked package: the FirmwareId, why the check did not run, what to do', () => {
    const en = describeError(created(throttled), 'en');
    expect(en).toMatch(
      /^error: the package was created as FirmwareId fw-42, but the check afterwards could not run/,
    );
    expect(en).toContain('QueryOTAFirmware — throttled (HTTP 400)');
    expect(en).toContain('code: Throttling.User');
    expect(en).toContain('RequestId: REQ-1');
    expect(en).not.toContain('retried shortly'); // the cause's advice no longer applies
    expect(en).toMatch(/Do not publish it again/);
    expect(describeError(created(throttled), 'zh')).toMatch(
      /升级包已创建（FirmwareId fw-42），但之后的校验未能执行/,
    );
  });
});

describe('reportFailure', () => {
  it('prints the FirmwareId on stdout; with --json a JSON line with firmwareId and the error', () => {
    const human = capture();
    expect(reportFailure(created(throttled), ['publish', 'a.bin'], 'en', human.out)).toBe(6);
    expect(human.stdout()).toBe('Created app-1_0 (1.0) as FirmwareId fw-42, not verified\n');
    expect(human.stderr()).toContain('FirmwareId fw-42');

    const json = capture();
    expect(reportFailure(created(throttled), ['publish', 'a.bin', '--json'], 'en', json.out)).toBe(6);
    const line = JSON.parse(json.stdout().trim().split('\n').at(-1)!) as Record<string, unknown>;
    expect(line).toMatchObject({
      firmwareId: 'fw-42',
      firmwareName: 'app-1_0',
      verified: false,
      error: { kind: 'throttled', code: 'Throttling.User', requestId: 'REQ-1', action: 'QueryOTAFirmware' },
    });
  });

  it('prints nothing on stdout for other failures', () => {
    const c = capture();
    expect(reportFailure(errno('EROFS', '/x/outbox'), ['publish', '--data-dir', '/x'], 'en', c.out)).toBe(7);
    expect(c.stdout()).toBe('');
    expect(c.stderr()).toMatch(/The data folder \/x is read-only/);
  });

  it('finds the data folder: --data-dir DIR, --data-dir=DIR, else OTA_PUBLISHER_HOME', () => {
    expect(dataDirOf(['publish', '--data-dir', '/a', 'f.bin'])).toBe('/a');
    expect(dataDirOf(['outbox', 'run', '--data-dir=/b'])).toBe('/b');
    expect(dataDirOf(['publish', '--', '--data-dir', '/c'], { OTA_PUBLISHER_HOME: '/home' })).toBe('/home');
  });
});
