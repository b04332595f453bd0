import { describe, expect, it } from 'vitest';
import { Faults, parseFaultPlan } from '../../../electron/core/sandbox/faults.js';
import { camelCaseKeys } from '../../../electron/core/sandbox/responses.js';

describe('sandbox faults', () => {
  it('consumes one-shot and counted faults', () => {
    const faults = new Faults();
    expect(faults.takeOssDrop()).toBeUndefined();
    faults.set({
      dropOssAfterBytes: 10,
      dropCreateResponse: 2,
      rpcErrors: { code: 'Throttling.User', count: 1 },
      delayMs: 5,
    });
    expect(faults.takeOssDrop()).toBe(10);
    expect(faults.takeOssDrop()).toBeUndefined();
    expect(faults.takeRpcError()).toBe('Throttling.User');
    expect(faults.takeRpcError()).toBeUndefined();
    expect(faults.takeCreateDrop()).toBe(true);
    expect(faults.current()).toEqual({ dropCreateResponse: 1, delayMs: 5 });
    expect(faults.takeCreateDrop()).toBe(true);
    expect(faults.takeCreateDrop()).toBe(false);
    expect(faults.delayMs()).toBe(5);
    faults.clear();
    expect(faults.current()).toEqual({});
  });

  it('rejects malformed plans', () => {
    expect(parseFaultPlan({ delayMs: -1 })).toBeTypeOf('string');
    expect(parseFaultPlan({ unknown: 1 })).toBeTypeOf('string');
    expect(parseFaultPlan({ rpcErrors: { code: 'x', count: 1 } })).toBeTypeOf('string');
    expect(parseFaultPlan([])).toBeTypeOf('string');
    expect(() => new Faults().set({ delayMs: 1.5 })).toThrow(TypeError);
  });

  it('caps delays at 120 s and counts at 1000, naming the field and the cap', () => {
    expect(parseFaultPlan({ delayMs: 120_000, delayCount: 1000, dropCreateResponse: 1000 })).toEqual({
      delayMs: 120_000,
      delayCount: 1000,
      dropCreateResponse: 1000,
    });
    expect(parseFaultPlan({ delayMs: 2_147_483_647 })).toBe('delayMs must be an integer from 0 to 120000.');
    expect(parseFaultPlan({ delayMs: 120_001 })).toBe('delayMs must be an integer from 0 to 120000.');
    expect(parseFaultPlan({ delayCount: 1001 })).toBe('delayCount must be an integer from 0 to 1000.');
    expect(parseFaultPlan({ dropCreateResponse: 1e9 })).toBe(
      'dropCreateResponse must be an integer from 0 to 1000.',
    );
    expect(parseFaultPlan({ rpcErrors: { code: 'Throttling.User', count: 1001 } })).toMatch(
      /^rpcErrors .*integer from 0 to 1000/,
    );
    expect(parseFaultPlan({ dropOssAfterBytes: 2 ** 53 })).toBe(
      'dropOssAfterBytes must be a non-negative integer.',
    );
    expect(() => new Faults().set({ delayMs: 2_147_483_647 })).toThrow(/delayMs .* 120000/);
  });
});

describe('tuya key casing', () => {
  it('camel-cases keys at every level but keeps OSSAccessKeyId', () => {
    expect(
      camelCaseKeys({
        RequestId: 'r',
        Data: { FirmwareUrl: 'u', OSSAccessKeyId: 'k', MultiFiles: [{ Name: 'n' }] },
      }),
    ).toEqual({
      requestId: 'r',
      data: { firmwareUrl: 'u', OSSAccessKeyId: 'k', multiFiles: [{ name: 'n' }] },
    });
  });
});
