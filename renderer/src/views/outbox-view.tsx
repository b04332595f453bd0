import { useEffect } from 'react';
import type { JobSummary } from '../../../electron/core/contract.js';
import { CopyButton } from '../components/copy-button.js';
import type { MessageKey } from '../i18n/en.js';
import { formatBytes, pluralKey } from '../format.js';
import { useT, type Translator } from '../i18n/use-t.js';
import { useAppStore } from '../stores/app-store.js';
import { jobList, uploadFraction, useOutboxStore, type JobLive } from '../stores/outbox-store.js';
import { useProfilesStore } from '../stores/profiles-store.js';
import { MoveJob } from './move-job.js';
import { VerifyLine } from './verify-line.js';
import { NextAttempt, PendingRequest, useNow } from './job-notes.js';
import '../styles/views.css';

const pad = (n: number): string => String(n).padStart(2, '0');

/** 2024-05-01 14:05, local time. */
export function formatDateTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

const STEP_KEYS: Readonly<Record<string, MessageKey>> = {
  creating: 'outbox.step.creating',
  verifying: 'outbox.step.verifying',
  validating: 'outbox.step.validating',
  hashing: 'outbox.step.hashing',
};

/** The engine's step ("uploading 2/3", "creating") in the current language. */
export function stepText(step: string, t: Translator['t']): string {
  const upload = /^uploading (\d+)\/(\d+)$/.exec(step);
  if (upload) return t('outbox.step.uploading', { file: upload[1] ?? '', of: upload[2] ?? '' });
  const key = STEP_KEYS[step];
  return key ? t(key) : step;
}

/** The message without the " [RequestId …]" the engine appends (the row shows the RequestId once). */
function withoutRequestId(message: string): string {
  return message.replace(/\s*\[RequestId [^\]]*\]/g, '').trim();
}

/** Every outbox job with its state, and retry / cancel where they apply. */
export function OutboxView() {
  const { t } = useT();
  const jobs = useOutboxStore((s) => s.jobs);
  const damaged = useOutboxStore((s) => s.damaged);
  const live = useOutboxStore((s) => s.live);
  const { load } = useOutboxStore.getState();
  useEffect(() => {
    void load();
  }, [load]);
  const list = jobList(jobs);
  const now = useNow(list.some((j) => j.waiting !== null && j.nextAttemptAt !== null));

  return (
    <section className="panel" aria-labelledby="outbox-title">
      <h2 id="outbox-title">{t('outbox.title')}</h2>
      {list.length === 0 && damaged.length === 0 && <p className="muted">{t('outbox.empty')}</p>}
      {damaged.length > 0 && (
        <ul className="job-list" aria-label={t('outbox.damagedTitle')}>
          {damaged.map((record) => (
            <li key={record.file} className="job job-failed" data-damaged={record.id}>
              <div className="job-head">
                <span className="badge badge-failed">{t('outbox.state.damaged')}</span>
                <code className="path">{record.file}</code>
              </div>
              <p className="error">
                {t('outbox.damaged')} <code>{record.reason}</code>
                <br />
                {t('outbox.damagedHint')}
              </p>
            </li>
          ))}
        </ul>
      )}
      <ul className="job-list">
        {list.map((job) => (
          <JobRow key={job.id} job={job} live={live[job.id]} now={now} />
        ))}
      </ul>
    </section>
  );
}

