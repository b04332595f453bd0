/** The outbox runner's story in the diagnostics log: each job's state changes, offline and back. */
import { stepLabel } from '../publish/job/job.js';
import type { RunnerEvent } from '../publish/outbox/runner.js';
import { describeError, logLine } from './log.js';

/** A listener for OutboxRunner events that logs each job transition once (not every save). */
export function runnerEventLogger(): (event: RunnerEvent) => void {
  const last = new Map<string, string>();
  return (event) => {
    if (event.type === 'job') {
      const { job } = event;
      const held = job.error?.kind === 'held';
      const step = stepLabel(job);
      const state = `${held ? 'held' : job.state}${step ? ` (${step})` : ''}`;
      if (last.get(job.id) === state) return;
      last.set(job.id, state);
      const why =
        job.error && (held || job.state !== 'running') ? ` error=${job.error.code ?? job.error.kind}` : '';
      const firmware = job.firmwareId ? ` firmwareId=${job.firmwareId}` : '';
      logLine(job.state === 'failed' ? 'warn' : 'info', `job ${job.id} ${state}${firmware}${why}`);
    } else if (event.type === 'offline') {
      logLine('warn', `outbox: ${new URL(event.endpoint).host} unreachable (${event.error.message})`);
    } else if (event.type === 'online') {
      logLine('info', `outbox: ${new URL(event.endpoint).host} reachable`);
    } else if (event.type === 'damaged') {
      logLine('warn', `outbox: damaged job record ${event.record.file}`);
    } else if (event.type === 'lock-lost') {
      logLine('warn', 'outbox: another runner took over');
    } else if (event.type === 'history-failed') {
      // The publish stands; only its line in history.jsonl is missing (the app shows no warning).
      logLine('warn', `history: a record was not written (${describeError(event.error)})`);
    }
  };
}
