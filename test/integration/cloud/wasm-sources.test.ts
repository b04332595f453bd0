import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const SCRIPT = resolve('scripts/build-wasm.mjs');
const check = (cwd: string) => spawnSync(process.execPath, [SCRIPT, '--check'], { cwd, encoding: 'utf8' });

describe('generated WebAssembly modules', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'ota-wasm-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('carry exactly the bytes their .wat sources compile to', () => {
    const result = check(process.cwd());
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('are reported as out of date when they differ from the source', () => {
    cpSync('electron/core/cloud', join(scratch, 'electron/core/cloud'), { recursive: true });
    const module = join(scratch, 'electron/core/cloud/crc64-wasm.ts');
    writeFileSync(module, readFileSync(module, 'utf8').replace(/'A/, "'B"));
    const result = check(scratch);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('crc64-wasm.ts is out of date');
  });
});
