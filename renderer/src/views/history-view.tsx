import { useEffect, useState } from 'react';
import type { HistoryList, HistoryRecord, IpcError } from '../../../electron/core/contract.js';
import { VERIFICATION_STATE_TEXT } from '../../../electron/core/contract.js';
import { ErrorDetails } from '../components/error-details.js';
import { useT } from '../i18n/use-t.js';
import { ipc, ipcErrorOf } from '../ipc/client.js';
import { formatUtc } from './package-rows.js';
import '../styles/views.css';

/** The endpoint's host (the endpoint as written when it is not a URL). */
function hostOf(endpoint: string): string {
  try {
    return new URL(endpoint).host;
  } catch {
    return endpoint;
  }
}

function HistoryRow({ record }: { readonly record: HistoryRecord }) {
  const { t, pick } = useT();
  const result = record.verify?.result;
  return (
    <tr data-history={record.key}>
      <td>{formatUtc(record.at)}</td>
      <td>
        {record.event === 'publish'
          ? t('history.publish')
          : t('history.verification', { result: result ? pick(VERIFICATION_STATE_TEXT[result]) : '' })}
      </td>
      <td>
        <strong>{record.firmwareName ?? record.firmwareId}</strong>
        {record.destVersion && <> · {record.destVersion}</>}
        <div className="muted">
          {record.productKey} · {record.moduleName ?? 'default'} · <code>{record.firmwareId}</code>
        </div>
      </td>
      <td>
        {record.profile ?? '—'}
        {record.cloud.sandbox && <span className="badge">{t('history.sandbox')}</span>}
        <div className="muted">{hostOf(record.cloud.endpoint)}</div>
      </td>
      <td>{record.user ?? '—'}</td>
    </tr>
  );
}

/** Every publish and verification from history.jsonl, newest first, and "Export CSV". */
export function HistoryView() {
  const { t } = useT();
  const [history, setHistory] = useState<HistoryList | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  useEffect(() => {
    ipc.history.list().then(setHistory, (e) => setError(ipcErrorOf(e)));
  }, []);

  const exportCsv = async (): Promise<void> => {
    setError(null);
    setSaved(null);
    try {
      setSaved(await ipc.history.exportCsv());
    } catch (e) {
      setError(ipcErrorOf(e));
    }
  };

  return (
    <section className="panel" aria-labelledby="history-title">
      <div className="panel-head">
        <h2 id="history-title">{t('history.label')}</h2>
        <span className="spacer" />
        <button
          type="button"
          onClick={() => void exportCsv()}
          disabled={!history || history.records.length === 0}
        >
          {t('history.export')}
        </button>
      </div>
      <p className="muted">{t('history.intro')}</p>
      {saved && (
        <p className="ok" role="status">
          {t('history.exported', { path: saved })}
        </p>
      )}
      {error && (
        <ErrorDetails title={t('error.generic', { message: '' })} message={error.message} code={error.code} />
      )}
      {history === null && !error && <p className="muted">{t('common.loading')}</p>}
      {history && history.skipped > 0 && (
        <p className="muted">{t('history.skipped', { n: history.skipped })}</p>
      )}
      {history?.records.length === 0 && <p className="muted">{t('history.empty')}</p>}
      {history && history.records.length > 0 && (
        <table className="package-table">
          <thead>
            <tr>
              <th scope="col">{t('history.when')}</th>
              <th scope="col">{t('history.event')}</th>
              <th scope="col">{t('history.package')}</th>
              <th scope="col">{t('history.where')}</th>
              <th scope="col">{t('history.who')}</th>
            </tr>
          </thead>
          <tbody>
            {history.records.map((r) => (
              <HistoryRow key={r.key} record={r} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
