/** The device sign-in, topic rules and report parsing of the sandbox's broker (pure functions). */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  connectOptions,
  devicePassword,
  parseClientId,
  parseUsername,
} from '../../../../electron/core/sandbox/devices/credentials.js';
import { deviceEvent } from '../../../../electron/core/sandbox/devices/messages.js';
import { mayUseTopic } from '../../../../electron/core/sandbox/devices/topics.js';

const ref = { productKey: 'a1SandboxPK', deviceName: 'bench-01' };
const json = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('device sign-in', () => {
  it('reads the clientId the official SDK sends and checks its password', () => {
    const parts = parseClientId(
      'a1SandboxPK&bench-01|securemode=3,signmethod=hmacsha1,timestamp=1796154923935,lan=NodeJS,_v=1.2.8|',
    );
    expect(parts).toEqual({
      clientId: 'a1SandboxPK&bench-01',
      signMethod: 'hmacsha1',
      timestamp: '1796154923935',
    });
    const expected = createHmac('sha1', 's3cret')
      .update('clientIda1SandboxPK&bench-01deviceNamebench-01productKeya1SandboxPKtimestamp1796154923935')
      .digest('hex');
    expect(devicePassword(ref, parts!, 's3cret')).toBe(expected);
    expect(parseClientId('no-pipes')).toBeUndefined();
    expect(parseClientId('x|securemode=3,signmethod=rsa,timestamp=1|')).toBeUndefined();
    expect(parseUsername('bench-01&a1SandboxPK')).toEqual(ref);
    expect(parseUsername('bench-01')).toBeUndefined();
  });

  it('builds connect options whose password matches its own clientId', () => {
    const options = connectOptions(ref, 's3cret', 42);
    const parts = parseClientId(options.clientId)!;
    expect(options.username).toBe('bench-01&a1SandboxPK');
    expect(options.password).toBe(devicePassword(ref, parts, 's3cret'));
  });
});

describe('device topics', () => {
  it("allows a device's own topics only, wildcards never standing for another device", () => {
    expect(mayUseTopic(ref, '/ota/device/inform/a1SandboxPK/bench-01')).toBe(true);
    expect(mayUseTopic(ref, '/sys/a1SandboxPK/bench-01/thing/event/property/post')).toBe(true);
    expect(mayUseTopic(ref, '/a1SandboxPK/bench-01/user/get')).toBe(true);
    expect(mayUseTopic(ref, '/ota/device/inform/a1SandboxPK/bench-02')).toBe(false);
    expect(mayUseTopic(ref, '/ota/device/upgrade/a1SandboxPK/+')).toBe(false);
    expect(mayUseTopic(ref, '/sys/a1SandboxPK/+/#')).toBe(false);
    expect(mayUseTopic(ref, '/sys/a1SandboxPK/bench-01/')).toBe(false);
    expect(mayUseTopic(ref, '#')).toBe(false);
  });
});

describe('device reports', () => {
  const progress = '/ota/device/progress/a1SandboxPK/bench-01';
  it('reads progress and inform, with steps as strings or numbers', () => {
    expect(deviceEvent(ref, progress, json({ id: '1', params: { step: '-3', desc: 'bad sign' } }))).toEqual({
      type: 'progress',
      device: ref,
      step: -3,
      desc: 'bad sign',
    });
    expect(deviceEvent(ref, progress, json({ params: { step: 40, module: 'wifi' } }))).toMatchObject({
      step: 40,
      module: 'wifi',
    });
    expect(
      deviceEvent(ref, '/ota/device/inform/a1SandboxPK/bench-01', json({ params: { version: '2.0.0' } })),
    ).toEqual({
      type: 'inform',
      device: ref,
      version: '2.0.0',
      module: 'default',
    });
  });

  it('ignores malformed and foreign reports', () => {
    for (const payload of [
      'not json',
      'null',
      '[]',
      '{"params": 3}',
      '{"params": {"step": "101"}}',
      '{"params": {"step": "1.5"}}',
    ])
      expect(deviceEvent(ref, progress, Buffer.from(payload))).toBeUndefined();
    expect(
      deviceEvent(ref, '/ota/device/inform/a1SandboxPK/bench-01', json({ params: { version: '' } })),
    ).toBeUndefined();
    expect(
      deviceEvent(ref, '/ota/device/progress/a1SandboxPK/bench-02', json({ params: { step: '5' } })),
    ).toBeUndefined();
    expect(deviceEvent(ref, '/sys/a1SandboxPK/bench-01/x', json({ params: { step: '5' } }))).toBeUndefined();
  });
});
