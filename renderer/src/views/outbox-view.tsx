import { useEffect } from 'react';
import type { MessageKey } from '../i18n/en.js';
import { formatBytes } from '../format.js';
import { useT } from '../i18n/use-t.js';
import { jobList, useOutboxStore } from '../stores/outbox-store.js';
import { VerifyLine } from './verify-line.js';

/** Every outbox job with its state, and retry / cancel where they apply. */
export function OutboxView() {
  const { t, pick } = useT();
  const jobs = useOutboxStore((s) => s.jobs);
  const damaged = useOutboxStore((s) => s.damaged);
  const { load, retry, cancel } = useOutboxStore.getState();
  useEffect(() => {
    void load();
  }, [load]);
  const list = jobList(jobs);

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
          <li key={job.id} className={`job job-${job.state}`} data-job={job.id} data-state={job.state}>
            <div className="job-head">
              <span className={`badge badge-${job.state}`}>
                {t(`outbox.state.${job.state}` as MessageKey)}
              </span>
              <strong>{job.name}</strong>
              <span className="muted">
                {t('outbox.product')} <code>{job.productKey}</code> · {t('outbox.version')}{' '}
                <code>{job.version}</code> · {t('outbox.files', { n: job.files.length })} (
                {formatBytes(job.files.reduce((n, f) => n + f.size, 0))})
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
            {job.step && <p className="muted">{job.step}</p>}
            <VerifyLine job={job} />
            {job.firmwareId && (
              <p>
                FirmwareId <code>{job.firmwareId}</code>
              </p>
            )}
            {job.error && (
              <p className="error">
                {job.error.code && <code>{job.error.code}</code>} {job.error.message}
                {job.error.requestId && (
                  <>
                    {' '}
                    · RequestId <code>{job.error.requestId}</code>
                  </>
                )}
                <br />
                {pick(job.error.hint)}
              </p>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
