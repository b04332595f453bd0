import type { JobSummary } from '../../../electron/core/contract.js';
import { CopyButton } from '../components/copy-button.js';
import { ErrorDetails } from '../components/error-details.js';
import { formatBytes, formatDuration, formatRate } from '../format.js';
import type { MessageKey } from '../i18n/en.js';
import { useT } from '../i18n/use-t.js';
import { useOutboxStore, type JobLive } from '../stores/outbox-store.js';
import { useWizardStore } from '../stores/wizard-store.js';
import { VerifyPanel } from './verify/verify-panel.js';

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

/** Step 7: live progress of the submitted job, then its result or error. */
export function StepProgress() {
  const { t, pick, locale } = useT();
  const jobId = useWizardStore((s) => s.jobId);
  const job = useOutboxStore((s) => (jobId ? s.jobs[jobId] : undefined));
  const live = useOutboxStore((s) => (jobId ? s.live[jobId] : undefined));
  const { cancel } = useOutboxStore.getState();
  if (!job) return <p className="muted">{t('common.loading')}</p>;

  const phase = phaseOf(job, live);
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
          const done =
            job.state === 'published' ||
            phase >= 3 ||
            (transfer !== undefined && transfer.bytes >= transfer.total);
          const bytes = done ? file.size : (transfer?.bytes ?? 0);
          const rate = transfer?.rate ?? 0;
          return (
            <li key={`${file.name}-${i}`}>
              <div className="transfer-head">
                <span>{file.name}</span>
                <span className="muted">
                  {formatBytes(bytes)} / {formatBytes(file.size)}
                  {!done &&
                    rate > 0 &&
                    ` · ${t('progress.speed', { rate: formatRate(rate), eta: formatDuration((file.size - bytes) / rate, locale) })}`}
                </span>
              </div>
              <progress
                max={file.size || 1}
                value={bytes}
                aria-label={t('progress.fileLabel', { name: file.name })}
              />
            </li>
          );
        })}
      </ul>
      {active && (
        <button type="button" className="button-danger" onClick={() => void cancel(job.id)}>
          {t('progress.cancel')}
        </button>
      )}
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
