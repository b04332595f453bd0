import { useEffect, useState } from 'react';
import { Field } from '../components/field.js';
import { pluralKey } from '../format.js';
import { useT } from '../i18n/use-t.js';
import { ipc } from '../ipc/client.js';
import { useAppStore } from '../stores/app-store.js';
import { useProfilesStore } from '../stores/profiles-store.js';
import { useSettingsStore } from '../stores/settings-store.js';
import { useWizardStore } from '../stores/wizard-store.js';
import { ProductChips } from './product-chips.js';
import { fieldId, useStepIssues } from './use-step.js';

/** Said on the sandbox profile: what it is, and how to add a real one. */
function SandboxNote() {
  const { t } = useT();
  const { setView } = useAppStore.getState();
  return (
    <div className="note sandbox-note" data-testid="sandbox-note">
      <p>{t('target.sandboxNote')}</p>
      <p>
        {t('target.addProfileHint')}{' '}
        <button type="button" className="button-small" onClick={() => setView('profiles')}>
          {t('target.openProfiles')}
        </button>
      </p>
    </div>
  );
}

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
  const [filledOnly, setFilledOnly] = useState(false);

  useEffect(() => {
    if (form.profile === '') return undefined;
    let live = true;
    ipc.cloud.products(form.profile).then(
      (list) => {
        if (!live) return;
        setCloudProducts(list);
        // Exactly one product: nothing to choose, so it is filled in (never over what was typed).
        const only = list.length === 1 ? list[0] : undefined;
        const { form: now, touched } = useWizardStore.getState();
        if (only && now.productKey === '' && !touched.ProductKey) {
          setProductKey(only);
          setFilledOnly(true);
        }
      },
      // Not every account may list products: the user types the key instead.
      () => live && setCloudProducts([]),
    );
    return () => {
      live = false;
    };
  }, [form.profile, setProductKey]);

  const profile = profiles.find((p) => p.name === form.profile);
  const region = regions.find((r) => r.id === profile?.regionId);
  const suggestions = [...new Set([...recent, ...cloudProducts])];
  const cloudHint = t(pluralKey(cloudProducts.length, 'target.cloudProductsOne', 'target.cloudProducts'), {
    n: cloudProducts.length,
  });
  const onlyHint = filledOnly && cloudProducts.length === 1 && form.productKey === cloudProducts[0];

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
      {profile?.builtIn && <SandboxNote />}
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
          onlyHint
            ? t('target.onlyProduct')
            : cloudProducts.length > 0
              ? `${t('target.productHint')} ${cloudHint}`
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
      <ProductChips recent={recent} cloud={cloudProducts} />
    </>
  );
}
