import { useEffect, useRef, useState } from 'react';
import type { JobSummary, ProfileSummary } from '../../../electron/core/contract.js';
import type { MessageKey } from '../i18n/en.js';
import { pluralKey } from '../format.js';
import { useT } from '../i18n/use-t.js';
import { useAppStore } from '../stores/app-store.js';
import { useProfilesStore } from '../stores/profiles-store.js';
import { ProfileForm } from './profile-form.js';
import '../styles/views.css';

/** Where focus goes back to when the form closes: the Add button or a profile's Edit button. */
type Opener = 'add' | { readonly edit: string };

/** The list of profiles with add / edit / remove. */
export function ProfilesView() {
  const { t, pick } = useT();
  const profiles = useProfilesStore((s) => s.profiles);
  const regions = useProfilesStore((s) => s.regions);
  const editRequest = useProfilesStore((s) => s.editRequest);
  const { remove, usage, requestEdit } = useProfilesStore.getState();
  const [editing, setEditing] = useState<ProfileSummary | 'new' | null>(null);
  const [saved, setSaved] = useState<{ name: string; tested: boolean } | null>(null);
  const [confirming, setConfirming] = useState<{
    profile: ProfileSummary;
    jobs: readonly JobSummary[];
  } | null>(null);
  const [refocus, setRefocus] = useState<Opener | null>(null);
  const listRef = useRef<HTMLElement>(null);
  const addRef = useRef<HTMLButtonElement>(null);
  const keepRef = useRef<HTMLButtonElement>(null);

  // "Edit profile" on an outbox row: open that profile in the form.
  useEffect(() => {
    if (editRequest === null) return;
    const found = profiles.find((p) => p.name === editRequest && !p.builtIn);
    if (found) {
      setSaved(null);
      setEditing(found);
    }
    requestEdit(null);
  }, [editRequest, profiles, requestEdit]);

  // Focus returns to what opened the form (or the confirmation) once it is gone.
  useEffect(() => {
    if (refocus === null || editing !== null || confirming !== null) return;
    const target =
      refocus === 'add'
        ? addRef.current
        : [...(listRef.current?.querySelectorAll<HTMLElement>('[data-profile]') ?? [])]
            .find((row) => row.dataset.profile === refocus.edit)
            ?.querySelector<HTMLElement>('[data-action="edit"]');
    (target ?? addRef.current)?.focus();
    setRefocus(null);
  }, [refocus, editing, confirming]);

  useEffect(() => {
    if (confirming) keepRef.current?.focus();
  }, [confirming]);

  const doRemove = (p: ProfileSummary): void => {
    remove(p.name).catch((e: unknown) => useAppStore.getState().showNotice(e));
  };

  const onRemove = async (p: ProfileSummary): Promise<void> => {
    let jobs: readonly JobSummary[];
    try {
      jobs = await usage(p.name);
    } catch (e) {
      useAppStore.getState().showNotice(e);
      return;
    }
    if (jobs.length > 0) {
      // Jobs still need it: ask here, naming them.
      setConfirming({ profile: p, jobs });
      return;
    }
    if (!window.confirm(t('profiles.confirmRemove', { name: p.name }))) return;
    doRemove(p);
  };

  const closeConfirm = (removeIt: boolean): void => {
    if (!confirming) return;
    if (removeIt) doRemove(confirming.profile);
    setRefocus(removeIt ? 'add' : { edit: confirming.profile.name });
    setConfirming(null);
  };

  const open = (target: ProfileSummary | 'new'): void => {
    setSaved(null);
    setEditing(target);
  };

  return (
    <section className="panel" aria-labelledby="profiles-title" ref={listRef}>
      <div className="panel-head">
        <h2 id="profiles-title">{t('profiles.title')}</h2>
        <span className="spacer" />
        {editing === null && (
          <button ref={addRef} type="button" className="button-primary" onClick={() => open('new')}>
            {t('profiles.add')}
          </button>
        )}
      </div>
      {saved && (
        <p className="ok" role="status">
          {t(saved.tested ? 'profiles.savedTested' : 'profiles.saved', { name: saved.name })}
        </p>
      )}
      {confirming && (
        <div
          className="confirm-remove"
          role="alertdialog"
          aria-labelledby="confirm-remove-title"
          aria-describedby="confirm-remove-body"
          onKeyDown={(e) => {
            if (e.key === 'Escape') closeConfirm(false);
          }}
        >
          <h3 id="confirm-remove-title">{t('profiles.confirmRemove', { name: confirming.profile.name })}</h3>
          <div id="confirm-remove-body">
            <p>
              {t(pluralKey(confirming.jobs.length, 'profiles.removeInUseOne', 'profiles.removeInUse'), {
                n: confirming.jobs.length,
              })}
            </p>
            <ul>
              {confirming.jobs.map((j) => (
                <li key={j.id} data-usage-job={j.id}>
                  <strong>{j.name}</strong> <code>{j.version}</code> (
                  {t(`outbox.state.${j.state}` as MessageKey)})
                </li>
              ))}
            </ul>
          </div>
          <div className="step-nav">
            <button ref={keepRef} type="button" onClick={() => closeConfirm(false)}>
              {t('profiles.keep')}
            </button>
            <button type="button" className="button-danger" onClick={() => closeConfirm(true)}>
              {t('profiles.removeAnyway')}
            </button>
          </div>
        </div>
      )}
      {editing !== null && (
        <ProfileForm
          key={editing === 'new' ? 'new' : editing.name}
          editing={editing === 'new' ? undefined : editing}
          onDone={(name, tested) => {
            setRefocus(editing === 'new' ? 'add' : { edit: editing.name });
            setEditing(null);
            setSaved(name ? { name, tested: tested === true } : null);
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
                    data-action="edit"
                    onClick={() => open(p)}
                    aria-label={`${t('common.edit')} ${p.name}`}
                  >
                    {t('common.edit')}
                  </button>
                  <button
                    type="button"
                    className="button-small button-quiet"
                    data-action="remove"
                    onClick={() => void onRemove(p)}
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
