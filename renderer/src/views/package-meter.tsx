import type { PackageList } from '../../../electron/core/contract.js';
import { useT } from '../i18n/use-t.js';

/** "423 of 500 packages": the account's count against its limit, in the warning colour from `warnFrom`. */
export function PackageMeter({ list }: { readonly list: PackageList }) {
  const { t } = useT();
  const warn = list.count >= list.warnFrom;
  return (
    <div className={warn ? 'package-meter package-meter-warn' : 'package-meter'} data-testid="package-meter">
      <meter
        min={0}
        max={list.limit}
        high={list.warnFrom}
        optimum={0}
        value={list.count}
        aria-label={t('packages.meter', { count: list.count, limit: list.limit })}
      />
      <span data-warn={warn ? 'true' : undefined}>
        {t('packages.meter', { count: list.count, limit: list.limit })}
      </span>
      <span className="hint">{t('packages.meterHint', { limit: list.limit })}</span>
    </div>
  );
}
