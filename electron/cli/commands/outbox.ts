import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { IotClient } from '../../core/cloud/iot-client.js';
import { probeReachable } from '../../core/cloud/reachability.js';
import { defaultDataDir } from '../../core/paths.js';
import { applyRequests } from '../../core/publish/outbox/apply-requests.js';
import { isFinal, type Job } from '../../core/publish/outbox/job.js';
import { Journal, type OutboxRequest } from '../../core/publish/outbox/journal.js';
import { tryLock } from '../../core/publish/outbox/runner-lock.js';
import { OutboxRunner, type RunnerEvent } from '../../core/publish/outbox/runner.js';
import { sleep } from '../../core/publish/retry.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { cliLocale } from '../locale.js';
import { ProgressView } from '../progress.js';
import { credentialsFromEnv } from '../target.js';

export const OUTBOX_HELP = `Usage: ota-publish outbox <list|run|retry|cancel> [options]

Publishes prepared with \`ota-publish publish … --queue\` wait in the outbox until the cloud is reachable.

  outbox list [--json]     every job: id, name, state, step, FirmwareId, error
  outbox run [--once]      work the outbox (--once: until nothing is runnable, exit 4 if offline)
  outbox retry ID          queue a failed or cancelled job again
  outbox cancel ID         cancel a job that has not been created yet

  --data-dir DIR           where the outbox lives (default: $OTA_PUBLISHER_HOME or the app data folder)

Credentials for \`run\`: OTA_ACCESS_KEY_ID and OTA_ACCESS_KEY_SECRET.`;

/** The outbox journal in DIR (default: the per-user data directory). */
export async function openJournal(dataDir: string | undefined): Promise<Journal> {
  return new Journal(join(dataDir ?? defaultDataDir(), 'outbox')).init();
}

export function stepLabel(job: Job): string | null {
  const s = job.step;
  if (!s || isFinal(job.state)) return null;
  return s.kind === 'uploading' ? `uploading ${s.file}/${s.of}` : s.kind;
}

/** The `outbox list --json` shape (stable: scripts read it). */
export function jobSummary(job: Job) {
  return {
    id: job.id,
    name: job.spec.firmwareName,
    productKey: job.spec.productKey,
    version: job.spec.destVersion,
    endpoint: job.target.endpoint,
    state: job.state,
    step: stepLabel(job),
    firmwareId: job.firmwareId ?? null,
    error: job.error
      ? {
          kind: job.error.kind,
          code: job.error.code ?? null,
          message: job.error.message,
          hint: job.error.hint,
        }
      : null,
    attempts: job.attempts.length,
    createdAt: new Date(job.createdAt).toISOString(),
    updatedAt: new Date(job.updatedAt).toISOString(),
  };
}

async function list(journal: Journal, json: boolean): Promise<number> {
  const { jobs, damaged } = await journal.load();
  for (const d of damaged)
    process.stderr.write(`warning: job record ${d.file} cannot be read (${d.reason}); it is kept as is.\n`);
  if (json) {
    process.stdout.write(`${JSON.stringify(jobs.map(jobSummary))}\n`);
    return EXIT.ok;
  }
  if (jobs.length === 0) process.stdout.write('The outbox is empty.\n');
  const locale = cliLocale();
  for (const job of jobs) {
    const s = jobSummary(job);
    process.stdout.write(
      `${s.id}  ${s.state.padEnd(9)}  ${s.name} (${s.version})${s.step ? `  ${s.step}` : ''}${s.firmwareId ? `  ${s.firmwareId}` : ''}\n`,
    );
    if (job.error) process.stdout.write(`    ${job.error.message}\n    ${job.error.hint[locale]}\n`);
  }
  return EXIT.ok;
}

