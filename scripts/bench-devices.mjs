// The bench row of issue 14: 10 simulated devices of the sandbox downloading one 100 MB package at once
// (a verify job), against 10 concurrent `curl` downloads of the same package URL from the same sandbox.
// Used by scripts/bench.mjs (`BENCH_ONLY=devices npm run bench` runs only this).
//
// The sandbox runs as a child process with `--device-step-ms 0`, so progress pacing does not count;
// its peak RSS is /proc/<pid>/status VmHWM, reset (clear_refs 5) before each timed run where Linux
// allows, so each figure is the peak of that run alone.
import { spawn } from 'node:child_process';
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export const DEVICE_COUNT = 10;
export const PACKAGE_SIZE = 100 * 1000 * 1000;
const MIB = 1024 * 1024;
const POLL_MS = 150; // ListOTATaskByJob polls; the sandbox throttles a user at 10 calls/s
const DOWNLOADED = 40; // the Progress a simulated device reports once its download is in and checked
const DEVICES = Array.from({ length: DEVICE_COUNT }, (_, i) => `bench-dl-${String(i + 1).padStart(2, '0')}`);
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

/** The sandbox CLI with the ten devices, as a child process; `pid` is for its /proc status. */
export async function startDeviceSandbox(cli, dataDir) {
  const args = [cli, 'sandbox', '--port', '0', '--data-dir', dataDir, '--device-step-ms', '0'];
  for (const name of DEVICES) args.push('--device', name);
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise((done, fail) => {
    lines.once('line', done);
    child.once('exit', (code) => fail(new Error(`sandbox exited (${code}) before listening`)));
  });
  const exited = new Promise((done) => child.once('exit', done));
  const stop = () => (child.kill('SIGTERM'), exited); // waits, so its data folder can be removed
  return { info: JSON.parse(first), pid: child.pid, stop };
}

/** One signed RPC call (POP v1, HMAC-SHA1, POST form), retried while the sandbox throttles. */
export async function rpc(info, action, params = {}) {
  const enc = (v) =>
    encodeURIComponent(v).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const all = {
    Action: action,
    Format: 'JSON',
    Version: '2018-01-20',
    Timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    SignatureNonce: randomUUID(),
    SignatureMethod: 'HMAC-SHA1',
    SignatureVersion: '1.0',
    AccessKeyId: info.accessKeyId,
    RegionId: 'cn-shanghai',
    ...params,
  };
  const query = Object.keys(all)
    .sort()
    .map((k) => `${enc(k)}=${enc(all[k])}`)
    .join('&');
  all.Signature = createHmac('sha1', `${info.accessKeySecret}&`)
    .update(`POST&${enc('/')}&${enc(query)}`)
    .digest('base64');
  const res = await fetch(`${info.endpoint.replace(/\/$/, '')}/`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(all).toString(),
  });
  const body = await res.json();
  if ((body.Code ?? body.code) === 'Throttling.User')
    return sleep(1000).then(() => rpc(info, action, params));
  return body;
}

async function sha256Of(file) {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk);
  return hash.digest('hex');
}

/** A fresh PostObject policy: the `Data` of the sandbox's GenerateOTAUploadURL answer. */
export async function uploadTicket(info) {
  const t = await rpc(info, 'GenerateOTAUploadURL', { FileSuffix: 'bin' });
  if (!t.Success) throw new Error(`GenerateOTAUploadURL failed: ${JSON.stringify(t)}`);
  return t.Data;
}

/** `curl -F` PostObject of `file` with ticket `d`, the reference every upload is compared with. */
export async function curlPostObject(d, file, must) {
  const form = [`key=${d.Key}`, `OSSAccessKeyId=${d.OSSAccessKeyId}`, `policy=${d.Policy}`];
  form.push(`Signature=${d.Signature}`, 'success_action_status=200', `file=@${file}`);
  const r = await must('curl', [
    '-s',
    '-o',
    '/dev/null',
    '-w',
    '%{http_code}',
    '-H',
    'Expect:',
    ...form.flatMap((f) => ['-F', f]),
    d.Host,
  ]);
  if (r.stdout.trim() !== '200') throw new Error(`curl upload answered HTTP ${r.stdout}`);
  return r;
}

