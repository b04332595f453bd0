import { useState, type FormEvent } from 'react';
import type { ProfileSummary, ProviderKind, IpcError } from '../../../electron/core/contract.js';
import { ErrorDetails } from '../components/error-details.js';
import { Field } from '../components/field.js';
import type { MessageKey } from '../i18n/en.js';
import { useT } from '../i18n/use-t.js';
import { ipcErrorOf } from '../ipc/client.js';
import { useProfilesStore } from '../stores/profiles-store.js';

interface ProfileFormProps {
  /** The profile being edited; none to add one. */
  readonly editing?: ProfileSummary;
  readonly onDone: (savedName?: string) => void;
}

/** Whether the form now points the profile somewhere else than `editing` did (its secret must be entered again). */
function movesTarget(
  editing: ProfileSummary | undefined,
  next: { provider: ProviderKind; regionId?: string; instanceId?: string; endpoint?: string },
): boolean {
  if (!editing) return false;
  return (
    editing.provider !== next.provider ||
    (editing.regionId ?? '') !== (next.regionId ?? '') ||
    (editing.instanceId ?? '') !== (next.instanceId ?? '') ||
    (editing.endpoint ?? '') !== (next.endpoint ?? '')
  );
}

/**
 * Adds or edits a profile. The secret is write-only: never shown; empty keeps the stored one,
 * unless the profile is pointed somewhere else (a secret is only sent where it was entered for).
 */
export function ProfileForm({ editing, onDone }: ProfileFormProps) {
  const { t, pick } = useT();
  const regions = useProfilesStore((s) => s.regions);
  const save = useProfilesStore((s) => s.save);
  const [name, setName] = useState(editing?.name ?? '');
  const [provider, setProvider] = useState<ProviderKind>(editing?.provider === 'tuya' ? 'tuya' : 'aliyun');
  const [accessKeyId, setAccessKeyId] = useState(editing?.accessKeyId ?? '');
  const [secret, setSecret] = useState('');
  const [regionId, setRegionId] = useState(editing?.regionId ?? regions[0]?.id ?? 'cn-shanghai');
  const [instanceId, setInstanceId] = useState(editing?.instanceId ?? '');
  const [endpoint, setEndpoint] = useState(editing?.endpoint ?? '');
  const [problems, setProblems] = useState<readonly MessageKey[]>([]);
  const [error, setError] = useState<IpcError | null>(null);

  const target = {
    provider,
    regionId: provider === 'aliyun' ? regionId : undefined,
    instanceId: provider === 'aliyun' && instanceId.trim() !== '' ? instanceId.trim() : undefined,
    // Alibaba Cloud: empty means the region's own endpoint; anything typed is a custom one.
    endpoint: endpoint.trim() === '' ? undefined : endpoint.trim(),
  };

  const onSubmit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const missing: MessageKey[] = [];
    if (name.trim() === '') missing.push('profiles.nameRequired');
    if (accessKeyId.trim() === '') missing.push('profiles.keyRequired');
    if (secret === '' && !editing?.hasSecret) missing.push('profiles.secretRequired');
    else if (secret === '' && movesTarget(editing, target)) missing.push('profiles.secretForNewTarget');
    if (provider === 'tuya' && !/^https?:\/\//.test(endpoint.trim()))
      missing.push('profiles.endpointRequired');
    setProblems(missing);
    if (missing.length > 0) return;
    try {
      const saved = await save(
        { name: name.trim(), accessKeyId: accessKeyId.trim(), ...target },
        secret === '' ? null : secret,
      );
      setSecret('');
      onDone(saved.name);
    } catch (err) {
      setError(ipcErrorOf(err));
    }
  };

  return (
    <form className="profile-form" onSubmit={(e) => void onSubmit(e)} noValidate>
      <h3>{editing ? t('profiles.editing', { name: editing.name }) : t('profiles.add')}</h3>
      <Field id="profile-name" label={t('profiles.name')}>
        {(control) => (
          <input
            {...control}
            value={name}
            readOnly={Boolean(editing)}
            onChange={(e) => setName(e.target.value)}
          />
        )}
      </Field>
      <Field id="profile-provider" label={t('profiles.provider')}>
        {(control) => (
          <select {...control} value={provider} onChange={(e) => setProvider(e.target.value as ProviderKind)}>
            <option value="aliyun">{t('target.provider.aliyun')}</option>
            <option value="tuya">{t('target.provider.tuya')}</option>
          </select>
        )}
      </Field>
      {provider === 'aliyun' && (
        <>
          <Field id="profile-region" label={t('profiles.region')}>
            {(control) => (
              <select {...control} value={regionId} onChange={(e) => setRegionId(e.target.value)}>
                {regions.map((r) => (
                  <option key={r.id} value={r.id}>
                    {pick(r.name)} ({r.id})
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field id="profile-instance" label={t('profiles.instance')}>
            {(control) => (
              <input
                {...control}
                value={instanceId}
                spellCheck={false}
                onChange={(e) => setInstanceId(e.target.value)}
              />
            )}
          </Field>
          <Field
            id="profile-endpoint"
            label={t('profiles.customEndpoint')}
            hint={t('profiles.customEndpointHint')}
          >
            {(control) => (
              <input
                {...control}
                value={endpoint}
                spellCheck={false}
                placeholder={t('profiles.customEndpointPlaceholder')}
                onChange={(e) => setEndpoint(e.target.value)}
              />
            )}
          </Field>
        </>
      )}
      {provider === 'tuya' && (
        <Field id="profile-endpoint" label={t('profiles.endpoint')}>
          {(control) => (
            <input
              {...control}
              value={endpoint}
              spellCheck={false}
              placeholder={t('profiles.endpointHint')}
              onChange={(e) => setEndpoint(e.target.value)}
            />
          )}
        </Field>
      )}
      <Field id="profile-key" label={t('profiles.accessKeyId')}>
        {(control) => (
          <input
            {...control}
            value={accessKeyId}
            spellCheck={false}
            autoComplete="off"
            onChange={(e) => setAccessKeyId(e.target.value)}
          />
        )}
      </Field>
      <Field
        id="profile-secret"
        label={t('profiles.secret')}
        hint={`${editing?.hasSecret ? t('profiles.secretSet') : t('profiles.secretUnset')} ${t('profiles.secretHint')}`}
      >
        {(control) => (
          <input
            {...control}
            type="password"
            value={secret}
            autoComplete="new-password"
            onChange={(e) => setSecret(e.target.value)}
          />
        )}
      </Field>
      {problems.map((key) => (
        <p key={key} className="error">
          {t(key)}
        </p>
      ))}
      {error && (
        <ErrorDetails title={t('error.generic', { message: '' })} message={error.message} code={error.code} />
      )}
      <div className="step-nav">
        <button type="button" onClick={() => onDone()}>
          {t('common.cancel')}
        </button>
        <span className="spacer" />
        <button type="submit" className="button-primary">
          {t('common.save')}
        </button>
      </div>
    </form>
  );
}
