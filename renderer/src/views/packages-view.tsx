import { useEffect, useState, type FormEvent } from 'react';
import type {
  IpcError,
  ModuleInfo,
  PackageDetail,
  PackageList,
  PackageRow,
} from '../../../electron/core/contract.js';
import type { Text } from '../../../electron/core/i18n/text.js';
import { ErrorDetails } from '../components/error-details.js';
import { pluralKey } from '../format.js';
import { useT } from '../i18n/use-t.js';
import { ipc, ipcErrorOf } from '../ipc/client.js';
import { useProfilesStore } from '../stores/profiles-store.js';
import { useSettingsStore } from '../stores/settings-store.js';
import { PackageDetails } from './package-detail.js';
import { ConfirmDelete } from './package-delete.js';
import { PackageMeter } from './package-meter.js';
import { PackageRows } from './package-rows.js';
import '../styles/views.css';

/** What happened to the last delete: done, or refused with the reason. */
type DeleteNote =
  { readonly kind: 'deleted'; readonly name: string } | { readonly kind: 'refused'; readonly message: Text };

/** The profile and product to start on: the last used ones. */
function useStart(): { profile: string; productKey: string } {
  const settings = useSettingsStore((s) => s.settings);
  const profile = settings.lastProfile ?? 'sandbox';
  return { profile, productKey: settings.recentProducts[profile]?.[0] ?? '' };
}

/** Per profile and product: the packages in the cloud, one's details, delete, and the 500-package meter. */
export function PackagesView() {
  const { t, pick } = useT();
  const start = useStart();
  const profiles = useProfilesStore((s) => s.profiles);
  const [profile, setProfile] = useState(start.profile);
  const [productKey, setProductKey] = useState(start.productKey);
  const [moduleName, setModuleName] = useState<string | null>(null);
  const [products, setProducts] = useState<readonly string[]>([]);
  const [modules, setModules] = useState<readonly ModuleInfo[]>([]);
  const [list, setList] = useState<PackageList | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const [loading, setLoading] = useState(false);
  const [detail, setDetail] = useState<PackageDetail | null>(null);
  const [confirming, setConfirming] = useState<PackageRow | null>(null);
  const [deleting, setDeleting] = useState(false);
  const [note, setNote] = useState<DeleteNote | null>(null);

  useEffect(() => {
    ipc.cloud.products(profile).then(setProducts, () => setProducts([]));
  }, [profile]);
  useEffect(() => {
    // What is listed belongs to the profile and product it was listed for.
    setDetail(null);
    setNote(null);
  }, [profile, productKey]);
  useEffect(() => {
    const key = productKey.trim();
    if (key === '') return setModules([]);
    ipc.cloud.modules(profile, key).then(setModules, () => setModules([]));
  }, [profile, productKey]);

  const load = async (): Promise<void> => {
    const key = productKey.trim();
    if (key === '') return;
    setLoading(true);
    setError(null);
    try {
      setList(await ipc.packages.list(profile, key, moduleName));
    } catch (e) {
      setList(null);
      setError(ipcErrorOf(e));
    } finally {
      setLoading(false);
    }
  };

  useEffect(() => {
    // The last used product's packages show at once; another product waits for "Show packages".
    if (start.productKey !== '') void load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const showDetails = async (row: PackageRow): Promise<void> => {
    setError(null);
    try {
      setDetail(await ipc.packages.show(profile, row.firmwareId));
    } catch (e) {
      setError(ipcErrorOf(e));
    }
  };

  const answer = async (deleteIt: boolean): Promise<void> => {
    const row = confirming;
    if (!row || !deleteIt) return setConfirming(null);
    setDeleting(true);
    try {
      const result = await ipc.packages.remove(profile, row.firmwareId);
      setNote(
        result.outcome === 'deleted'
          ? { kind: 'deleted', name: row.firmwareName }
          : { kind: 'refused', message: result.message },
      );
      if (result.outcome === 'deleted' && detail?.firmwareId === row.firmwareId) setDetail(null);
      await load();
    } catch (e) {
      setError(ipcErrorOf(e));
    } finally {
      setDeleting(false);
      setConfirming(null);
    }
  };

  const onSubmit = (e: FormEvent): void => {
    e.preventDefault();
    setNote(null);
    void load();
  };

  return (
    <section className="panel" aria-labelledby="packages-title">
      <div className="panel-head">
        <h2 id="packages-title">{t('packages.label')}</h2>
      </div>
      <form className="package-query" onSubmit={onSubmit}>
        <label>
          {t('packages.profile')}
          <select value={profile} onChange={(e) => setProfile(e.target.value)}>
            {profiles.map((p) => (
              <option key={p.name} value={p.name}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('packages.product')}
          <input
            value={productKey}
            list="package-products"
            spellCheck={false}
            autoComplete="off"
            onChange={(e) => setProductKey(e.target.value)}
          />
          <datalist id="package-products">
            {products.map((p) => (
              <option key={p} value={p} />
            ))}
          </datalist>
        </label>
        <label>
          {t('packages.module')}
          <select value={moduleName ?? ''} onChange={(e) => setModuleName(e.target.value || null)}>
            <option value="">{t('packages.allModules')}</option>
            {modules.map((m) => (
              <option key={m.moduleName} value={m.moduleName}>
                {m.moduleName}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="button-primary" disabled={loading || productKey.trim() === ''}>
          {list ? t('packages.refresh') : t('packages.load')}
        </button>
      </form>
      {productKey.trim() === '' && <p className="muted">{t('packages.pickProduct')}</p>}
      {loading && <p className="muted">{t('common.loading')}</p>}
      {error && (
        <ErrorDetails
          title={t('error.generic', { message: '' })}
          message={error.message}
          code={error.code}
          cloudMessage={error.cloudMessage}
          requestId={error.requestId}
        />
      )}
      {note?.kind === 'deleted' && (
        <p className="ok" role="status">
          {t('packages.deleted', { name: note.name })}
        </p>
      )}
      {note?.kind === 'refused' && (
        <p className="error" role="alert" data-delete-refused>
          {pick(note.message)}
        </p>
      )}
      {confirming && <ConfirmDelete row={confirming} busy={deleting} onAnswer={(yes) => void answer(yes)} />}
      {list && (
        <>
          <PackageMeter list={list} />
          <p className="muted">
            {t(pluralKey(list.rows.length, 'packages.countOne', 'packages.count'), { n: list.rows.length })}
          </p>
          {list.rows.length === 0 ? (
            <p className="muted">{t('packages.empty')}</p>
          ) : (
            <PackageRows
              rows={list.rows}
              onDetails={(r) => void showDetails(r)}
              onDelete={(r) => {
                setNote(null);
                setConfirming(r);
              }}
            />
          )}
        </>
      )}
      {detail && <PackageDetails detail={detail} onClose={() => setDetail(null)} />}
    </section>
  );
}
