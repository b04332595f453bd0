import type { HistoryRecord } from '../../../../electron/core/publish/history/record.js';

/** A complete publish record; `changes` override fields. */
export function sampleRecord(changes: Partial<HistoryRecord> = {}): HistoryRecord {
  return {
    v: 1,
    key: 'job-1:publish',
    event: 'publish',
    at: '2026-05-01T08:00:00.000Z',
    user: 'ana',
    profile: 'lab',
    cloud: {
      dialect: 'aliyun',
      endpoint: 'https://iot.cn-shanghai.aliyuncs.com',
      regionId: 'cn-shanghai',
      instanceId: null,
      sandbox: false,
    },
    productKey: 'a1Prod',
    firmwareName: 'fw-1',
    destVersion: '1.0.0',
    srcVersion: null,
    moduleName: null,
    type: 'full',
    signMethod: 'MD5',
    firmwareId: 'FW1',
    files: [{ name: 'app.bin', size: 10, md5: 'a'.repeat(32), sha256: 'b'.repeat(64) }],
    outboxJobId: null,
    verify: null,
    ...changes,
  };
}
