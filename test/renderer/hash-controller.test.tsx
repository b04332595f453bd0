import { describe, expect, it } from 'vitest';
import type { FileFingerprint } from '../../electron/core/contract.js';
import { IpcFailure } from '../../renderer/src/ipc/client.js';
import { hashController, newHashId } from '../../renderer/src/stores/hash-controller.js';
import { wizardFile } from '../../renderer/src/wizard/draft.js';
import type { HashEvent } from '../../renderer/src/wizard/file-hash.js';
import type { WizardFile } from '../../renderer/src/wizard/wizard-types.js';

const fingerprint = (path: string): FileFingerprint => ({
  path,
  name: path.split('/').pop() ?? path,
  size: 10,
  mtimeMs: 0,
  md5: `md5 ${path}`,
  sha256: `sha ${path}`,
});

/** A controller over fake IPC: `hash` answers with `outcome(path)`; reports and calls are recorded. */
function controllerWith(outcome: (path: string) => Promise<FileFingerprint>) {
  const reports: [string, HashEvent][] = [];
  const hashed: [string, readonly string[]][] = [];
  const cancelled: string[] = [];
  const files = {
    hash: async (hashId: string, paths: readonly string[]) => {
      hashed.push([hashId, paths]);
      return [await outcome(paths[0]!)];
    },
    cancelHash: async (hashId: string) => {
      cancelled.push(hashId);
      throw new Error('already finished');
    },
  };
  const controller = hashController(
    (id, event) => reports.push([id, event]),
    files,
    () => 42,
  );
  return { controller, reports, hashed, cancelled };
}

const file = (path: string, id: string): WizardFile => wizardFile({ path, name: '', size: 10 }, id);
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('hash controller', () => {
  it('starts one run per file under its id and reports each fingerprint', async () => {
    const { controller, reports, hashed } = controllerWith(async (path) => fingerprint(path));
    controller.start([file('/fw/a.bin', 'a'), file('/fw/b.bin', 'b')]);
    await settle();
    expect(hashed).toEqual([
      ['a', ['/fw/a.bin']],
      ['b', ['/fw/b.bin']],
    ]);
    expect(reports).toEqual([
      ['a', { kind: 'done', fingerprint: fingerprint('/fw/a.bin') }],
      ['b', { kind: 'done', fingerprint: fingerprint('/fw/b.bin') }],
    ]);
  });

  it('reports a failure as Text in both languages, whatever was thrown', async () => {
    const message = { en: 'Permission denied: /fw/a.bin', zh: '没有权限：/fw/a.bin' };
    const { controller, reports } = controllerWith(async (path) => {
      if (path === '/fw/a.bin') throw new IpcFailure({ kind: 'io', message });
      throw new Error('worker crashed');
    });
    controller.start([file('/fw/a.bin', 'a'), file('/fw/b.bin', 'b')]);
    await settle();
    expect(reports).toEqual([
      ['a', { kind: 'failed', error: message }],
      ['b', { kind: 'failed', error: { en: 'worker crashed', zh: 'worker crashed' } }],
    ]);
  });

  it('cancels only the runs still hashing, and a refused cancel is not an error', async () => {
    const { controller, cancelled } = controllerWith(async (path) => fingerprint(path));
    const running = file('/fw/a.bin', 'a');
    const finished = { ...file('/fw/b.bin', 'b'), hash: { ...running.hash, status: 'done' as const } };
    controller.cancel([running, finished]);
    // An unhandled rejection here would fail the run.
    await settle();
    expect(cancelled).toEqual(['a']);
  });

  it('stamps hash-progress events with their arrival', () => {
    const { controller, reports } = controllerWith(async (path) => fingerprint(path));
    controller.progress('a', 5, 10);
    expect(reports).toEqual([['a', { kind: 'progress', bytes: 5, total: 10, at: 42 }]]);
  });

  it('never hands out the same hashId twice', () => {
    const ids = new Set(Array.from({ length: 100 }, newHashId));
    expect(ids.size).toBe(100);
  });
});
