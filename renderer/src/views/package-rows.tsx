import type { PackageRow } from '../../../electron/core/contract.js';
import { useT } from '../i18n/use-t.js';
import { formatDateTime } from './outbox-view.js';

/** The cloud's UTC time as local "2024-05-01 14:05" (as it came when it is not a date). */
export function formatUtc(utc: string | undefined): string {
  if (!utc) return '—';
  const ms = Date.parse(utc);
  return Number.isNaN(ms) ? utc : formatDateTime(ms);
}

interface RowsProps {
  readonly rows: readonly PackageRow[];
  readonly onDetails: (row: PackageRow) => void;
  readonly onDelete: (row: PackageRow) => void;
}

/** The product's packages: name, version, module, type, status (verification included), created. */
export function PackageRows({ rows, onDetails, onDelete }: RowsProps) {
  const { t, pick } = useT();
  return (
    <table className="package-table">
      <thead>
        <tr>
          <th scope="col">{t('packages.name')}</th>
          <th scope="col">{t('packages.version')}</th>
          <th scope="col">{t('packages.module')}</th>
          <th scope="col">{t('packages.type')}</th>
          <th scope="col">{t('packages.status')}</th>
          <th scope="col">{t('packages.created')}</th>
          <th scope="col">
            <span className="visually-hidden">{t('packages.details')}</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.firmwareId} data-package={r.firmwareName}>
            <th scope="row">{r.firmwareName}</th>
            <td>
              {r.srcVersion ? `${r.srcVersion} → ` : ''}
              {r.destVersion}
            </td>
            <td>{r.moduleName}</td>
            <td>{r.type}</td>
            <td>{pick(r.statusText)}</td>
            <td>{formatUtc(r.utcCreate)}</td>
            <td className="row-actions">
              <button type="button" className="button-small" onClick={() => onDetails(r)}>
                {t('packages.details')}
              </button>
              <button type="button" className="button-small button-danger" onClick={() => onDelete(r)}>
                {t('packages.delete')}
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
