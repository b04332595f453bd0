import { describe, expect, it } from 'vitest';
import { toIpcError } from '../../../electron/core/app/ipc-error.js';
import { DataFolderError } from '../../../electron/core/files/file-errors.js';
import { jobError } from '../../../electron/core/publish/job/job.js';

describe('a data folder that cannot be written, as the window and the outbox see it', () => {
  const error = new DataFolderError('full', 'ENOSPC', '/data/outbox/jobs/x.json');

  it('reaches the renderer with what failed and what to do, in both languages', () => {
    const ipc = toIpcError(error);
    expect(ipc.kind).toBe('data-folder');
    expect(ipc.code).toBe('ENOSPC');
    expect(ipc.message.en).toContain('/data/outbox/jobs/x.json');
    expect(ipc.message.zh).toContain('/data/outbox/jobs/x.json');
    expect(ipc.message.en).not.toBe(ipc.message.zh);
  });

  it('keeps its hint in a job record', () => {
    expect(jobError(error)).toMatchObject({ code: 'ENOSPC', hint: error.hint });
  });
});
