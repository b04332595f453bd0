// Soak test of the offline outbox (not in CI): hundreds of trials of random SIGKILLs, random cloud
// faults and sandbox restarts against the built CLI (out/cli/ota-publish.mjs) and its sandbox,
// all on loopback. Prints trials, published, duplicates and lost; exits 1 unless duplicates,
// lost and failed are all 0. About a third of the jobs also verify on one of the sandbox's
// simulated devices once published (--verify-on), and some runners are killed right around
// CreateOTAVerifyJob: the summary's verifyDuplicates and verifyLost must be 0 as well.
//
//   node scripts/soak-outbox.mjs [--trials N] [--max-seconds S] [--keep]
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
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
/** Simulated bench devices; a job verifies on one of them, in turn, so that two rarely share one. */
const DEVICES = Array.from({ length: 12 }, (_, i) => `soak-dev-${String(i + 1).padStart(2, '0')}`);
/** A verify job's minute, in ms (the sandbox's --minute-ms), and its TimeoutInMinutes. */
const MINUTE_MS = 1000;
const VERIFY_TIMEOUT_MINUTES = 60;

const rand = (n) => Math.floor(Math.random() * n);
const chance = (p) => Math.random() < p;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const dir = await mkdtemp(join(tmpdir(), 'ota-soak-'));
const home = join(dir, 'home');
const port = await freePort();
const endpoint = `http://127.0.0.1:${port}`;
const stats = {
  kills: 0,
  terms: 0,
  onceRuns: 0,
  pairs: 0,
  sandboxRestarts: 0,
  sandboxKills: 0,
  /** Runners killed once a verification's createSentAt was saved, or its jobId. */
  verifyKills: { createSent: 0, jobIdSaved: 0, missed: 0 },
  faults: {},
};

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
    '--device-step-ms',
    '20',
    '--minute-ms',
    String(MINUTE_MS),
  );
  for (const device of DEVICES) args.push('--device', device);
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
  const verifyOn = chance(0.35) ? DEVICES[verifyCount++ % DEVICES.length] : undefined;
  if (verifyOn)
    args.push('--verify-on', verifyOn, '--verify-timeout-minutes', String(VERIFY_TIMEOUT_MINUTES));
  const r = await run(args);
  if (r.code !== 0) throw new Error(`publish --queue failed (${r.code}): ${r.stderr}`);
  acknowledged.push({ id: JSON.parse(r.stdout.trim().split('\n').at(-1)).jobId, name, verifyOn });
}
let verifyCount = 0;

/** A job's record as the journal holds it (undefined while it cannot be read). */
async function record(id) {
  try {
    return JSON.parse(await readFile(join(home, 'outbox', 'jobs', `${id}.json`), 'utf8')).job;
  } catch {
    return undefined;
  }
}

/**
 * Starts a runner and SIGKILLs it as soon as a verification's create is marked as sent (or, for
 * some, once its jobId is saved), maybe a few ms later; after 4 s without either, anyway.
 */
async function killAroundVerifyCreate() {
  const open = [];
  for (const a of acknowledged.filter((x) => x.verifyOn)) {
    const job = await record(a.id);
    if (job && !(job.verification && job.verification.jobId)) open.push(a.id);
  }
  if (open.length === 0) return false;
  const afterJobId = chance(0.3);
  const runner = startRunner();
  const deadline = Date.now() + 4000;
  let hit;
  while (!hit && Date.now() < deadline && runner.child.exitCode === null) {
    for (const id of open) {
      const v = (await record(id))?.verification;
      if (v && (afterJobId ? v.jobId : v.createSentAt || v.jobId))
        hit = v.jobId ? 'jobIdSaved' : 'createSent';
    }
    if (!hit) await sleep(3);
  }
  if (hit && chance(0.5)) await sleep(rand(40));
  await stop(runner, 'SIGKILL');
  stats.kills++;
  stats.verifyKills[hit ?? 'missed']++;
  return true;
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
    if (chance(0.25) && (await killAroundVerifyCreate())) {
      // killed around a CreateOTAVerifyJob
    } else if (mode < 0.1) {
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
  // The sandbox's verify jobs, from its store, once it has stopped cleanly (so that all is saved).
  await stopSandbox('SIGTERM');
  const otaJobs = JSON.parse(await readFile(join(dir, 'cloud', 'ota-jobs.json'), 'utf8').catch(() => '{}'));
  const verifyJobsOf = new Map();
  for (const j of otaJobs.jobs ?? [])
    verifyJobsOf.set(j.FirmwareId, [...(verifyJobsOf.get(j.FirmwareId) ?? []), j.JobId]);
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

  // Verification: exactly one verify job per package verified, and it is the one the job knows.
  const verify = { asked: 0, verified: 0, duplicates: 0, lost: 0, failed: [] };
  const verifiedFirmware = new Set();
  for (const { id, name, verifyOn } of acknowledged) {
    const job = byId.get(id);
    if (!verifyOn || job?.state !== 'published') continue;
    verify.asked++;
    verifiedFirmware.add(job.firmwareId);
    const cloud = verifyJobsOf.get(job.firmwareId) ?? [];
    verify.duplicates += Math.max(0, cloud.length - 1);
    if (cloud.length > 1)
      problems.push(`verify duplicate: ${id} ${name} has verify jobs ${cloud.join(', ')}`);
    const v = job.verify;
    if (!v?.jobId || !cloud.includes(v.jobId)) {
      verify.lost++;
      problems.push(
        `verify lost: ${id} ${name} says ${v?.jobId ?? 'no job'} (${v?.state}), the cloud holds ${cloud.join(', ') || 'none'}`,
      );
    } else if (v.state === 'verified') {
      verify.verified++;
    } else {
      const why = v.devices.map((d) => `${d.name} ${d.state}${d.reason ? ` ${d.reason}` : ''}`).join(', ');
      verify.failed.push(`verify ${v.state}: ${id} ${name} ${why} ${v.problem?.message ?? ''}`);
    }
  }
  // A verify job for a package no job verifies would be a duplicate too.
  for (const [firmwareId, ids] of verifyJobsOf) {
    if (verifiedFirmware.has(firmwareId)) continue;
    verify.duplicates += ids.length;
    problems.push(`verify duplicate: ${ids.join(', ')} for ${firmwareId}, which no job verifies`);
  }

  const summary = {
    trials: trial,
    jobs: acknowledged.length,
    published,
    duplicates,
    lost,
    failed: failed.length,
    mismatched,
    verifyAsked: verify.asked,
    verifyVerified: verify.verified,
    verifyDuplicates: verify.duplicates,
    verifyLost: verify.lost,
    verifyNotVerified: verify.failed.length,
    durationSeconds: Math.round((Date.now() - started) / 1000),
    drainExit: drained?.code,
    ...stats,
  };
  console.log(JSON.stringify(summary, null, 2));
  for (const line of [...problems, ...failed, ...verify.failed]) console.log(line);
  // A verification that failed on a device (a sandbox killed mid-upgrade) is reported, not fatal.
  return (
    duplicates === 0 &&
    lost === 0 &&
    failed.length === 0 &&
    mismatched === 0 &&
    verify.duplicates === 0 &&
    verify.lost === 0
  );
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
