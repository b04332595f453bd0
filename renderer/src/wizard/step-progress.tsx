import { useEffect, useRef, useState } from 'react';
import { RateMeter, type JobSummary, type RateReading } from '../../../electron/core/contract.js';
import { CopyButton } from '../components/copy-button.js';
import { ErrorDetails } from '../components/error-details.js';
import { formatBytes, formatDuration, formatRate } from '../format.js';
import type { MessageKey } from '../i18n/en.js';
import { useT } from '../i18n/use-t.js';
import { useOutboxStore, type JobLive } from '../stores/outbox-store.js';
import { useWizardStore } from '../stores/wizard-store.js';
import { VerifyPanel } from './verify/verify-panel.js';
import { PendingRequest } from '../views/job-notes.js';

const PHASES = ['hashing', 'uploadUrl', 'uploading', 'creating', 'verifying'] as const;
type Phase = (typeof PHASES)[number];

/** Where a job is among the displayed phases; requesting the URL is "uploading" with no bytes yet. */
function phaseOf(job: JobSummary, live: JobLive | undefined): number {
  if (job.state === 'published') return PHASES.length;
  if (!live) return job.state === 'running' ? 1 : 0;
  switch (live.step) {
    case 'validating':
    case 'hashing':
      return 0;
    case 'uploading': {
      const current = live.fileIndex === undefined ? undefined : live.files[live.fileIndex];
      return current && current.bytes > 0 ? 2 : 1;
    }
    case 'creating':
      return 3;
    case 'verifying':
      return 4;
  }
}

const NO_READING: RateReading = { rate: undefined, etaSeconds: undefined };

/**
 * Speed and time left of one transfer, by the engine's one rule (rate-meter.ts) applied to the
 * counts as they arrive, re-read every second so a stall shows. Nothing while the transfer is not
 * moving (`active` false: not uploading, cancelled, failed, done), and the meter starts over.
 */
function useTransferReading(bytes: number, total: number, active: boolean): RateReading {
  const meter = useRef<RateMeter | null>(null);
  const [reading, setReading] = useState<RateReading>(NO_READING);
  meter.current ??= new RateMeter();
  useEffect(() => {
    const m = meter.current!;
    if (!active) {
      m.reset();
      setReading(NO_READING);
      return;
    }
    setReading(m.sample(bytes, total, performance.now()));
    const tick = setInterval(() => setReading(m.read(performance.now())), 1000);
    return () => clearInterval(tick);
  }, [bytes, total, active]);
  return active ? reading : NO_READING;
}

function TransferLine({
  name,
  size,
  bytes,
  done,
  moving,
}: {
  readonly name: string;
  readonly size: number;
  readonly bytes: number;
  readonly done: boolean;
  readonly moving: boolean;
}) {
  const { t, locale } = useT();
  const { rate, etaSeconds } = useTransferReading(bytes, size, moving);
  let stats = '';
  if (moving && rate !== undefined && rate > 0)
    stats =
      etaSeconds === undefined
        ? ` · ${formatRate(rate)}`
        : ` · ${t('progress.speed', { rate: formatRate(rate), eta: formatDuration(etaSeconds, locale) })}`;
  return (
    <li>
      <div className="transfer-head">
        <span>{name}</span>
        <span className="muted" data-testid="transfer-stats">
          {formatBytes(done ? size : bytes)} / {formatBytes(size)}
          {stats}
        </span>
      </div>
      <progress max={size || 1} value={done ? size : bytes} aria-label={t('progress.fileLabel', { name })} />
    </li>
  );
}

/** Step 7: live progress of the submitted job, then its result or error. */
export function StepProgress() {
  const { t, pick } = useT();
  const [cancelling, setCancelling] = useState<string | undefined>(undefined);
  const jobId = useWizardStore((s) => s.jobId);
  const job = useOutboxStore((s) => (jobId ? s.jobs[jobId] : undefined));
  const live = useOutboxStore((s) => (jobId ? s.live[jobId] : undefined));
  const { cancel } = useOutboxStore.getState();
  if (!job) return <p className="muted">{t('common.loading')}</p>;

  const phase = phaseOf(job, live);
  const isCancelling = cancelling === job.id;
  const active = job.state === 'running' || job.state === 'queued';
  return (
    <>
      <p className={`state state-${job.state}`} role="status" data-job-state={job.state}>
        {job.state === 'queued' && t('progress.queued')}
        {job.state === 'running' && t('progress.running')}
        {job.state === 'published' && t('progress.published')}
        {job.state === 'failed' && t('progress.failed')}
        {job.state === 'cancelled' && t('progress.cancelled')}
      </p>
      <ol className="phases">
        {PHASES.map((p: Phase, i) => (
          <li
            key={p}
            className={
              i < phase
                ? 'phase phase-done'
                : i === phase && job.state === 'running'
                  ? 'phase phase-now'
                  : 'phase'
            }
            aria-current={i === phase && job.state === 'running' ? 'step' : undefined}
          >
            {t(`progress.${p}` as MessageKey)}
          </li>
        ))}
      </ol>
      {live?.note && <p className="note">{pick(live.note)}</p>}
      <ul className="transfers">
        {job.files.map((file, i) => {
          const transfer = live?.files[i];
          const done = job.state === 'published' || phase >= 3;
          // Still uploading once every byte is counted: the kernel drains what it holds.
          const moving =
            job.state === 'running' &&
            !isCancelling &&
            live?.step === 'uploading' &&
            live.fileIndex === i &&
            transfer !== undefined;
          return (
            <TransferLine
              key={`${file.name}-${i}`}
              name={file.name}
              size={file.size}
              bytes={transfer?.bytes ?? 0}
              done={done || (transfer !== undefined && transfer.bytes >= transfer.total && !moving)}
              moving={moving}
            />
          );
        })}
      </ul>
      {active && (
        <button
          type="button"
          className="button-danger"
          onClick={() => {
            // The speed and time left go at once; the job's state follows from the engine.
            setCancelling(job.id);
            void cancel(job.id);
          }}
        >
          {t('progress.cancel')}
        </button>
      )}
      {/* A published job's requests are about its verification: the verify panel tells them. */}
      {job.state !== 'published' && <PendingRequest job={job} />}
      {job.state === 'published' && job.firmwareId && (
        <div className="result" data-testid="result">
          <p>{job.result?.verified === false ? t('progress.notVerified') : t('progress.verified')}</p>
          <p className="firmware-id">
            {t('progress.firmwareId')}: <code data-testid="firmware-id">{job.firmwareId}</code>{' '}
            <CopyButton value={job.firmwareId} what="FirmwareId" />
          </p>
        </div>
      )}
      {job.state === 'published' && <VerifyPanel job={job} />}
      {job.state === 'failed' && job.error && (
        <ErrorDetails
          title={t('progress.failed')}
          message={job.error.message}
          hint={job.error.hint}
          code={job.error.code}
          requestId={job.error.requestId}
        />
      )}
    </>
  );
}
