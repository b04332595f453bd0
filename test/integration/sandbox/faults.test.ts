import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_PRODUCT_KEY, type Sandbox } from '../../../electron/core/sandbox/index.js';
import {
  httpRequest,
  postForm,
  signedCall,
  sleep,
  standardParts,
  tempSandbox,
  ticket,
  upload,
} from './helpers.js';
import { clearFaults, currentFaults, sandboxState, setFaults } from './control-client.js';

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

async function start(): Promise<Sandbox> {
  const made = await tempSandbox();
  cleanup = made.cleanup;
  return made.sandbox;
}

describe('sandbox fault injection', () => {
  it('fails the next K RPC calls with the injected error, then recovers', async () => {
    const sandbox = await start();
    sandbox.faults.set({ rpcErrors: { code: 'iot.system.SystemException', count: 2 } });
    const a = await signedCall(sandbox, 'GenerateOTAUploadURL');
    expect(a).toMatchObject({ status: 200, body: { Success: false, Code: 'iot.system.SystemException' } });
    expect(sandbox.faults.current()).toEqual({ rpcErrors: { code: 'iot.system.SystemException', count: 1 } });
    // Unauthenticated calls do not consume the fault.
    const bad = await signedCall(
      sandbox,
      'GenerateOTAUploadURL',
      {},
      { secret: 'wrong', retryThrottled: false },
    );
    expect(bad.body.Code).toBe('SignatureDoesNotMatch');
    const b = await signedCall(sandbox, 'GenerateOTAUploadURL');
    expect(b.body.Code).toBe('iot.system.SystemException');
    const c = await signedCall(sandbox, 'GenerateOTAUploadURL');
    expect(c.body.Success).toBe(true);
    expect(sandbox.faults.current()).toEqual({});

    // Same through the control endpoint.
    await setFaults(sandbox, { rpcErrors: { code: 'Throttling.User', count: 1 } });
    expect(await currentFaults(sandbox)).toEqual({ rpcErrors: { code: 'Throttling.User', count: 1 } });
    const throttled = await signedCall(sandbox, 'GenerateOTAUploadURL', {}, { retryThrottled: false });
    expect(throttled).toMatchObject({ status: 400, body: { Code: 'Throttling.User' } });
    const invalid = await httpRequest(`${sandbox.endpoint}/__sandbox/faults`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'x-sandbox-token': sandbox.controlToken },
      body: '{"rpcErrors":{"code":"Nope","count":1}}',
    });
    expect(invalid.status).toBe(400);
    expect(JSON.parse(invalid.text).error).toMatch(/^rpcErrors must be/);
  });

  it('commits a CreateOTAFirmware but drops its response', async () => {
    const sandbox = await start();
    const t = await upload(sandbox, Buffer.from('image'));
    sandbox.faults.set({ dropCreateResponse: 1 });
    await expect(
      signedCall(sandbox, 'CreateOTAFirmware', {
        ProductKey: DEMO_PRODUCT_KEY,
        DestVersion: '1',
        FirmwareName: 'dropped',
        FirmwareUrl: t.FirmwareUrl,
      }),
    ).rejects.toThrow(/socket hang up|ECONNRESET/);
    expect((await sandboxState(sandbox)).firmware.map((f) => f.FirmwareName)).toEqual(['dropped']);
    // A retry (as a client would do) sees the name taken: the first call did commit.
    const retry = await signedCall(sandbox, 'CreateOTAFirmware', {
      ProductKey: DEMO_PRODUCT_KEY,
      DestVersion: '1',
      FirmwareName: 'dropped',
      FirmwareUrl: t.FirmwareUrl,
    });
    expect(retry.body.Code).toBe('iot.ota.AlreadyExistedFirmwareName');
    const listed = await signedCall(sandbox, 'ListOTAFirmware', { CurrentPage: '1', PageSize: '5' });
    expect(listed.body.Total).toBe(1);
  });

  it('drops the next PostObject connection after N body bytes, once', async () => {
    const sandbox = await start();
    const t = await ticket(sandbox);
    const file = Buffer.alloc(200_000, 9);
    await setFaults(sandbox, { dropOssAfterBytes: 50_000 });
    await expect(postForm(t.Host, standardParts(t, file))).rejects.toThrow(/ECONNRESET|EPIPE|socket hang up/);
    await sleep(100);
    expect((await sandboxState(sandbox)).objects).toBe(0);
    expect(sandbox.faults.current()).toEqual({});
    const again = await postForm(t.Host, standardParts(t, file));
    expect(again.status).toBe(204);
  });

  it('delays responses until cleared', async () => {
    const sandbox = await start();
    sandbox.faults.set({ delayMs: 300 });
    const started = Date.now();
    await signedCall(sandbox, 'GenerateOTAUploadURL');
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    await clearFaults(sandbox);
    const quick = Date.now();
    await signedCall(sandbox, 'GenerateOTAUploadURL');
    expect(Date.now() - quick).toBeLessThan(250);
  });

  it('state exposes no secret', async () => {
    const sandbox = await start();
    await upload(sandbox, Buffer.from('x'));
    const state = await sandboxState(sandbox);
    expect(JSON.stringify(state)).not.toContain(sandbox.accessKeySecret);
    expect(JSON.stringify(state)).not.toContain(sandbox.controlToken);
    expect(state.objects).toBe(1);
  });
});
