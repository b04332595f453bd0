/**
 * No output and no file of the CLI ever contains a secret. Real CLI processes publish with a known,
 * distinctive AccessKey secret through success, failure, retry, outbox and proxy paths; every
 * stdout/stderr and every file they write (data dir, HOME, XDG dirs, TMPDIR) is searched for the
 * secret in raw, partial, base64 (any alignment), URL-encoded and hex forms — and for the sandbox's
 * DeviceSecrets, which the device APIs answer, through devices, verify and a queued verification.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  lastJson,
  makeFile,
  runCli,
  setFaults,
  startSandboxProcess,
  tempDir,
  type CliResult,
  type SandboxProcess,
} from './helpers/cli.js';
import { cleanEnv } from './network/run.js';
import { freePort, hasTool, startTinyproxy, type Tinyproxy } from './network/tools.js';

const SECRET = 'LkC4n4ry+Zq9/S3cr3t=Wx!Tp*0aB7';
const WRONG_SECRET = 'Wr0ngC4n4ry+Xy/Zz=Qp!9Cd*Lm3';
// tinyproxy's config grammar only takes plain characters in BasicAuth.
const PROXY_PASSWORD = 'PrxC4n4ry-Pw9Kd7';
const ACCESS_KEY_ID = 'LTAI5tLeakTestKeyId01';

/** Every form in which a secret could slip out. */
function needles(secret: string): string[] {
  const out = new Set<string>([secret, encodeURIComponent(secret), Buffer.from(secret).toString('hex')]);
  out.add(
    encodeURIComponent(secret).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
  );
  // Any 12 consecutive characters: a truncated or partly masked secret is still a leak.
  for (let i = 0; i + 12 <= secret.length; i++) out.add(secret.slice(i, i + 12));
  // Base64 of the secret embedded at any offset of a larger value (e.g. "id:secret" in Basic auth):
  // the characters that depend only on the secret's bytes, for each of the three alignments.
  for (let k = 0; k < 3; k++) {
    const enc = Buffer.concat([Buffer.alloc(k, 0x3a), Buffer.from(secret)]).toString('base64');
    const core = enc.slice(Math.ceil(k / 3) * 4, Math.floor((k + secret.length) / 3) * 4);
    out.add(core);
    out.add(core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return [...out].filter((n) => n.length >= 8);
}

const ALL_NEEDLES = [SECRET, WRONG_SECRET, PROXY_PASSWORD].flatMap((s) =>
  needles(s).map((n) => [s, n] as const),
);

/** The sandbox's device secrets, known once it runs: the device APIs answer them, nothing may keep one. */
function addDeviceSecrets(secrets: readonly string[]): void {
  for (const s of secrets) ALL_NEEDLES.push(...needles(s).map((n) => [s, n] as const));
}

/** The needles found in `haystack`. */
function leaks(haystack: string): string[] {
  return ALL_NEEDLES.filter(([, n]) => haystack.includes(n)).map(([s, n]) => `${n} (of ${s})`);
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('no secret in any output or file of the CLI', () => {
  let root: Awaited<ReturnType<typeof tempDir>>;
  let sandbox: SandboxProcess;
  let proxy: Tinyproxy | undefined;
  /** Everything the CLI may write lives here; the sandbox (the "cloud") and tinyproxy live outside. */
  let clientDir: string;
  let work: string;
  const outputs: { label: string; result: CliResult }[] = [];
  let n = 0;

  const baseEnv = (): NodeJS.ProcessEnv =>
    cleanEnv({
      HOME: join(clientDir, 'home'),
      XDG_CONFIG_HOME: join(clientDir, 'xdg-config'),
      XDG_DATA_HOME: join(clientDir, 'xdg-data'),
      XDG_CACHE_HOME: join(clientDir, 'xdg-cache'),
      TMPDIR: join(clientDir, 'tmp'),
      OTA_PUBLISHER_HOME: join(clientDir, 'data'),
      OTA_ACCESS_KEY_ID: ACCESS_KEY_ID,
      OTA_ACCESS_KEY_SECRET: SECRET,
    });

  async function cli(
    label: string,
    args: readonly string[],
    env: NodeJS.ProcessEnv = {},
  ): Promise<CliResult> {
    const result = await runCli(args, { ...baseEnv(), ...env });
    outputs.push({ label, result });
    return result;
  }

  async function publishArgs(extra: readonly string[] = []): Promise<string[]> {
    const i = ++n;
    const file = await makeFile(join(work, `leak-${i}.bin`), 300_000 + i);
    return [
      'publish',
      file,
      '--product',
      sandbox.info.products[0]!,
      '--version',
      `9.0.${i}`,
      '--name',
      `leak-${i}`,
      '--endpoint',
      sandbox.info.endpoint,
      ...extra,
    ];
  }

  beforeAll(async () => {
    root = await tempDir('ota-leak-');
    clientDir = join(root.path, 'client');
    work = join(root.path, 'work');
    for (const d of ['home', 'xdg-config', 'xdg-data', 'xdg-cache', 'tmp', 'data'])
      await mkdir(join(clientDir, d), { recursive: true });
    await mkdir(work);
    sandbox = await startSandboxProcess([
      '--data-dir',
      join(root.path, 'cloud'),
      '--access-key-id',
      ACCESS_KEY_ID,
      '--access-key-secret',
      SECRET,
      '--device-step-ms',
      '20',
    ]);
    addDeviceSecrets(sandbox.info.devices.map((d) => d.deviceSecret));
    if (hasTool('tinyproxy')) {
      await mkdir(join(root.path, 'proxy'));
      proxy = await startTinyproxy(join(root.path, 'proxy'), {
        basicAuth: { user: 'lab', password: PROXY_PASSWORD },
      });
    }
  });
  afterAll(async () => {
    await proxy?.stop();
    await sandbox?.stop();
    await root?.remove();
  });

  it('the search finds the secret where it is (the sandbox prints its own secret by design)', () => {
    expect(leaks(JSON.stringify(sandbox.info))).not.toEqual([]);
    expect(leaks(`Basic ${Buffer.from(`lab:${PROXY_PASSWORD}`).toString('base64')}`)).not.toEqual([]);
    expect(leaks(`x=${encodeURIComponent(SECRET)}&`)).not.toEqual([]);
    expect(leaks(`…${SECRET.slice(3, 17)}…`)).not.toEqual([]);
    expect(leaks('nothing secret here')).toEqual([]);
    expect(sandbox.info.devices).toHaveLength(3);
    expect(leaks(JSON.stringify(sandbox.info.devices[2]))).not.toEqual([]);
  });

  it('runs every path, then finds no secret in any output or written file', async () => {
    const ok = (r: CliResult, label: string) => expect(r.code, `${label}: ${r.stderr}`).toBe(0);

    ok(await cli('publish --json', await publishArgs(['--json'])), 'publish --json');
    ok(await cli('publish (zh, human output)', await publishArgs(), { OTA_LANG: 'zh' }), 'publish zh');

    const wrong = await cli('wrong secret --json', await publishArgs(['--json']), {
      OTA_ACCESS_KEY_SECRET: WRONG_SECRET,
    });
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toMatch(/SignatureDoesNotMatch/);
    expect(
      (await cli('wrong secret', await publishArgs(), { OTA_ACCESS_KEY_SECRET: WRONG_SECRET })).code,
    ).toBe(3);

    await setFaults(sandbox.info, { rpcErrors: { code: 'Throttling.User', count: 3 } });
    const throttled = await cli('throttled retries', await publishArgs());
    ok(throttled, 'throttled');
    expect(throttled.stderr).toMatch(/retry|Throttling/i);

    await setFaults(sandbox.info, { rpcErrors: { code: 'iot.system.SystemException', count: 2 } });
    ok(await cli('system exception retries', await publishArgs(['--json'])), 'system exception');

    await setFaults(sandbox.info, { dropOssAfterBytes: 100_000 });
    ok(await cli('dropped upload', await publishArgs()), 'dropped upload');

    await setFaults(sandbox.info, { dropCreateResponse: 1 });
    await cli('lost create response', await publishArgs(['--json']));

    // The outbox: in the default data dir (OTA_PUBLISHER_HOME) and in an explicit one.
    const queuedOk = await cli('queue', await publishArgs(['--queue', '--json']), {
      OTA_ACCESS_KEY_SECRET: undefined,
    });
    ok(queuedOk, 'queue');
    ok(await cli('outbox run', ['outbox', 'run', '--once']), 'outbox run');
    const explicit = join(work, 'outbox-data');
    const queuedBad = await cli(
      'queue (explicit dir)',
      await publishArgs(['--queue', '--json', '--data-dir', explicit]),
    );
    ok(queuedBad, 'queue explicit');
    await cli('outbox run, wrong secret', ['outbox', 'run', '--once', '--data-dir', explicit], {
      OTA_ACCESS_KEY_SECRET: WRONG_SECRET,
    });
    const listed = await cli('outbox list --json', ['outbox', 'list', '--json', '--data-dir', explicit]);
    const [job] = lastJson<{ id: string; state: string; error: { code: string } | null }[]>(listed.stdout);
    expect(job?.state).toBe('failed');
    expect(job?.error?.code).toBe('SignatureDoesNotMatch');
    await cli('outbox list', ['outbox', 'list', '--data-dir', explicit]);
    await cli('outbox retry', ['outbox', 'retry', job!.id, '--data-dir', explicit]);
    ok(await cli('outbox run after retry', ['outbox', 'run', '--once', '--data-dir', explicit]), 'retry run');
    await cli('outbox list (default dir)', ['outbox', 'list', '--json']);

    // Bench devices: the device APIs answer every DeviceSecret; none may come out or be kept.
    const pk = ['--product', sandbox.info.products[0]!, '--endpoint', sandbox.info.endpoint];
    ok(await cli('devices --json', ['devices', ...pk, '--json']), 'devices --json');
    ok(await cli('devices', ['devices', ...pk]), 'devices');
    const verified = await cli(
      'publish --verify-on',
      await publishArgs(['--verify-on', 'bench-01', '--json']),
    );
    ok(verified, 'publish --verify-on');
    const { firmwareId, verify } = lastJson<{ firmwareId: string; verify: { jobId: string } }>(
      verified.stdout,
    );
    const plain = await cli('publish, to verify', await publishArgs(['--json']));
    const unverified = lastJson<{ firmwareId: string }>(plain.stdout).firmwareId;
    expect(unverified).not.toBe(firmwareId);
    ok(await cli('verify', ['verify', unverified, ...pk, '--device', 'bench-02']), 'verify');
    ok(
      await cli('verify --job', ['verify', '--job', verify.jobId, ...pk.slice(2), '--json']),
      'verify --job',
    );
    ok(
      await cli('queue --verify-on', await publishArgs(['--queue', '--verify-on', 'bench-03'])),
      'queue verify',
    );
    ok(await cli('outbox run (verify)', ['outbox', 'run', '--once']), 'outbox run verify');
    ok(await cli('outbox list (verify)', ['outbox', 'list']), 'outbox list verify');

    // Unreachable cloud and usage errors with the secret in the environment.
    const port = await freePort();
    const offline = await cli('unreachable', [
      ...(await publishArgs()).slice(0, -2),
      '--endpoint',
      `http://127.0.0.1:${port}`,
    ]);
    expect(offline.code).toBe(4);
    expect((await cli('bad flag', [...(await publishArgs()), '--sign-method', 'CRC'])).code).toBe(2);

    if (proxy) {
      const [, hostPort] = proxy.url.split('//');
      const viaProxy = {
        HTTP_PROXY: `http://lab:${encodeURIComponent(PROXY_PASSWORD)}@${hostPort}`,
        NO_PROXY: '',
      };
      ok(await cli('through an authenticating proxy', await publishArgs(['--json']), viaProxy), 'proxy');
      const denied = await cli('proxy login refused', await publishArgs(), {
        HTTP_PROXY: `http://lab:x${encodeURIComponent(PROXY_PASSWORD)}@${hostPort}`,
        NO_PROXY: '',
      });
      expect(denied.code).toBe(3);
      const socks = await cli('unsupported proxy', await publishArgs(), {
        ALL_PROXY: `socks5://lab:${PROXY_PASSWORD}@127.0.0.1:1080`,
      });
      expect(socks.code).not.toBe(0);
    }

    // The publish history, printed every way (searched below, with history.jsonl itself).
    for (const flag of ['--json', '--csv', '--since=2000-01-01']) {
      ok(await cli(`history ${flag}`, ['history', flag]), `history ${flag}`);
      ok(await cli(`history ${flag} (explicit dir)`, ['history', flag, '--data-dir', explicit]), 'history');
    }
    const history = await cli('history, default dir', ['history', '--json']);
    const { records } = lastJson<{ records: { event: string; outboxJobId: string | null }[] }>(
      history.stdout,
    );
    // Direct, queued and verification records were all written (so all were searched).
    expect(records.some((r) => r.event === 'publish' && r.outboxJobId === null)).toBe(true);
    expect(records.some((r) => r.event === 'publish' && r.outboxJobId !== null)).toBe(true);
    expect(records.filter((r) => r.event === 'verification').length).toBeGreaterThanOrEqual(3);
    const historyFiles = [join(clientDir, 'data', 'history.jsonl'), join(explicit, 'history.jsonl')];
    for (const file of historyFiles) {
      // Nothing of an upload ticket or a signed request either.
      expect(await readFile(file, 'utf8')).not.toMatch(/policy|signature|token|secret|OSSAccessKeyId/i);
    }

    // The scan.
    const found: string[] = [];
    for (const { label, result } of outputs) {
      for (const l of leaks(result.stdout)) found.push(`${label} stdout: ${l}`);
      for (const l of leaks(result.stderr)) found.push(`${label} stderr: ${l}`);
    }
    const files = [...(await filesUnder(clientDir)), ...(await filesUnder(work))];
    // The journal, its jobs and the hashed firmware must all have been searched.
    expect(files.some((f) => f.includes(join('data', 'outbox')))).toBe(true);
    expect(files.some((f) => f.startsWith(explicit))).toBe(true);
    for (const file of historyFiles) expect(files).toContain(file);
    for (const file of files) {
      for (const l of leaks(file)) found.push(`file name ${file}: ${l}`);
      for (const l of leaks((await readFile(file)).toString('latin1'))) found.push(`${file}: ${l}`);
    }
    expect(outputs.length).toBeGreaterThanOrEqual(25);
    expect(found).toEqual([]);
  });
});
