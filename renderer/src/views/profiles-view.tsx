import { useState } from 'react';
import type { ProfileSummary } from '../../../electron/core/contract.js';
import { useT } from '../i18n/use-t.js';
import { useAppStore } from '../stores/app-store.js';
import { useProfilesStore } from '../stores/profiles-store.js';
import { ProfileForm } from './profile-form.js';

/** The list of profiles with add / edit / remove. */
export function ProfilesView() {
  const { t, pick } = useT();
  const profiles = useProfilesStore((s) => s.profiles);
  const regions = useProfilesStore((s) => s.regions);
  const remove = useProfilesStore((s) => s.remove);
  const [editing, setEditing] = useState<ProfileSummary | 'new' | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  const onRemove = (p: ProfileSummary): void => {
    if (!window.confirm(t('profiles.confirmRemove', { name: p.name }))) return;
    remove(p.name).catch((e: unknown) => useAppStore.getState().showNotice(e));
  };

  return (
    <section className="panel" aria-labelledby="profiles-title">
      <div className="panel-head">
        <h2 id="profiles-title">{t('profiles.title')}</h2>
        <span className="spacer" />
        {editing === null && (
          <button type="button" className="button-primary" onClick={() => setEditing('new')}>
            {t('profiles.add')}
          </button>
        )}
      </div>
      {saved && (
        <p className="ok" role="status">
          {t('profiles.saved', { name: saved })}
        </p>
      )}
      {editing !== null && (
        <ProfileForm
          editing={editing === 'new' ? undefined : editing}
          onDone={(name) => {
            setEditing(null);
            setSaved(name ?? null);
          }}
        />
      )}
      <ul className="profile-list">
        {profiles.map((p) => {
          const region = regions.find((r) => r.id === p.regionId);
          return (
            <li key={p.name} className="profile" data-profile={p.name}>
              <div>
                <strong>{p.name}</strong>{' '}
                {p.builtIn && <span className="badge">{t('profiles.builtIn')}</span>}
                <div className="muted">
                  {t(`target.provider.${p.provider}`)}
                  {p.regionId && ` · ${region ? pick(region.name) : p.regionId}`}
                  {p.instanceId && ` · ${p.instanceId}`}
                  {p.endpoint && ` · ${p.endpoint}`} · <code>{p.accessKeyId}</code> ·{' '}
                  {p.hasSecret ? t('profiles.hasSecret') : t('profiles.noSecret')}
                </div>
              </div>
              <span className="spacer" />
              {!p.builtIn && (
                <>
                  <button
                    type="button"
                    className="button-small"
                    onClick={() => setEditing(p)}
                    aria-label={`${t('common.edit')} ${p.name}`}
                  >
                    {t('common.edit')}
                  </button>
                  <button
                    type="button"
                    className="button-small button-quiet"
                    onClick={() => onRemove(p)}
                    aria-label={`${t('common.remove')} ${p.name}`}
                  >
                    {t('common.remove')}
                  </button>
                </>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
