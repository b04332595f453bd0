import type { PackageDetail } from '../../../electron/core/contract.js';
import { formatBytes } from '../format.js';
import { useT } from '../i18n/use-t.js';
import { formatUtc } from './package-rows.js';

/** One package: its files with their signs, its status (verification included) and every job of it. */
export function PackageDetails({
  detail,
  onClose,
}: {
  readonly detail: PackageDetail;
  readonly onClose: () => void;
}) {
  const { t, pick } = useT();
  return (
    <section
      className="package-detail"
      aria-labelledby="package-detail-title"
      data-package-detail={detail.firmwareId}
    >
      <div className="panel-head">
        <h3 id="package-detail-title">{t('packages.detailsOf', { name: detail.firmwareName })}</h3>
        <span className="spacer" />
        <button type="button" className="button-small" onClick={onClose}>
          {t('common.close')}
        </button>
      </div>
      <dl className="facts">
        <dt>FirmwareId</dt>
        <dd>
          <code>{detail.firmwareId}</code>
        </dd>
        <dt>DestVersion</dt>
        <dd>{detail.destVersion}</dd>
        {detail.srcVersion && (
          <>
            <dt>SrcVersion</dt>
            <dd>{detail.srcVersion}</dd>
          </>
        )}
        <dt>ModuleName</dt>
        <dd>{detail.moduleName}</dd>
        <dt>{t('packages.status')}</dt>
        <dd data-package-status>
          {pick(detail.statusText)}
          {detail.verifyProgress !== undefined && detail.status === 2 && (
            <> · {t('packages.verifyProgress', { n: detail.verifyProgress })}</>
          )}
        </dd>
        <dt>SignMethod</dt>
        <dd>{detail.signMethod ?? '—'}</dd>
        <dt>{t('packages.created')}</dt>
        <dd>{formatUtc(detail.utcCreate)}</dd>
      </dl>
      <h4>{t('packages.files')}</h4>
      <ul className="package-files">
        {detail.files.map((f) => (
          <li key={f.name}>
            <strong>{f.name}</strong>
            {f.size !== undefined && <> · {formatBytes(f.size)}</>}
            {f.sign && (
              <>
                {' '}
                · {t('packages.sign')} <code className="digest">{f.sign}</code>
              </>
            )}
          </li>
        ))}
      </ul>
      <h4>{t('packages.jobs')}</h4>
      {detail.jobs.length === 0 ? (
        <p className="muted">{t('packages.noJobs')}</p>
      ) : (
        <ul className="package-jobs">
          {detail.jobs.map((j) => (
            <li key={j.jobId} data-package-job={j.jobId}>
              <code>{j.jobId}</code> · {j.jobType} · {j.jobStatus}
              {j.unfinished && <span className="badge badge-warn">{t('packages.unfinished')}</span>}
              {j.utcCreate && <span className="muted"> · {formatUtc(j.utcCreate)}</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