/** Uploads `file` with curl -F and makes a SHA256-signed package of it; its id and download URL. */
export async function publishPackage(info, file, version, must) {
  const d = await uploadTicket(info);
  await curlPostObject(d, file, must);
  const created = await rpc(info, 'CreateOTAFirmware', {
    ProductKey: info.products[0],
    FirmwareName: `bench-dl-${Date.now()}`,
    DestVersion: version,
    FirmwareUrl: d.FirmwareUrl,
    SignMethod: 'SHA256',
    FirmwareSign: await sha256Of(file),
    FirmwareSize: String(PACKAGE_SIZE),
  });
  const firmwareId = created.Data?.FirmwareId;
  if (!firmwareId) throw new Error(`CreateOTAFirmware failed: ${JSON.stringify(created)}`);
  const query = await rpc(info, 'QueryOTAFirmware', { FirmwareId: firmwareId });
  return { firmwareId, url: String(query.FirmwareInfo.FirmwareUrl) };
}

/** Waits until all ten devices are signed in to the sandbox's broker. */
export async function devicesOnline(info, timeoutMs = 30_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const body = await rpc(info, 'QueryDevice', { ProductKey: info.products[0], PageSize: '50' });
    const online = (body.Data?.DeviceInfo ?? []).filter(
      (d) => DEVICES.includes(d.DeviceName) && d.DeviceStatus === 'ONLINE',
    );
    if (online.length === DEVICE_COUNT) return;
    if (Date.now() > end) throw new Error(`only ${online.length} of ${DEVICE_COUNT} devices came online`);
    await sleep(200);
  }
}

/** Peak RSS (MB) since the last reset; resetting needs Linux ≥ 4.0 (clear_refs 5), else it is the peak since start. */
export function peakRssMb(pid) {
  const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}
