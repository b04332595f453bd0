/**
 * The device and verify-job parsers on answers shaped as the reference documents them: Alibaba's
 * PascalCase with `Data.<Item>[]` wrappers, Tuya's camelCase, and the tolerated variants.
 */
import { describe, expect, it } from 'vitest';
import {
  parseDeviceDetail,
  parseDevicePage,
  parseModuleVersions,
  withoutSecrets,
} from '../../../electron/core/cloud/device-api.js';
import { CloudError } from '../../../electron/core/cloud/errors.js';
import { parseAnswer, type RpcAnswer } from '../../../electron/core/cloud/rpc-request.js';
import {
  cancelByDeviceParams,
  jobStatus,
  jobType,
  parseCreatedJob,
  parseJob,
  parseJobPage,
  parseTaskPage,
  reupgradeParams,
  supportsReupgrade,
  taskQueryParams,
  taskStatus,
  verifyJobParams,
} from '../../../electron/core/cloud/verify-api.js';

const SECRET_A = 'kS9dQm2XvP7rLw4TzN8bYc6HfJ3gAe5U';
const SECRET_B = 'Zz0SecretOfDeviceTwo0000000000zZ';

/** An answer as callRpc hands it over: through the same parse (lowercased keys). */
function answer(action: string, json: unknown): RpcAnswer {
  return { status: 200, body: parseAnswer(action, 200, JSON.stringify(json)), receivedAt: 0 };
}

/** Lower-cases the first letter of every key, as the Tuya-hosted service answers. */
function camel(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camel);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k.charAt(0).toLowerCase() + k.slice(1), camel(v)]),
  );
}

function expectNoSecret(value: unknown): void {
  const json = JSON.stringify(value);
  expect(json).not.toContain(SECRET_A);
  expect(json).not.toContain(SECRET_B);
  expect(json.toLowerCase()).not.toContain('devicesecret');
}

const QUERY_DEVICE = {
  RequestId: 'R-1',
  Success: true,
  Page: 2,
  PageSize: 2,
  PageCount: 3,
  Total: 5,
  Data: {
    DeviceInfo: [
      {
        DeviceName: 'bench-03',
        DeviceSecret: SECRET_A,
        IotId: 'iot-3',
        Nickname: 'lab',
        ProductKey: 'a1PK',
        DeviceStatus: 'ONLINE',
        GmtCreate: '2024-01-01 00:00:00',
        UtcCreate: '2024-01-01T00:00:00.000Z',
      },
      { DeviceName: 'bench-04', DeviceSecret: SECRET_B, ProductKey: 'a1PK', DeviceStatus: 'ASLEEP' },
      { DeviceSecret: SECRET_B, DeviceStatus: 'OFFLINE' },
    ],
  },
};

describe('QueryDevice', () => {
  const q = { productKey: 'a1PK', currentPage: 2, pageSize: 2 };

  it.each([
    ['Alibaba PascalCase', QUERY_DEVICE],
    ['Tuya camelCase', camel(QUERY_DEVICE)],
  ])('reads %s: Page as the current page, rows without a name skipped, unknown status', (_, json) => {
    const page = parseDevicePage(answer('QueryDevice', json), q);
    expect(page).toEqual({
      total: 5,
      currentPage: 2,
      pageSize: 2,
      pageCount: 3,
      items: [
        { deviceName: 'bench-03', productKey: 'a1PK', status: 'ONLINE', iotId: 'iot-3', nickname: 'lab' },
        {
          deviceName: 'bench-04',
          productKey: 'a1PK',
          status: 'UNKNOWN',
          iotId: undefined,
          nickname: undefined,
        },
      ],
    });
    expectNoSecret(page);
  });

  it('takes an unwrapped list, or a single object, and falls back on the query for paging', () => {
    const bare = {
      Success: true,
      Data: [{ DeviceName: 'd1', DeviceSecret: SECRET_A, DeviceStatus: 'DISABLE' }],
    };
    const one = { Success: true, Data: { DeviceInfo: { DeviceName: 'd2', DeviceSecret: SECRET_B } } };
    const a = parseDevicePage(answer('QueryDevice', bare), q);
    const b = parseDevicePage(answer('QueryDevice', one), q);
    expect(a).toMatchObject({ total: 1, currentPage: 2, pageSize: 2, pageCount: 1 });
    expect(a.items).toEqual([
      expect.objectContaining({ deviceName: 'd1', productKey: 'a1PK', status: 'DISABLE' }),
    ]);
    expect(b.items.map((d) => [d.deviceName, d.status])).toEqual([['d2', 'UNKNOWN']]);
    expectNoSecret([a, b]);
  });
});

