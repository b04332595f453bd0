import { useT } from '../i18n/use-t.js';
import { useWizardStore } from '../stores/wizard-store.js';

interface ProductChipsProps {
  readonly recent: readonly string[];
  readonly cloud: readonly string[];
}

/** Products to pick with one click: the recently used ones, then the cloud's others, each group named for what it is. */
export function ProductChips({ recent, cloud }: ProductChipsProps) {
  const { t } = useT();
  const productKey = useWizardStore((s) => s.form.productKey);
  const { setProductKey } = useWizardStore.getState();
  const others = cloud.filter((key) => !recent.includes(key));
  const groups = [
    { label: t('target.recent'), keys: recent.slice(0, 8) },
    { label: t('target.fromCloud'), keys: others.slice(0, 8) },
  ].filter((g) => g.keys.length > 0);
  return (
    <>
      {groups.map((group) => (
        <div key={group.label} className="chips" role="group" aria-label={group.label}>
          <span className="chips-label" aria-hidden="true">
            {group.label}
          </span>
          {group.keys.map((key) => (
            <button
              key={key}
              type="button"
              className={key === productKey ? 'chip chip-on' : 'chip'}
              aria-pressed={key === productKey}
              onClick={() => setProductKey(key)}
            >
              {key}
            </button>
          ))}
        </div>
      ))}
    </>
  );
}
