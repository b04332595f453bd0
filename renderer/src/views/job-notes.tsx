/**
 * Notes a job row, the wizard's progress step and its verify panel share: why a job waits and
 * when it is tried next, and a cancel/retry the outbox has not applied yet.
 */
import { useEffect, useState } from 'react';
import type { JobSummary } from '../../../electron/core/contract.js';
import { formatDuration } from '../format.js';
import type { MessageKey } from '../i18n/en.js';
import { useT } from '../i18n/use-t.js';

const pad = (n: number): string => String(n).padStart(2, '0');

/** 14:05:09, local time (written out: no ICU data needed). */
export function formatClock(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** The current time, ticking every second while `active` (for "in 25 s"). */
export function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return undefined;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

/** "Next attempt at 14:05:09 (in 25 s)", or what happens when none is scheduled. */
export function NextAttempt({ job, now }: { readonly job: JobSummary; readonly now: number }) {
  const { t, locale } = useT();
  const next = job.nextAttemptAt;
  return (
    <p className="muted" data-next-attempt={next ?? ''}>
      {next === null
        ? t(job.waiting?.kind === 'held' ? 'outbox.noAttempt' : 'outbox.whenReachable')
        : next <= now
          ? t('outbox.nextAttemptDue')
          : t('outbox.nextAttempt', {
              time: formatClock(next),
              in: formatDuration((next - now) / 1000, locale),
            })}
    </p>
  );
}

/** A published job whose verification waits for the cloud: why, and when it goes on (it stays published). */
export function VerificationWaiting({ job }: { readonly job: JobSummary }) {
  const { pick } = useT();
  const now = useNow(job.nextAttemptAt !== null);
  if (job.state !== 'published' || !job.waiting) return null;
  return (
    <div className="job-waiting" data-waiting={job.waiting.kind}>
      <p className="warn">{pick(job.waiting.message)}</p>
      <NextAttempt job={job} now={now} />
    </div>
  );
}

/** "Cancel requested: the outbox applies it when the current step ends", until it did. */
export function PendingRequest({ job }: { readonly job: JobSummary }) {
  const { t } = useT();
  if (!job.pendingRequest) return null;
  return (
    <p className="note" role="status" data-pending-request={job.pendingRequest}>
      {t(`outbox.pending.${job.pendingRequest}` as MessageKey)}
    </p>
  );
}