function reporter(): (event: RunnerEvent) => void {
  const views = new Map<string, ProgressView>();
  const seen = new Map<string, string>();
  return (event) => {
    if (event.type === 'publish') {
      const view = views.get(event.jobId);
      view?.onEvent(event.event);
    } else if (event.type === 'job') {
      const { job } = event;
      if (!views.has(job.id))
        views.set(
          job.id,
          new ProgressView(
            process.stderr,
            job.files.map((f) => f.path),
          ),
        );
      const line = `${job.state}${job.firmwareId ? ` ${job.firmwareId}` : ''}`;
      if (seen.get(job.id) !== line) {
        seen.set(job.id, line);
        views.get(job.id)?.finish();
        process.stderr.write(
          `job ${job.id} ${job.spec.firmwareName}: ${line}${job.state === 'failed' && job.error ? ` — ${job.error.message}` : ''}\n`,
        );
      }
    } else if (event.type === 'offline') {
      process.stderr.write(
        `${event.endpoint} is unreachable; trying again in ${Math.round(event.retryInMs / 1000)} s\n`,
      );
    } else if (event.type === 'online') {
      process.stderr.write(`${event.endpoint} is reachable again\n`);
    } else {
      process.stderr.write('another runner is working this outbox; waiting for it\n');
    }
  };
}

async function run(journal: Journal, once: boolean, signal: AbortSignal): Promise<number> {
  const credentials = credentialsFromEnv();
  const clients = new Map<string, IotClient>();
  const runner = new OutboxRunner({
    journal,
    clientFor: (job) => {
      const key = JSON.stringify(job.target);
      let client = clients.get(key);
      if (!client) clients.set(key, (client = new IotClient({ target: job.target, credentials })));
      return client;
    },
    probe: (target, s) => probeReachable(target, s),
    onEvent: reporter(),
  });
  if (!once) {
    await runner.runForever(signal);
    return EXIT.ok;
  }
  const outcome = await runner.runUntilIdle(signal);
  if (outcome === 'offline') {
    process.stderr.write('The cloud is unreachable; the jobs stay queued. Run again when online.\n');
    return EXIT.unreachable;
  }
  return outcome === 'stopped' ? EXIT.cancelled : EXIT.ok;
}

/** Records a cancel/retry; applies it at once when no runner holds the outbox. */
async function request(journal: Journal, id: string | undefined, action: OutboxRequest): Promise<number> {
  if (!id) throw new UsageError(`Give the job ID: ota-publish outbox ${action} ID (see outbox list).`);
  const job = await journal.get(id);
  if (!job) throw new UsageError(`No job ${id} in the outbox ${journal.outboxDir}.`);
  if (action === 'cancel' && (isFinal(job.state) || job.createSentAt !== undefined)) {
    process.stderr.write(
      job.createSentAt !== undefined
        ? `Job ${id} cannot be cancelled: its package may already exist in the cloud; let the outbox finish it.\n`
        : `Job ${id} is already ${job.state}.\n`,
    );
    return EXIT.rejected;
  }
  if (action === 'retry' && job.state !== 'failed' && job.state !== 'cancelled' && job.state !== 'queued') {
    process.stderr.write(`Job ${id} is ${job.state}; only failed or cancelled jobs can be retried.\n`);
    return EXIT.rejected;
  }
  await journal.request(id, action);
  const lock = await tryLock(OutboxRunner.lockPath(journal));
  if (lock) {
    try {
      await applyRequests(journal);
    } finally {
      await lock.release();
    }
  } else {
    // A runner holds the outbox: it applies the request within a second or so.
    for (let i = 0; i < 20 && (await journal.get(id))?.state === job.state; i++) await sleep(250);
  }
  const after = await journal.get(id);
  process.stdout.write(`${id} ${after?.state ?? 'unknown'}\n`);
  return EXIT.ok;
}

export async function runOutbox(argv: readonly string[], signal: AbortSignal): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: { 'data-dir': { type: 'string' }, json: { type: 'boolean' }, once: { type: 'boolean' } },
    allowPositionals: true,
    strict: true,
  });
  const [sub, id] = positionals;
  const journal = await openJournal(values['data-dir']);
  switch (sub) {
    case 'list':
      return list(journal, values.json === true);
    case 'run':
      return run(journal, values.once === true, signal);
    case 'retry':
    case 'cancel':
      return request(journal, id, sub);
    default:
      throw new UsageError(`Unknown outbox command "${sub ?? ''}": use list, run, retry or cancel.`);
  }
}
