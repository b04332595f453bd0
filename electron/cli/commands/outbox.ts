import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { whyUnreachable } from '../../core/cloud/reachability.js';
import { waitingOf } from '../../core/publish/outbox/waiting.js';
import { defaultDataDir } from '../../core/paths.js';
import { refusal, submitRequest } from '../../core/publish/outbox/requests.js';
import { stepLabel, type Job } from '../../core/publish/job/job.js';
import {
  Journal,
  type DamagedRecord,
  type OutboxRequest,
  type RequestDetail,
} from '../../core/publish/outbox/journal.js';
import { profileTarget } from './profile.js';
import { text } from '../../core/i18n/text.js';
import { VERIFICATION_STATE_TEXT, verifySummary } from '../../core/publish/verify/summary.js';
import { OutboxRunner, type RunnerEvent } from '../../core/publish/outbox/runner.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { cliLocale } from '../locale.js';
import { ProgressView } from '../progress.js';
import { jobConnection } from '../job-connection.js';
import { historyWarningText } from '../../core/publish/history/history-log.js';

export const OUTBOX_HELP = `Usage: ota-publish outbox <list|run|retry|cancel|move> [options]

Publishes prepared with \`ota-publish publish … --queue\` wait in the outbox until the cloud is reachable.

  outbox list [--json]     every job: id, name, state, step, FirmwareId, error
  outbox run [--once]      work the outbox (--once: until nothing is runnable, exit 4 if offline,
                           2 if only jobs held for a profile to fix are left)
    --archive-after-days N move published, failed and cancelled jobs older than N days (default 30)
                           to <outbox>/archive (kept, no longer listed)
  outbox retry ID          queue a failed or cancelled job again; for a published job whose
                           verification on devices failed: verify its failed devices again
  outbox cancel ID         cancel a job that has not been created yet, or a job's verification
  outbox move ID --profile NAME   send a job not yet created with another profile (its own is
                           gone or unusable); its uploads start over

  --data-dir DIR           where the outbox lives (default: $OTA_PUBLISHER_HOME or the app data folder)

Credentials for \`run\`: a job queued with --profile uses that profile's AccessKey (OS keychain);
others use OTA_ACCESS_KEY_ID and OTA_ACCESS_KEY_SECRET.`;

/** The outbox journal in DIR (default: the per-user data directory). */
export async function openJournal(dataDir: string | undefined): Promise<Journal> {
  return new Journal(join(dataDir ?? defaultDataDir(), 'outbox')).init();
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
    verify: job.verification
      ? verifySummary(job.verification)
      : job.verifyOn
        ? { jobId: null, state: 'planned' as const, devices: job.verifyOn.devices.map((name) => ({ name })) }
        : null,
    error: job.error
      ? {
          kind: job.error.kind,
          code: job.error.code ?? null,
          message: job.error.message,
          hint: job.error.hint,
        }
      : null,
    waitingReason: waitingReason(job),
    warnings: (job.preflight?.warnings ?? []).map(({ field, rule, message }) => ({ field, rule, message })),
    nextAttemptAt:
      job.state === 'queued' && job.nextAttemptAt ? new Date(job.nextAttemptAt).toISOString() : null,
    attempts: job.attempts.length,
    createdAt: new Date(job.createdAt).toISOString(),
    updatedAt: new Date(job.updatedAt).toISOString(),
  };
}

/** Why a queued job waits, in the CLI's language. */
function waitingReason(job: Job) {
  const w = waitingOf(job);
  return w ? { kind: w.kind, message: w.message[cliLocale()], endpoint: w.endpoint } : null;
}

/** A record that cannot be read, in the `outbox list --json` shape, so scripts see it too. */
export function damagedSummary(d: DamagedRecord) {
  return {
    id: d.id,
    name: null,
    state: 'damaged' as const,
    step: null,
    firmwareId: null,
    error: { kind: 'damaged', code: null, message: `${d.file}: ${d.reason}`, hint: DAMAGED_HINT },
    file: d.file,
  };
}