/** CPU seconds (user + system, all threads) the process has used; /proc/<pid>/stat counts in 1/100 s. */
export function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
export function resetPeakRss(pid) {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/**
 * A verify job to the ten devices, timed from CreateOTAVerifyJob: `downloadedMs` once every task's
 * Progress reached 40 (downloaded and its SHA-256 checked, the sandbox's own view), `ms` once all
 * SUCCEEDED. Each round publishes a package of its own (outside the time) with a new DestVersion,
 * since the devices run the last round's version once its job is done.
 *
 * The end is the latest task's UtcModified (the sandbox's ms clock, the same machine's) when the
 * poll first sees them all there, not the poll's own time: polls come every 150 ms, and curl's end
 * is exact. A task may have moved on since, so this can only overstate the devices' time.
 */
export async function deviceRun(info, firmwareId) {
  const params = { FirmwareId: firmwareId, ProductKey: info.products[0], TimeoutInMinutes: '5' };
  DEVICES.forEach((name, i) => (params[`TargetDeviceName.${i + 1}`] = name));
  const startedAt = Date.now();
  const lastChange = (tasks) => Math.max(...tasks.map((t) => Date.parse(t.UtcModified))) - startedAt;
  const started = performance.now();
  const job = await rpc(info, 'CreateOTAVerifyJob', params);
  const jobId = job.Data?.JobId;
  if (!jobId) throw new Error(`CreateOTAVerifyJob failed: ${JSON.stringify(job)}`);
  let downloadedMs;
  for (;;) {
    const body = await rpc(info, 'ListOTATaskByJob', { JobId: jobId, CurrentPage: '1', PageSize: '10' });
    const tasks = body.Data?.SimpleOTATaskInfo ?? [];
    const now = performance.now() - started;
    if (tasks.length === DEVICE_COUNT) {
      if (downloadedMs === undefined && tasks.every((t) => Number(t.Progress) >= DOWNLOADED))
        downloadedMs = lastChange(tasks);
      const failed = tasks.filter((t) => ['FAILED', 'CANCELED'].includes(t.TaskStatus));
      if (failed.length) throw new Error(`device tasks failed: ${JSON.stringify(failed)}`);
      if (tasks.every((t) => t.TaskStatus === 'SUCCEEDED'))
        return { ms: lastChange(tasks), downloadedMs: downloadedMs ?? lastChange(tasks) };
    }
    if (now > 300_000) throw new Error(`the verify job did not finish: ${JSON.stringify(tasks)}`);
    await sleep(POLL_MS);
  }
}

/** The reference: ten `curl` GETs of the package URL at once, timed until the last one ends. */
export async function curlRun(url, must) {
  const started = performance.now();
  const runs = Array.from({ length: DEVICE_COUNT }, () =>
    must('curl', ['-s', '-f', '-o', '/dev/null', '-w', '%{http_code} %{size_download}', url]),
  );
  for (const r of await Promise.all(runs)) {
    if (r.stdout.trim() !== `200 ${PACKAGE_SIZE}`) throw new Error(`curl download answered ${r.stdout}`);
  }
  return { ms: performance.now() - started };
}

/**
 * The rows: `runs` rounds of curl then devices (devices then curl on odd rounds), each with a fresh
 * package (new version: the devices ran the last one). `h` = { cli, dir, runs, must, row, log }.
 */
export async function benchDevices(h) {
  const { makeFile, must, row, log } = h;
  const file = await makeFile(join(h.dir, 'package-100mb.bin'), PACKAGE_SIZE);
  const sandbox = await startDeviceSandbox(h.cli, join(h.dir, 'cloud-devices'));
  const canReset = existsSync(`/proc/${sandbox.pid}/status`);
  try {
    await devicesOnline(sandbox.info);
    const rounds = [];
    for (let i = 0; i < h.runs; i++) {
      const pkg = await publishPackage(sandbox.info, file, `2.${i + 1}.0`, must);
      const measure = async (f) => {
        const reset = canReset && resetPeakRss(sandbox.pid);
        const cpu = canReset ? cpuSeconds(sandbox.pid) : NaN;
        const r = await f();
        const cpuS = canReset ? cpuSeconds(sandbox.pid) - cpu : NaN;
        return { ...r, rssMb: canReset ? peakRssMb(sandbox.pid) : NaN, cpuS, reset };
      };
      const a = () => measure(() => curlRun(pkg.url, must));
      const b = () => measure(() => deviceRun(sandbox.info, pkg.firmwareId));
      const got = i % 2 ? { b: await b(), a: await a() } : { a: await a(), b: await b() };
      rounds.push(got);
      log(
        `  devices round ${i + 1}: curl ${(got.a.ms / 1000).toFixed(2)} s, devices downloaded ${(got.b.downloadedMs / 1000).toFixed(2)} s, all SUCCEEDED ${(got.b.ms / 1000).toFixed(2)} s, sandbox peak RSS ${got.b.rssMb.toFixed(0)} MB${got.b.reset ? '' : ' (since start)'}, sandbox CPU curl ${got.a.cpuS.toFixed(2)} s / devices ${got.b.cpuS.toFixed(2)} s`,
      );
    }
    addRows(rounds, row);
  } finally {
    await sandbox.stop();
  }
}

function addRows(rounds, row) {
  const total = (DEVICE_COUNT * PACKAGE_SIZE) / MIB;
  const mibps = (ms) => total / (ms / 1000);
  const curl = rounds.map((r) => mibps(r.a.ms));
  const downloaded = rounds.map((r) => mibps(r.b.downloadedMs));
  const ratios = rounds.map((r) => mibps(r.b.downloadedMs) / mibps(r.a.ms));
  const rss = rounds.map((r) => r.b.rssMb);
  const label = `${DEVICE_COUNT} × 100 MB`;
  row(
    `${label}: ${DEVICE_COUNT} curl downloads at once (s)`,
    rounds.map((r) => r.a.ms / 1000),
    'reference',
    undefined,
  );
  row(`${label}: ${DEVICE_COUNT} curl downloads at once (MiB/s)`, curl, 'reference', undefined, '', 0);
  row(
    `${label}: verify job, all downloaded (s)`,
    rounds.map((r) => r.b.downloadedMs / 1000),
    'reference',
    undefined,
  );
  row(
    `${label}: verify job, all SUCCEEDED (s)`,
    rounds.map((r) => r.b.ms / 1000),
    'reference',
    undefined,
  );
  row(`${label}: devices downloading (MiB/s)`, downloaded, 'reference', undefined, '', 0);
  row(`${label}: devices ÷ curl throughput`, ratios, '≥ 0.8×', median(ratios) >= 0.8, '×');
  row(`${label}: sandbox peak RSS, devices (MB)`, rss, '≤ 250', Math.max(...rss) <= 250, '', 0);
  row(
    `${label}: sandbox CPU, curl (s)`,
    rounds.map((r) => r.a.cpuS),
    'reference',
    undefined,
  );
  row(
    `${label}: sandbox CPU, devices (s)`,
    rounds.map((r) => r.b.cpuS),
    'reference',
    undefined,
  );
  row(
    `${label}: sandbox peak RSS, curl (MB)`,
    rounds.map((r) => r.a.rssMb),
    'reference',
    undefined,
    '',
    0,
  );
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
