// Soak test of the offline outbox (not in CI): hundreds of trials of random SIGKILLs, random cloud
// faults and sandbox restarts against the built CLI (out/cli/ota-publish.mjs) and its sandbox,
// all on loopback. Prints trials, published, duplicates and lost; exits 1 unless duplicates,
// lost and failed are all 0.
//
//   node scripts/soak-outbox.mjs [--trials N] [--max-seconds S] [--keep]
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    trials: { type: 'string', default: '300' },
    'max-seconds': { type: 'string', default: '3600' },
    keep: { type: 'boolean', default: false },
  },
});
const TRIALS = Number(values.trials);
const DEADLINE = Date.now() + Number(values['max-seconds']) * 1000;
const CLI = resolve('out/cli/ota-publish.mjs');
const KEY = { id: 'soak-key', secret: 'soakSecret0123456789abcdefghij' };
const ENV = { ...process.env, OTA_LANG: 'en', OTA_ACCESS_KEY_ID: KEY.id, OTA_ACCESS_KEY_SECRET: KEY.secret };
const PRODUCT = 'a1SandboxPK';
/** Upload policies live this long, so long delays also make them expire. */
const TTL_SECONDS = 3;

const rand = (n) => Math.floor(Math.random() * n);
const chance = (p) => Math.random() < p;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const dir = await mkdtemp(join(tmpdir(), 'ota-soak-'));
const home = join(dir, 'home');
const port = await freePort();
const endpoint = `http://127.0.0.1:${port}`;
const stats = { kills: 0, terms: 0, onceRuns: 0, pairs: 0, sandboxRestarts: 0, sandboxKills: 0, faults: {} };

async function freePort() {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port: p } = server.address();
  server.close();
  await once(server, 'close');
  return p;
}

function run(args, timeoutMs = 120_000) {
  return new Promise((done) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, stdout, stderr });
    });
  });
}

let sandbox;
let controlToken; // new with every start: the banner's, for the /__sandbox/ controls
async function startSandbox() {
  const args = ['sandbox', '--port', String(port), '--data-dir', join(dir, 'cloud')];
  args.push(
    '--access-key-id',
    KEY.id,
    '--access-key-secret',
    KEY.secret,
    '--upload-url-ttl',
    String(TTL_SECONDS),
  );
  for (let tries = 0; ; tries++) {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stderr.resume();
    const line = await Promise.race([
      once(createInterface({ input: child.stdout }), 'line').then(([l]) => l),
      once(child, 'exit').then(() => undefined),
    ]);
    if (line) {
      controlToken = JSON.parse(line).controlToken;
      return (sandbox = child);
    }
    if (tries > 20) throw new Error('the sandbox does not start');
    await sleep(250); // the port may still be held by the previous instance for a moment
  }
}
async function stopSandbox(signal) {
  if (!sandbox || sandbox.exitCode !== null || sandbox.signalCode !== null) return;
  const exited = once(sandbox, 'exit');
  sandbox.kill(signal);
  await exited;
}
const sandboxUp = () => sandbox && sandbox.exitCode === null && sandbox.signalCode === null;

async function control(path, init = {}) {
  const headers = { ...init.headers, 'x-sandbox-token': controlToken };
  const res = await fetch(`${endpoint}/__sandbox/${path}`, { ...init, headers });
  return res.json();
}
const setFaults = (plan) =>
  control('faults', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(plan),
  });

function randomFaults() {
  const plan = {};
  if (chance(0.25)) plan.dropOssAfterBytes = rand(200_000);
  if (chance(0.25)) {
    const code = chance(0.5) ? 'Throttling.User' : 'iot.system.SystemException';
    plan.rpcErrors = { code, count: 1 + rand(4) };
  }
  if (chance(0.25)) plan.dropCreateResponse = 1 + rand(2);
  if (chance(0.3)) {
    plan.delayMs = chance(0.2) ? (TTL_SECONDS + 1) * 1000 : 50 + rand(800);
    plan.delayCount = 1 + rand(4);
  }
  for (const key of Object.keys(plan)) stats.faults[key] = (stats.faults[key] ?? 0) + 1;
  return plan;
}

const acknowledged = [];
let fileNo = 0;
async function enqueueOne() {
  const n = ++fileNo;
  const files = [];
  for (let i = 0, count = chance(0.2) ? 2 + rand(2) : 1; i < count; i++) {
    const path = join(dir, `fw-${n}-${i}.bin`);
    await writeFile(path, randomBytes(1 + rand(600_000)));
    files.push(path);
  }
  const name = `soak-${n}`;
  const args = ['publish', ...files, '--product', PRODUCT, '--version', `1.${n}`, '--name', name];
  args.push('--endpoint', endpoint, '--queue', '--json', '--data-dir', home);
  const r = await run(args);
  if (r.code !== 0) throw new Error(`publish --queue failed (${r.code}): ${r.stderr}`);
  acknowledged.push({ id: JSON.parse(r.stdout.trim().split('\n').at(-1)).jobId, name });
}