const DAMAGED_HINT = text(
  'This job record cannot be read (torn write or damaged disk). It is kept as is and not worked; check the file, restore it from a backup or delete it and prepare the publish again.',
  '无法读取此任务记录（写入中断或磁盘损坏）。记录按原样保留且不会被处理；请检查该文件，从备份恢复，或删除后重新准备发布。',
);

const damagedWarning = (d: DamagedRecord) =>
  `warning: job record ${d.file} cannot be read (${d.reason}); it is kept as is and not worked.\n`;

async function list(journal: Journal, json: boolean): Promise<number> {
  const { jobs, damaged } = await journal.load();
  for (const d of damaged) process.stderr.write(damagedWarning(d));
  if (json) {
    process.stdout.write(`${JSON.stringify([...jobs.map(jobSummary), ...damaged.map(damagedSummary)])}\n`);
    return EXIT.ok;
  }
  if (jobs.length === 0 && damaged.length === 0) process.stdout.write('The outbox is empty.\n');
  const locale = cliLocale();
  for (const job of jobs) {
    const s = jobSummary(job);
    process.stdout.write(
      `${s.id}  ${s.state.padEnd(9)}  ${s.name} (${s.version})${s.step ? `  ${s.step}` : ''}${s.firmwareId ? `  ${s.firmwareId}` : ''}\n`,
    );
    const waiting = waitingOf(job);
    if (waiting) {
      const next = job.nextAttemptAt
        ? `  (next attempt ${new Date(job.nextAttemptAt).toLocaleTimeString()})`
        : '';
      process.stdout.write(`    ${waiting.message[locale]}${next}\n`);
    } else if (job.error) process.stdout.write(`    ${job.error.message}\n    ${job.error.hint[locale]}\n`);
    for (const w of job.preflight?.warnings ?? [])
      process.stdout.write(`    warning: ${w.field} (${w.rule}): ${w.message[locale]}\n`);
    if (job.verification) process.stdout.write(`    ${verifyLine(job)}\n`);
    else if (job.verifyOn)
      process.stdout.write(`    verify on ${job.verifyOn.devices.join(', ')} once published\n`);
  }
  return EXIT.ok;
}

/** "verification: failed (JobId …) bench-01 SUCCEEDED, bench-02 FAILED — reason". */
function verifyLine(job: Job): string {
  const v = verifySummary(job.verification!);
  const devices = v.devices.map((d) => `${d.name} ${d.state}${d.reason ? ` — ${d.reason}` : ''}`).join(', ');
  const state = VERIFICATION_STATE_TEXT[v.state][cliLocale()];
  return `verification: ${state}${v.jobId ? ` (JobId ${v.jobId})` : ''}  ${devices}${v.problem ? `\n    ${v.problem.message}` : ''}`;
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
      const held = job.error?.kind === 'held' ? job.error : undefined;
      const verifying = job.verification ? `, ${verifyLine(job)}` : '';
      const line = `${held ? 'held' : job.state}${job.firmwareId ? ` ${job.firmwareId}` : ''}${verifying}`;
      if (seen.get(job.id) !== line) {
        seen.set(job.id, line);
        views.get(job.id)?.finish();
        const why = job.state === 'failed' || held ? job.error : undefined;
        process.stderr.write(
          `job ${job.id} ${job.spec.firmwareName}: ${line}${why ? ` — ${why.message}` : ''}${held ? `\n  ${held.hint[cliLocale()]}` : ''}\n`,
        );
      }
    } else if (event.type === 'offline') {
      const detail = event.error.cloudMessage ? ` (${event.error.cloudMessage})` : '';
      const again =
        event.retryInMs === undefined ? '' : `; trying again in ${Math.round(event.retryInMs / 1000)} s`;
      process.stderr.write(`${event.endpoint} is unreachable${detail}${again}\n`);
    } else if (event.type === 'online') {
      process.stderr.write(`${event.endpoint} is reachable again\n`);
    } else if (event.type === 'damaged') {
      process.stderr.write(damagedWarning(event.record));
    } else if (event.type === 'history-failed') {
      process.stderr.write(`${historyWarningText(event.error)[cliLocale()]}\n`);
    } else if (event.type === 'lock-lost') {
      process.stderr.write('another runner took over this outbox; waiting for it\n');
    } else {
      process.stderr.write('another runner is working this outbox; waiting for it\n');
    }
  };
}

