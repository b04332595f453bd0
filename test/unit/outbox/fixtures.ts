import { newJob, type Job } from '../../../electron/core/publish/job/job.js';

/** A queued job for a one-file package; no file needs to exist for journal-level tests. */
export function sampleJob(name: string, createdAt = Date.now()): Job {
  const job = newJob(
    {
      spec: {
        productKey: 'a1SandboxPK',
        firmwareName: name,
        destVersion: '1.0.0',
        type: 'full',
        signMethod: 'MD5',
        needToVerify: true,
        files: [{ path: `/builds/${name}.bin` }],
      },
      files: [
        {
          path: `/builds/${name}.bin`,
          name: `${name}.bin`,
          size: 1234,
          mtimeMs: 1_700_000_000_123.5,
          md5: 'd41d8cd98f00b204e9800998ecf8427e',
          sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
        },
      ],
    },
    { dialect: 'aliyun', endpoint: 'http://127.0.0.1:9' },
  );
  return { ...job, createdAt, updatedAt: createdAt };
}
