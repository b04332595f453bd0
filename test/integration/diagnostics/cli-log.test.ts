/**
 * The CLI's diagnostics log after real publishes to the sandbox (real processes, real HTTP): every
 * call with its status, RequestId and duration in `<data>/logs/cli.log`, the same lines on stderr
 * with `--verbose` (and only then), failures with the cloud's RequestId, outbox job transitions.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  lastJson,
  makeFile,
  runCli,
  startSandboxProcess,
  tempDir,
  type SandboxProcess,
} from '../helpers/cli.js';

const CALL = (action: string) =>
  new RegExp(
    String.raw`^\[[\d-]+ [\d:.]+\] \[info\] +(rpc|upload) ${action} host=127\.0\.0\.1:\d+ status=200 requestId=[0-9A-F-]{16,} \d+ ms.*$`,
    'm',
  );

describe('ota-publish writes a diagnostics log', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let sandbox: SandboxProcess;
  let dataDir: string;
  let n = 0;
  const logFile = () => join(dataDir, 'logs', 'cli.log');
  const env = (extra: NodeJS.ProcessEnv = {}) => ({ ...sandbox.env, OTA_PUBLISHER_HOME: dataDir, ...extra });

  async function publishArgs(extra: readonly string[]): Promise<string[]> {
    const i = ++n;
    const file = await makeFile(join(dir.path, `log-${i}.bin`), 200_000 + i);
    const pk = sandbox.info.products[0]!;
    return [
      'publish',
      file,
      '--product',
      pk,
      '--version',
      `2.0.${i}`,
      '--name',
      `log-${i}`,
      '--endpoint',
      sandbox.info.endpoint,
      ...extra,
    ];
  }

  beforeAll(async () => {
    dir = await tempDir('ota-cli-log-');
    dataDir = join(dir.path, 'data');
    sandbox = await startSandboxProcess(['--data-dir', join(dir.path, 'cloud')]);
  });
  afterAll(async () => {
    await sandbox?.stop();
    await dir?.remove();
  });

  it('logs every call of a publish with status, RequestId and duration; --verbose traces them on stderr', async () => {
    const r = await runCli(await publishArgs(['--json', '--verbose']), env());
    expect(r.code, r.stderr).toBe(0);
    const { firmwareId } = lastJson<{ firmwareId: string }>(r.stdout);
    const log = await readFile(logFile(), 'utf8');
    const actions = [
      'ListOTAFirmware', // the pre-flight's reads
      'ListOTAModuleByProduct',
      'GenerateOTAUploadURL',
      'PostObject',
      'CreateOTAFirmware',
      'QueryOTAFirmware',
    ];
    for (const action of actions) expect(log, action).toMatch(CALL(action));
    expect(log).toMatch(
      /rpc CreateOTAFirmware .*params=ProductKey=a1\w+,FirmwareName=log-1,DestVersion=2\.0\.1,.*FirmwareUrl,FirmwareSign,/,
    );
    expect(log).toMatch(new RegExp(`rpc QueryOTAFirmware .*params=FirmwareId=${firmwareId}$`, 'm'));
    expect(log).toMatch(/upload PostObject .* bytes=200001 /);
    expect(log).toMatch(
      /\[info\] +ota-publish \S+ publish --product --version --name --endpoint --json \(Node\.js/,
    );
    expect(log).toMatch(/\[info\] +exit 0$/m);
    // Each logged line, traced on stderr (without the date), and --json's stdout untouched by it.
    const logged = log.split('\n').filter((l) => / (rpc|upload) /.test(l));
    expect(logged).toHaveLength(actions.length);
    for (const line of logged)
      expect(r.stderr).toContain(line.replace(/^\[[\d-]+ ([\d:.]+)\] \[info\] +/, '[$1] '));
    expect(r.stdout).not.toMatch(/rpc |requestId=/);
  });

  it('traces nothing on stderr without --verbose, and logs a refused call with its RequestId', async () => {
    const wrong = 'Wr0ngS3cretForTheLog+/=';
    const r = await runCli(await publishArgs([]), env({ OTA_ACCESS_KEY_SECRET: wrong }));
    expect(r.code).toBe(3);
    expect(r.stderr).not.toMatch(/requestId=|rpc List/);
    const requestId = /RequestId: (\S+)/.exec(r.stderr)![1]!;
    const log = await readFile(logFile(), 'utf8');
    // The first call a wrong secret fails is the pre-flight's read.
    expect(log).toContain(
      `rpc ListOTAFirmware host=${new URL(sandbox.info.endpoint).host} status=400 requestId=${requestId} `,
    );
    expect(log).toMatch(/status=400 .* error=auth\/SignatureDoesNotMatch message="ListOTAFirmware failed/);
    expect(log).toMatch(/\[error\] +exit 3: ListOTAFirmware failed: SignatureDoesNotMatch/);
    expect(log).not.toContain(wrong);
    expect(log).not.toContain(sandbox.info.accessKeySecret);
  });

  it('logs the outbox runner job by job: running, each step, published', async () => {
    const queued = await runCli(
      await publishArgs(['--queue', '--json']),
      env({ OTA_ACCESS_KEY_SECRET: undefined }),
    );
    expect(queued.code, queued.stderr).toBe(0);
    const { jobId: id } = lastJson<{ jobId: string }>(queued.stdout);
    const run = await runCli(['outbox', 'run', '--once', '--verbose'], env());
    expect(run.code, run.stderr).toBe(0);
    const log = await readFile(logFile(), 'utf8');
    const transitions = log
      .split('\n')
      .filter((l) => l.includes(`job ${id} `))
      .map((l) => /job \S+ (.*)$/.exec(l)![1]!);
    expect(transitions[0]).toMatch(/^running/);
    expect(transitions.at(-1)).toMatch(/^published firmwareId=\w+/);
    expect(transitions.some((t) => t.includes('uploading 1/1'))).toBe(true);
    expect(run.stderr).toContain(`job ${id} running`);
    // --verbose is global: the command never sees it.
    expect(log).toMatch(/\[info\] +ota-publish \S+ outbox run --once \(Node\.js/);
  });
});