/** `--archive-after-days N`: whole days, at least 1. */
function archiveAfterMs(days: string | undefined): number | undefined {
  if (days === undefined) return undefined;
  if (!/^[1-9]\d{0,4}$/.test(days))
    throw new UsageError('--archive-after-days must be a whole number of days, 1 or more.');
  return Number(days) * 24 * 60 * 60 * 1000;
}

async function run(
  journal: Journal,
  options: { dataDir?: string; once: boolean; archiveAfterDays?: string },
  signal: AbortSignal,
): Promise<number> {
  const { dataDir, once } = options;
  const runner = new OutboxRunner({
    journal,
    archiveAfterMs: archiveAfterMs(options.archiveAfterDays),
    connect: (job) => jobConnection(job, dataDir),
    probe: (target, s) => whyUnreachable(target, s),
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
  if (outcome === 'held') {
    process.stderr.write(
      'Some jobs are held until their profile is fixed (see outbox list); nothing was sent for them.\n',
    );
    return EXIT.invalid;
  }
  return outcome === 'stopped' ? EXIT.cancelled : EXIT.ok;
}

/** Records a request (the rules of requests.ts); applied at once when no runner holds the outbox. */
async function request(
  journal: Journal,
  id: string | undefined,
  action: OutboxRequest,
  detail: () => Promise<RequestDetail> = async () => ({}),
): Promise<number> {
  if (!id) throw new UsageError(`Give the job ID: ota-publish outbox ${action} ID (see outbox list).`);
  const job = await journal.get(id);
  if (!job) throw new UsageError(`No job ${id} in the outbox ${journal.outboxDir}.`);
  const refused = refusal(job, action);
  if (refused) {
    process.stderr.write(`${refused[cliLocale()]}\n`);
    return EXIT.rejected;
  }
  const { job: after, pending } = await submitRequest(journal, job, action, {}, await detail());
  if (pending)
    process.stderr.write(`The runner has not applied the ${action} yet; it will as soon as it can.\n`);
  process.stdout.write(`${id} ${after.state}\n`);
  return EXIT.ok;
}

export async function runOutbox(argv: readonly string[], signal: AbortSignal): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: {
      'data-dir': { type: 'string' },
      json: { type: 'boolean' },
      once: { type: 'boolean' },
      profile: { type: 'string' },
      'archive-after-days': { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  const [sub, id] = positionals;
  const journal = await openJournal(values['data-dir']);
  switch (sub) {
    case 'list':
      return list(journal, values.json === true);
    case 'run':
      return run(
        journal,
        {
          dataDir: values['data-dir'],
          once: values.once === true,
          archiveAfterDays: values['archive-after-days'],
        },
        signal,
      );
    case 'retry':
    case 'cancel':
      return request(journal, id, sub);
    case 'move': {
      const profile = values.profile;
      if (!profile)
        throw new UsageError('Give the profile to send the job with: outbox move ID --profile NAME.');
      // Checked now: the profile must exist and say where it publishes.
      return request(journal, id, 'move', async () => ({
        move: { profile, target: await profileTarget(profile, values['data-dir']) },
      }));
    }
    default:
      throw new UsageError(`Unknown outbox command "${sub ?? ''}": use list, run, retry, cancel or move.`);
  }
}
