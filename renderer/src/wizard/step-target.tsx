import { useEffect, useState } from 'react';
import { Field } from '../components/field.js';
import { useT } from '../i18n/use-t.js';
import { ipc } from '../ipc/client.js';
import { useProfilesStore } from '../stores/profiles-store.js';
import { useSettingsStore } from '../stores/settings-store.js';
import { useWizardStore } from '../stores/wizard-store.js';
import { fieldId, useStepIssues } from './use-step.js';

/** Step 1: which profile (cloud account and region) and which product. */
export function StepTarget() {
  const { t, pick } = useT();
  const form = useWizardStore((s) => s.form);
  const { setProfile, setProductKey } = useWizardStore.getState();
  const profiles = useProfilesStore((s) => s.profiles);
  const regions = useProfilesStore((s) => s.regions);
  const recentByProfile = useSettingsStore((s) => s.settings.recentProducts);
  const recent = recentByProfile[form.profile] ?? [];
  const issue = useStepIssues('target');
  const [cloudProducts, setCloudProducts] = useState<readonly string[]>([]);

  useEffect(() => {
    if (form.profile === '') return undefined;
    let live = true;
    ipc.cloud.products(form.profile).then(
      (list) => live && setCloudProducts(list),
      // Not every account may list products: the user types the key instead.
      () => live && setCloudProducts([]),
    );
    return () => {
      live = false;
    };
  }, [form.profile]);

  const profile = profiles.find((p) => p.name === form.profile);
  const region = regions.find((r) => r.id === profile?.regionId);
  const suggestions = [...new Set([...recent, ...cloudProducts])];

  return (
    <>
      <Field id={fieldId('Profile')} label={t('target.profile')} error={issue('Profile')}>
        {(control) => (
          <select {...control} value={form.profile} onChange={(e) => setProfile(e.target.value)}>
            {form.profile === '' && <option value="">—</option>}
            {profiles.map((p) => (
              <option key={p.name} value={p.name}>
                {p.name} · {t(`target.provider.${p.provider}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      {profiles.length === 0 && <p className="hint">{t('target.noProfiles')}</p>}
      {profile && (
        <dl className="facts profile-facts">
          {profile.regionId && (
            <>
              <dt>{t('target.region')}</dt>
              <dd>
                {region ? pick(region.name) : ''} <code>{profile.regionId}</code>
              </dd>
            </>
          )}
          {profile.instanceId && (
            <>
              <dt>{t('target.instance')}</dt>
              <dd>
                <code>{profile.instanceId}</code>
              </dd>
            </>
          )}
          {profile.endpoint && (
            <>
              <dt>{t('target.endpoint')}</dt>
              <dd>
                <code>{profile.endpoint}</code>
              </dd>
            </>
          )}
        </dl>
      )}
      <Field
        id={fieldId('ProductKey')}
        label={t('target.product')}
        hint={
          cloudProducts.length > 0
            ? `${t('target.productHint')} ${t('target.cloudProducts', { n: cloudProducts.length })}`
            : t('target.productHint')
        }
        error={issue('ProductKey')}
      >
        {(control) => (
          <input
            {...control}
            list="product-suggestions"
            autoComplete="off"
            spellCheck={false}
            value={form.productKey}
            onChange={(e) => setProductKey(e.target.value)}
          />
        )}
      </Field>
      <datalist id="product-suggestions">
        {suggestions.map((key) => (
          <option key={key} value={key} />
        ))}
      </datalist>
      {suggestions.length > 0 && (
        <div className="chips" role="group" aria-label={t('target.recent')}>
          {suggestions.slice(0, 8).map((key) => (
            <button
              key={key}
              type="button"
              className={key === form.productKey ? 'chip chip-on' : 'chip'}
              aria-pressed={key === form.productKey}
              onClick={() => setProductKey(key)}
            >
              {key}
            </button>
          ))}
        </div>
      )}
    </>
  );
}