function JobRow({ job, live, now }: { job: JobSummary; live: JobLive | undefined; now: number }) {
  const { t, pick } = useT();
  const { retry, cancel } = useOutboxStore.getState();
  const size = job.files.reduce((n, f) => n + f.size, 0);
  // A published job waits only for its verification on devices (it stays published).
  const waiting = job.state === 'queued' || job.state === 'published' ? job.waiting : null;
  return (
    <li className={`job job-${job.state}`} data-job={job.id} data-state={job.state}>
      <div className="job-head">
        <span className={`badge badge-${job.state}`}>{t(`outbox.state.${job.state}` as MessageKey)}</span>
        <strong>{job.name}</strong>
        <span
          className={job.sandbox ? 'badge badge-sandbox' : 'badge badge-live'}
          data-cloud-kind={job.sandbox ? 'sandbox' : 'live'}
        >
          {job.sandbox ? t('outbox.sandbox') : t('outbox.live')}
        </span>
        <span className="spacer" />
        {(job.state === 'failed' || job.state === 'cancelled') && (
          <button
            type="button"
            className="button-small"
            aria-label={t('outbox.retryJob', { name: job.name })}
            onClick={() => void retry(job.id)}
          >
            {t('common.retry')}
          </button>
        )}
        {(job.state === 'queued' || job.state === 'running') && (
          <button
            type="button"
            className="button-small"
            aria-label={t('outbox.cancelJob', { name: job.name })}
            onClick={() => void cancel(job.id)}
          >
            {t('common.cancel')}
          </button>
        )}
      </div>
      <p className="muted job-meta">
        {t('outbox.product')} <code>{job.productKey}</code> · {t('outbox.version')} <code>{job.version}</code>{' '}
        · {t('outbox.module')} <code>{job.moduleName}</code> · {t(`outbox.type.${job.packageType}`)} ·{' '}
        {t(pluralKey(job.files.length, 'outbox.filesOne', 'outbox.files'), { n: job.files.length })} (
        {formatBytes(size)})
        {job.profile && (
          <>
            {' '}
            · {t('outbox.profile')} <code>{job.profile}</code>
          </>
        )}{' '}
        ·{' '}
        <time dateTime={new Date(job.createdAt).toISOString()}>
          {t('outbox.created', { time: formatDateTime(job.createdAt) })}
        </time>
      </p>
      {job.state === 'running' && <Progress job={job} live={live} />}
      {waiting && <Waiting job={job} waiting={waiting} now={now} />}
      <PendingRequest job={job} />
      <VerifyLine job={job} />
      {job.firmwareId && (
        <p className="job-firmware">
          FirmwareId <code>{job.firmwareId}</code> <CopyButton value={job.firmwareId} what="FirmwareId" />
        </p>
      )}
      {job.state === 'cancelled' && (
        <p className="muted" data-cancelled-note>
          {t('outbox.cancelledNote')}
        </p>
      )}
      {job.error && job.state === 'failed' && (
        <div className="error job-error" data-job-error>
          <p>
            {job.error.code && <code>{job.error.code}</code>} {withoutRequestId(job.error.message)}
          </p>
          {job.error.requestId && (
            <p>
              {t('common.requestId')} <code>{job.error.requestId}</code>{' '}
              <CopyButton value={job.error.requestId} what={t('common.requestId')} />
            </p>
          )}
          <p>{pick(job.error.hint)}</p>
        </div>
      )}
      {job.error && job.state === 'queued' && !waiting && <p className="warn">{pick(job.error.hint)}</p>}
    </li>
  );
}

/** The step in the current language, and a bar: per byte while uploading, indeterminate otherwise. */
function Progress({ job, live }: { job: JobSummary; live: JobLive | undefined }) {
  const { t } = useT();
  const fraction = uploadFraction(live, job.files.length);
  const transfers = Object.values(live?.files ?? {});
  const sent = transfers.reduce((n, f) => n + f.bytes, 0);
  const step = job.step ? stepText(job.step, t) : live ? stepText(live.step, t) : null;
  return (
    <div className="job-progress">
      {step && <p className="muted job-step">{step}</p>}
      <progress
        aria-label={t('outbox.progressLabel', { name: job.name })}
        max={1}
        {...(fraction !== undefined ? { value: fraction } : {})}
      />
      {fraction !== undefined && (
        <span className="muted">
          {' '}
          {Math.floor(fraction * 100)}% · {formatBytes(sent)} /{' '}
          {formatBytes(job.files.reduce((n, f) => n + f.size, 0))}
        </span>
      )}
    </div>
  );
}

/** Why a job waits, when it is tried next, and what the user can do now (a queued one). */
function Waiting({
  job,
  waiting,
  now,
}: {
  job: JobSummary;
  waiting: NonNullable<JobSummary['waiting']>;
  now: number;
}) {
  const { t, pick } = useT();
  const { retry } = useOutboxStore.getState();
  const editable = useProfilesStore((s) => s.profiles.some((p) => p.name === job.profile && !p.builtIn));
  const editProfile = (): void => {
    if (!job.profile) return;
    useProfilesStore.getState().requestEdit(job.profile);
    useAppStore.getState().setView('profiles');
  };
  return (
    <div className="job-waiting" data-waiting={waiting.kind}>
      <p className="warn">{pick(waiting.message)}</p>
      <NextAttempt job={job} now={now} />
      {job.state === 'queued' && (
        <div className="job-actions">
          <button
            type="button"
            className="button-small"
            aria-label={t('outbox.retryNowJob', { name: job.name })}
            onClick={() => void retry(job.id)}
          >
            {t('outbox.retryNow')}
          </button>
          {editable && job.profile && (
            <button
              type="button"
              className="button-small"
              aria-label={t('outbox.editProfileOf', { profile: job.profile })}
              onClick={editProfile}
            >
              {t('outbox.editProfile')}
            </button>
          )}
        </div>
      )}
      {waiting.kind === 'held' && <MoveJob job={job} />}
    </div>
  );
}