function startRunner(extra = []) {
  const child = spawn(process.execPath, [CLI, 'outbox', 'run', ...extra, '--data-dir', home], {
    env: ENV,
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  return { child, exited: once(child, 'exit') };
}
async function stop(runner, signal) {
  if (runner.child.exitCode === null && runner.child.signalCode === null) runner.child.kill(signal);
  await runner.exited;
}

async function soak() {
  const started = Date.now();
  await startSandbox();
  let trial = 0;
  for (; trial < TRIALS && Date.now() < DEADLINE; trial++) {
    if (acknowledged.length === 0 || chance(0.45)) await enqueueOne();
    if (chance(0.08)) {
      // The cloud goes away (cleanly or not) and comes back, maybe only after this trial's runner.
      const signal = chance(0.5) ? 'SIGKILL' : 'SIGTERM';
      stats[signal === 'SIGKILL' ? 'sandboxKills' : 'sandboxRestarts']++;
      await stopSandbox(signal);
      if (chance(0.5)) await startSandbox();
    } else if (!sandboxUp()) {
      await startSandbox();
    }
    if (sandboxUp()) await setFaults(randomFaults());

    const mode = Math.random();
    if (mode < 0.1) {
      // Two runners at once on the same outbox: the lock must keep them apart.
      stats.pairs++;
      const pair = [startRunner(), startRunner()];
      await sleep(100 + rand(2500));
      await Promise.all(pair.map((r) => stop(r, 'SIGKILL')));
      stats.kills += 2;
    } else if (mode < 0.2) {
      stats.onceRuns++;
      await run(['outbox', 'run', '--once', '--data-dir', home]);
    } else {
      const runner = startRunner();
      await sleep(100 + rand(2500));
      const signal = chance(0.85) ? 'SIGKILL' : 'SIGTERM';
      stats[signal === 'SIGKILL' ? 'kills' : 'terms']++;
      await stop(runner, signal);
    }
    if (trial % 25 === 24) process.stderr.write(`… ${trial + 1} trials, ${acknowledged.length} jobs\n`);
  }

  // Calm weather: the cloud up, no faults, then let the outbox drain.
  if (!sandboxUp()) await startSandbox();
  await control('faults', { method: 'DELETE' });
  let drained;
  for (let i = 0; i < 10; i++) {
    drained = await run(['outbox', 'run', '--once', '--data-dir', home], 600_000);
    if (drained.code === 0) break;
    await sleep(1000);
  }

  const listed = await run(['outbox', 'list', '--json', '--data-dir', home]);
  const jobs = JSON.parse(listed.stdout);
  const state = await control('state');
  const byName = new Map();
  for (const f of state.firmware)
    byName.set(f.FirmwareName, [...(byName.get(f.FirmwareName) ?? []), f.FirmwareId]);
  const byId = new Map(jobs.map((j) => [j.id, j]));

  let published = 0;
  let duplicates = 0;
  let lost = 0;
  let mismatched = 0;
  const failed = [];
  const problems = [];
  for (const { id, name } of acknowledged) {
    const job = byId.get(id);
    const records = byName.get(name) ?? [];
    duplicates += Math.max(0, records.length - 1);
    if (!job || job.state === 'damaged') {
      lost++;
      problems.push(`lost: ${id} ${name} ${job ? 'damaged' : 'missing from the outbox'}`);
    } else if (job.state === 'published') {
      published++;
      if (records.length === 0) {
        lost++;
        problems.push(`lost: ${id} ${name} published as ${job.firmwareId}, which the cloud does not hold`);
      } else if (!records.includes(job.firmwareId)) {
        mismatched++;
        problems.push(
          `mismatch: ${id} ${name} says ${job.firmwareId}, the cloud holds ${records.join(', ')}`,
        );
      }
    } else {
      failed.push(`${job.state}: ${id} ${name} ${job.error?.message ?? ''}`);
    }
  }
  // Packages nobody asked for (a name not among the jobs) would be duplicates as well.
  const names = new Set(acknowledged.map((a) => a.name));
  duplicates += state.firmware.filter((f) => !names.has(f.FirmwareName)).length;

  const summary = {
    trials: trial,
    jobs: acknowledged.length,
    published,
    duplicates,
    lost,
    failed: failed.length,
    mismatched,
    durationSeconds: Math.round((Date.now() - started) / 1000),
    drainExit: drained?.code,
    ...stats,
  };
  console.log(JSON.stringify(summary, null, 2));
  for (const line of [...problems, ...failed]) console.log(line);
  return duplicates === 0 && lost === 0 && failed.length === 0 && mismatched === 0;
}

// A crash of this script must not leave a sandbox listening or a temp dir behind.
process.on('exit', () => sandboxUp() && sandbox.kill('SIGKILL'));
try {
  process.exitCode = (await soak()) ? 0 : 1;
} catch (error) {
  console.error(error);
  process.exitCode = 2;
} finally {
  await stopSandbox('SIGTERM');
  if (values.keep) console.log(`kept ${dir}`);
  else await rm(dir, { recursive: true, force: true });
}
