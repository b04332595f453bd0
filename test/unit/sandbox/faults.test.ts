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