describe('QueryDeviceDetail', () => {
  const detail = {
    RequestId: 'R-2',
    Success: true,
    Data: {
      IotId: 'iot-1',
      ProductKey: 'a1PK',
      DeviceName: 'bench-01',
      DeviceSecret: SECRET_A,
      FirmwareVersion: '1.0.3',
      Status: 'OFFLINE',
      Nickname: '',
      IpAddress: '10.0.0.9',
    },
  };

  it.each([
    ['PascalCase', detail],
    ['camelCase', camel(detail)],
  ])('reads FirmwareVersion and Status (%s), never the secret', (_, json) => {
    const d = parseDeviceDetail('QueryDeviceDetail', answer('QueryDeviceDetail', json), { productKey: 'x' });
    expect(d).toEqual({
      deviceName: 'bench-01',
      productKey: 'a1PK',
      status: 'OFFLINE',
      iotId: 'iot-1',
      nickname: undefined,
      firmwareVersion: '1.0.3',
    });
    expectNoSecret(d);
  });

  it('fails without Data.DeviceName, with the RequestId, and the error holds no secret', () => {
    const broken = { RequestId: 'R-3', Success: true, Data: { DeviceSecret: SECRET_A, Status: 'ONLINE' } };
    let thrown: unknown;
    try {
      parseDeviceDetail('QueryDeviceDetail', answer('QueryDeviceDetail', broken), { productKey: 'a1PK' });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(CloudError);
    expect(thrown).toMatchObject({
      kind: 'rejected',
      requestId: 'R-3',
      cloudMessage: expect.stringContaining('Data.DeviceName'),
    });
    expectNoSecret(thrown);
    expectNoSecret({ message: (thrown as Error).message, stack: (thrown as Error).stack });
  });

  it('withoutSecrets drops the key at any depth and keeps everything else', () => {
    const input = { a: { devicesecret: 's', b: [{ devicesecret: 't', c: 1 }] }, devicesecret: 'u' };
    expect(withoutSecrets(input)).toEqual({ a: { b: [{ c: 1 }] } });
    expect(input.devicesecret).toBe('u');
  });
});

describe('ListOTAModuleVersionsByDevice', () => {
  const modules = {
    RequestId: 'R-4',
    Success: true,
    Total: 2,
    PageSize: 10,
    PageCount: 1,
    CurrentPage: 1,
    Data: {
      SimpleOTAModuleInfo: [
        { DeviceName: 'bench-01', ModuleName: 'default', ModuleVersion: '1.0.0', ProductKey: 'a1PK' },
        { DeviceName: 'bench-01', ModuleName: 'mcu', ModuleVersion: '0.9', DeviceSecret: SECRET_A },
        { DeviceName: 'bench-01', ModuleName: 'empty' },
      ],
    },
  };

  it.each([
    ['under Data, PascalCase', modules],
    ['camelCase', camel(modules)],
    [
      'at the top level, as the reference writes it',
      { ...modules, Data: undefined, SimpleOTAModuleInfo: modules.Data.SimpleOTAModuleInfo },
    ],
  ])('reads the versions %s', (_, json) => {
    const page = parseModuleVersions(answer('ListOTAModuleVersionsByDevice', json), {
      currentPage: 1,
      pageSize: 10,
    });
    expect(page.items).toEqual([
      { moduleName: 'default', moduleVersion: '1.0.0' },
      { moduleName: 'mcu', moduleVersion: '0.9' },
    ]);
    expect(page).toMatchObject({ total: 2, pageCount: 1 });
    expectNoSecret(page);
  });
});

describe('verify jobs', () => {
  it('sends TargetDeviceName.N and TimeoutInMinutes, and requires Data.JobId', () => {
    expect(
      verifyJobParams({ firmwareId: 'F', productKey: 'P', deviceNames: ['a', 'b'], timeoutMinutes: 5 }),
    ).toEqual({
      FirmwareId: 'F',
      ProductKey: 'P',
      'TargetDeviceName.1': 'a',
      'TargetDeviceName.2': 'b',
      TimeoutInMinutes: 5,
    });
    const ok = {
      RequestId: 'R',
      Success: true,
      Data: { JobId: 'J1', UtcCreate: '2024-01-01T00:00:00.000Z' },
    };
    expect(parseCreatedJob('CreateOTAVerifyJob', answer('CreateOTAVerifyJob', ok))).toEqual({
      jobId: 'J1',
      utcCreate: '2024-01-01T00:00:00.000Z',
    });
    expect(parseCreatedJob('CreateOTAVerifyJob', answer('CreateOTAVerifyJob', camel(ok))).jobId).toBe('J1');
    const numeric = { requestId: 'R', success: true, data: { jobId: 178 } };
    expect(parseCreatedJob('CreateOTAVerifyJob', answer('CreateOTAVerifyJob', numeric)).jobId).toBe('178');
    expect(() =>
      parseCreatedJob('CreateOTAVerifyJob', answer('CreateOTAVerifyJob', { RequestId: 'R9', Success: true })),
    ).toThrow(expect.objectContaining({ kind: 'rejected', requestId: 'R9', action: 'CreateOTAVerifyJob' }));
  });

  const job = {
    RequestId: 'R',
    Success: true,
    Data: {
      JobId: 'J1',
      FirmwareId: 'F1',
      ProductKey: 'a1PK',
      DestVersion: '2.0.0',
      SrcVersions: { SrcVersion: ['1.0.0'] },
      JobType: 'VERFIY_FIRMWARE',
      JobStatus: 'COMPLETE',
      SelectionType: 'STATIC',
      TargetSelection: 'SPECIFIC',
      TimeoutInMinutes: 5,
      UtcCreate: 'c',
      UtcModified: 'm',
      UtcEndTime: 'e',
      Tags: { OtaTagDTO: [] },
    },
  };

  it.each([
    ['PascalCase', job],
    ['camelCase', camel(job)],
  ])('QueryOTAJob (%s): VERFIY_FIRMWARE is verify, COMPLETE is COMPLETED', (_, json) => {
    expect(parseJob('QueryOTAJob', answer('QueryOTAJob', json))).toEqual({
      jobId: 'J1',
      firmwareId: 'F1',
      productKey: 'a1PK',
      jobType: 'verify',
      jobStatus: 'COMPLETED',
      timeoutInMinutes: 5,
      destVersion: '2.0.0',
      utcCreate: 'c',
      utcModified: 'm',
      utcEndTime: 'e',
    });
  });

  it('normalises job types and statuses', () => {
    expect(
      ['VERFIY_FIRMWARE', 'verify_firmware', 'UPGRADE_FIRMWARE', 'DYNAMIC', undefined].map(jobType),
    ).toEqual(['verify', 'verify', 'upgrade', 'other', 'other']);
    expect(
      ['PLANNED', 'in_progress', 'COMPLETE', 'COMPLETED', 'CANCELED', 'PAUSED', undefined].map(jobStatus),
    ).toEqual(['PLANNED', 'IN_PROGRESS', 'COMPLETED', 'COMPLETED', 'CANCELED', 'UNKNOWN', 'UNKNOWN']);
    expect(['CONFIRM', 'succeeded', 'TIMEOUT', undefined].map(taskStatus)).toEqual([
      'CONFIRM',
      'SUCCEEDED',
      'UNKNOWN',
      'UNKNOWN',
    ]);
  });

  it('ListOTAJobByFirmware: SimpleOTAJobInfo rows, a row without JobId skipped, paging at the top', () => {
    const body = {
      RequestId: 'R',
      Success: true,
      Total: 3,
      PageSize: 2,
      PageCount: 2,
      CurrentPage: 1,
      Data: {
        SimpleOTAJobInfo: [
          { JobId: 'J2', FirmwareId: 'F1', JobType: 'UPGRADE_FIRMWARE', JobStatus: 'IN_PROGRESS' },
          { JobId: 'J1', FirmwareId: 'F1', JobType: 'VERFIY_FIRMWARE', JobStatus: 'COMPLETED' },
          { FirmwareId: 'F1', JobType: 'VERFIY_FIRMWARE' },
        ],
      },
    };
    for (const json of [body, camel(body)]) {
      const page = parseJobPage(answer('ListOTAJobByFirmware', json), { currentPage: 1, pageSize: 2 });
      expect(page).toMatchObject({ total: 3, pageSize: 2, pageCount: 2, currentPage: 1 });
      expect(page.items.map((j) => [j.jobId, j.jobType, j.jobStatus])).toEqual([
        ['J2', 'upgrade', 'IN_PROGRESS'],
        ['J1', 'verify', 'COMPLETED'],
      ]);
    }
  });
});

describe('ListOTATaskByJob', () => {
  const tasks = {
    RequestId: 'R',
    Success: true,
    Total: 4,
    PageCount: 1,
    PageSize: 10,
    CurrentPage: 1,
    Data: {
      SimpleOTATaskInfo: [
        {
          TaskId: 'T1',
          JobId: 'J1',
          FirmwareId: 'F1',
          DeviceName: 'bench-01',
          IotId: 'iot-1',
          ProductKey: 'a1PK',
          SrcVersion: '1.0.0',
          DestVersion: '2.0.0',
          TaskStatus: 'SUCCEEDED',
          Progress: '100',
          TaskDesc: '',
          Timeout: null,
          UtcCreate: 'c',
          UtcModified: 'm',
        },
        { TaskId: 'T2', DeviceName: 'bench-02', TaskStatus: 'FAILED', Progress: '250', TaskDesc: 'timeout' },
        { TaskId: 'T3', DeviceName: 'bench-03', TaskStatus: 'PAUSED', Progress: 'soon' },
        { TaskId: 'T4', TaskStatus: 'QUEUED', Progress: '0' },
        { DeviceName: 'bench-05', TaskStatus: 'QUEUED', Progress: '0' },
      ],
    },
  };
  const q = { jobId: 'J1', currentPage: 1, pageSize: 10 };

  it.each([
    ['PascalCase', tasks],
    ['camelCase', camel(tasks)],
  ])(
    'reads %s rows: string progress clamped, unknown status, rows without TaskId or DeviceName skipped',
    (_, json) => {
      const page = parseTaskPage(answer('ListOTATaskByJob', json), q);
      expect(page).toMatchObject({ total: 4, pageCount: 1, pageSize: 10, currentPage: 1 });
      expect(page.items).toEqual([
        {
          taskId: 'T1',
          deviceName: 'bench-01',
          status: 'SUCCEEDED',
          progress: 100,
          desc: undefined,
          srcVersion: '1.0.0',
          destVersion: '2.0.0',
          jobId: 'J1',
          utcCreate: 'c',
          utcModified: 'm',
        },
        expect.objectContaining({ taskId: 'T2', status: 'FAILED', progress: 100, desc: 'timeout' }),
        expect.objectContaining({ taskId: 'T3', status: 'UNKNOWN', progress: 0 }),
      ]);
      expect(page.items[0]?.progress).toBeTypeOf('number');
    },
  );

  it('a negative progress is 0; an empty Data is an empty page', () => {
    const neg = {
      Success: true,
      Data: { SimpleOTATaskInfo: { TaskId: 'T', DeviceName: 'd', Progress: '-3' } },
    };
    expect(parseTaskPage(answer('ListOTATaskByJob', neg), q).items.map((t) => t.progress)).toEqual([0]);
    const empty = parseTaskPage(answer('ListOTATaskByJob', { Success: true, Total: 0, Data: {} }), q);
    expect(empty).toEqual({ total: 0, currentPage: 1, pageSize: 10, pageCount: 0, items: [] });
  });

  it('sends DeviceNames.N and TaskStatus', () => {
    expect(taskQueryParams({ ...q, taskStatus: 'FAILED', deviceNames: ['a', 'b'] })).toEqual({
      JobId: 'J1',
      CurrentPage: 1,
      PageSize: 10,
      TaskStatus: 'FAILED',
      'DeviceNames.1': 'a',
      'DeviceNames.2': 'b',
    });
    expect(taskQueryParams(q)).toEqual({ JobId: 'J1', CurrentPage: 1, PageSize: 10, TaskStatus: undefined });
  });
});

describe('cancelling and retrying', () => {
  it('CancelOTATaskByDevice sends DeviceName.N; ReupgradeOTATask TaskId.N', () => {
    expect(
      cancelByDeviceParams({ productKey: 'P', firmwareId: 'F', jobId: 'J', deviceNames: ['x', 'y'] }),
    ).toEqual({
      ProductKey: 'P',
      FirmwareId: 'F',
      JobId: 'J',
      'DeviceName.1': 'x',
      'DeviceName.2': 'y',
    });
    expect(reupgradeParams({ jobId: 'J', taskIds: ['T1'] })).toEqual({ JobId: 'J', 'TaskId.1': 'T1' });
  });

  it('only the Alibaba dialect offers ReupgradeOTATask', () => {
    expect(supportsReupgrade('aliyun')).toBe(true);
    expect(supportsReupgrade('tuya')).toBe(false);
  });
});
