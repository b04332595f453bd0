import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type {
  ConnectionCheck,
  IpcError,
  ProfileInput,
  ProfileSummary,
  ProviderKind,
} from '../../../electron/core/contract.js';
import type { Text } from '../../../electron/core/i18n/text.js';
import { ErrorDetails } from '../components/error-details.js';
import { Field } from '../components/field.js';
import type { MessageKey } from '../i18n/en.js';
import { translate } from '../i18n/translate.js';
import { useT } from '../i18n/use-t.js';
import { ipcErrorOf } from '../ipc/client.js';
import { useProfilesStore } from '../stores/profiles-store.js';
import '../styles/views.css';

interface ProfileFormProps {
  /** The profile being edited; none to add one. */
  readonly editing?: ProfileSummary;
  /** Closes the form; `savedName` after a save, `tested` when its connection test passed. */
  readonly onDone: (savedName?: string, tested?: boolean) => void;
}

/** The form's fields, as the engine's ValidationIssue and ConnectionCheck name them. */
type FormField =
  'name' | 'provider' | 'accessKeyId' | 'secret' | 'securityToken' | 'regionId' | 'instanceId' | 'endpoint';
const FIELDS: readonly FormField[] = [
  'name',
  'provider',
  'accessKeyId',
  'secret',
  'securityToken',
  'regionId',
  'instanceId',
  'endpoint',
];
type FieldErrors = Partial<Record<FormField, Text>>;

const isField = (field: string | undefined): field is FormField =>
  field !== undefined && (FIELDS as readonly string[]).includes(field);

/** A renderer message in both languages (shown like the engine's Text, following the language switch). */
const both = (key: MessageKey): Text => ({ en: translate('en', key), zh: translate('zh', key) });

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
 * Problems show at their field (aria-invalid, aria-describedby); "Test connection" makes one
 * signed read call, and so does every save. Focus moves into the form; Escape closes it.
 */
export function ProfileForm({ editing: editingProp, onDone }: ProfileFormProps) {
  const { t, pick } = useT();
  const regions = useProfilesStore((s) => s.regions);
  const { save, test } = useProfilesStore.getState();
  /** The profile as saved by this form when its connection test then failed (the form stays open). */
  const [savedAs, setSavedAs] = useState<ProfileSummary | null>(null);
  const editing = savedAs ?? editingProp;
  const [name, setName] = useState(editingProp?.name ?? '');
  const [provider, setProvider] = useState<ProviderKind>(
    editingProp?.provider === 'tuya' ? 'tuya' : 'aliyun',
  );
  const [accessKeyId, setAccessKeyId] = useState(editingProp?.accessKeyId ?? '');
  const [secret, setSecret] = useState('');
  /** STS only; write-only like the secret, sent with it. */
  const [securityToken, setSecurityToken] = useState('');
  const [regionId, setRegionId] = useState(editingProp?.regionId ?? regions[0]?.id ?? 'cn-shanghai');
  const [instanceId, setInstanceId] = useState(editingProp?.instanceId ?? '');
  const [endpoint, setEndpoint] = useState(editingProp?.endpoint ?? '');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<IpcError | null>(null);
  const [check, setCheck] = useState<ConnectionCheck | null>(null);
  const [busy, setBusy] = useState<'testing' | 'saving' | null>(null);
  const formRef = useRef<HTMLFormElement>(null);

  // Focus moves into the form: the first field that can be changed.
  useEffect(() => {
    formRef.current?.querySelector<HTMLElement>('input:not([readonly]), select, textarea')?.focus();
  }, []);

  const target = {
    provider,
    regionId: provider === 'aliyun' ? regionId : undefined,
    instanceId: provider === 'aliyun' && instanceId.trim() !== '' ? instanceId.trim() : undefined,
    // Alibaba Cloud: empty means the region's own endpoint; anything typed is a custom one.
    endpoint: endpoint.trim() === '' ? undefined : endpoint.trim(),
  };
  const input = (): ProfileInput => ({ name: name.trim(), accessKeyId: accessKeyId.trim(), ...target });

  /** A setter that also clears what was said about the field (it is being corrected). */
  const edit =
    (field: FormField, setter: (value: string) => void) =>
    (value: string): void => {
      setter(value);
      setErrors((before) => {
        if (!(field in before)) return before;
        const next = { ...before };
        delete next[field];
        return next;
      });
    };

  /** The problems the form can see by itself, by field. */
  const localProblems = (): FieldErrors => {
    const found: FieldErrors = {};
    if (name.trim() === '') found.name = both('profiles.nameRequired');
    if (accessKeyId.trim() === '') found.accessKeyId = both('profiles.keyRequired');
    if (secret === '' && !editing?.hasSecret) found.secret = both('profiles.secretRequired');
    else if (secret === '' && movesTarget(editing, target))
      found.secret = both('profiles.secretForNewTarget');
    if (securityToken.trim() !== '' && secret === '')
      found.securityToken = both('profiles.securityTokenNeedsSecret');
    if (provider === 'tuya' && !/^https?:\/\//.test(endpoint.trim()))
      found.endpoint = both('profiles.endpointRequired');
    return found;
  };

  /** Shows a connection check: its message at the field at fault, or under the buttons. */
  const showCheck = (result: ConnectionCheck): void => {
    setCheck(result);
    if (!result.ok && isField(result.field)) {
      const field = result.field;
      setErrors((before) => ({ ...before, [field]: result.message }));
    }
  };

  /** The typed token, sent only with a typed secret (null: none, or the stored one with the stored secret). */
  const typedToken = (): string | null =>
    secret === '' || securityToken.trim() === '' ? null : securityToken;

  const runTest = async (secretToUse: string | null): Promise<ConnectionCheck | null> => {
    setBusy('testing');
    try {
      const result = await test(input(), secretToUse, secretToUse === null ? null : typedToken());
      showCheck(result);
      return result;
    } catch (err) {
      setError(ipcErrorOf(err));
      return null;
    } finally {
      setBusy(null);
    }
  };

  const onTest = async (): Promise<void> => {
    setError(null);
    setCheck(null);
    const { name: _ignored, ...problems } = localProblems();
    void _ignored;
    setErrors(problems);
    if (Object.keys(problems).length > 0) return;
    await runTest(secret === '' ? null : secret);
  };

  const onSubmit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setError(null);
    setCheck(null);
    const problems = localProblems();
    setErrors(problems);
    if (Object.keys(problems).length > 0) return;
    let saved: ProfileSummary;
    setBusy('saving');
    try {
      saved = await save(input(), secret === '' ? null : secret, typedToken());
    } catch (err) {
      const failure = ipcErrorOf(err);
      const atFields: FieldErrors = {};
      const elsewhere = (failure.issues ?? []).filter((i) => {
        if (!isField(i.field)) return true;
        atFields[i.field] ??= i.message;
        return false;
      });
      setErrors(atFields);
      // Only what no field shows goes into the box.
      if (elsewhere.length > 0 || (failure.issues ?? []).length === 0) {
        setError(elsewhere.length > 0 ? { ...failure, message: elsewhere[0]!.message } : failure);
      }
      setBusy(null);
      return;
    }
    setBusy(null);
    // Every save tests the connection; the profile is kept either way (it may be prepared offline).
    const result = await runTest(secret === '' ? null : secret);
    setSecret('');
    setSecurityToken('');
    if (result && !result.ok) {
      setSavedAs(saved);
      return;
    }
    onDone(saved.name, result?.ok === true);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLFormElement>): void => {
    if (e.key !== 'Escape') return;
    e.preventDefault();
    e.stopPropagation();
    onDone(savedAs?.name);
  };

  const errorOf = (field: FormField): Text | undefined => errors[field];

  return (
    <form
      ref={formRef}
      className="profile-form"
      onSubmit={(e) => void onSubmit(e)}
      onKeyDown={onKeyDown}
      noValidate
      aria-labelledby="profile-form-title"
    >
      <h3 id="profile-form-title">
        {editing ? t('profiles.editing', { name: editing.name }) : t('profiles.add')}
      </h3>
      <Field id="profile-name" label={t('profiles.name')} error={errorOf('name')}>
        {(control) => (
          <input
            {...control}
            value={name}
            readOnly={Boolean(editing)}
            onChange={(e) => edit('name', setName)(e.target.value)}
          />
        )}
      </Field>
      <Field id="profile-provider" label={t('profiles.provider')} error={errorOf('provider')}>
        {(control) => (
          <select
            {...control}
            value={provider}
            onChange={(e) => edit('provider', (v) => setProvider(v as ProviderKind))(e.target.value)}
          >
            <option value="aliyun">{t('target.provider.aliyun')}</option>
            <option value="tuya">{t('target.provider.tuya')}</option>
          </select>
        )}
      </Field>
      {provider === 'aliyun' && (
        <>
          <Field id="profile-region" label={t('profiles.region')} error={errorOf('regionId')}>
            {(control) => (
              <select
                {...control}
                value={regionId}
                onChange={(e) => edit('regionId', setRegionId)(e.target.value)}
              >
                {regions.map((r) => (
                  <option key={r.id} value={r.id}>
                    {pick(r.name)} ({r.id})
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field id="profile-instance" label={t('profiles.instance')} error={errorOf('instanceId')}>
            {(control) => (
              <input
                {...control}
                value={instanceId}
                spellCheck={false}
                onChange={(e) => edit('instanceId', setInstanceId)(e.target.value)}
              />
            )}
          </Field>
          <Field
            id="profile-endpoint"
            label={t('profiles.customEndpoint')}
            hint={t('profiles.customEndpointHint')}
            error={errorOf('endpoint')}
          >
            {(control) => (
              <input
                {...control}
                value={endpoint}
                spellCheck={false}
                placeholder={t('profiles.customEndpointPlaceholder')}
                onChange={(e) => edit('endpoint', setEndpoint)(e.target.value)}
              />
            )}
          </Field>
        </>
      )}
      {provider === 'tuya' && (
        <Field id="profile-endpoint" label={t('profiles.endpoint')} error={errorOf('endpoint')}>
          {(control) => (
            <input
              {...control}
              value={endpoint}
              spellCheck={false}
              placeholder={t('profiles.endpointHint')}
              onChange={(e) => edit('endpoint', setEndpoint)(e.target.value)}
            />
          )}
        </Field>
      )}
      <Field id="profile-key" label={t('profiles.accessKeyId')} error={errorOf('accessKeyId')}>
        {(control) => (
          <input
            {...control}
            value={accessKeyId}
            spellCheck={false}
            autoComplete="off"
            onChange={(e) => edit('accessKeyId', setAccessKeyId)(e.target.value)}
          />
        )}
      </Field>
      <Field
        id="profile-secret"
        label={t('profiles.secret')}
        hint={`${editing?.hasSecret ? t('profiles.secretSet') : t('profiles.secretUnset')} ${t('profiles.secretHint')}`}
        error={errorOf('secret')}
      >
        {(control) => (
          <input
            {...control}
            type="password"
            value={secret}
            autoComplete="new-password"
            onChange={(e) => edit('secret', setSecret)(e.target.value)}
          />
        )}
      </Field>
      <Field
        id="profile-security-token"
        label={t('profiles.securityToken')}
        hint={`${editing?.hasSecurityToken ? `${t('profiles.securityTokenSet')} ` : ''}${t('profiles.securityTokenHint')}`}
        error={errorOf('securityToken')}
      >
        {(control) => (
          <input
            {...control}
            type="password"
            value={securityToken}
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => edit('securityToken', setSecurityToken)(e.target.value)}
          />
        )}
      </Field>
      <div
        className="connection-check"
        role="status"
        aria-live="polite"
        data-connection-check={checkState(check, busy)}
      >
        {busy === 'testing' && <p className="muted">{t('profiles.testing')}</p>}
        {savedAs && check && !check.ok && (
          <p className="warn">{t('profiles.savedTestFailed', { name: savedAs.name })}</p>
        )}
        {check && (
          <p className={check.ok ? 'ok' : 'error'}>
            {/* A failure at a field is said there; here only what no field shows. */}
            {check.ok || !isField(check.field) ? `${pick(check.message)} ` : ''}
            {check.code && <code>{check.code}</code>}
            {check.requestId && (
              <>
                {' '}
                {t('common.requestId')} <code>{check.requestId}</code>
              </>
            )}
          </p>
        )}
      </div>
      {error && (
        <ErrorDetails
          title={t('profiles.saveFailed')}
          message={error.message}
          code={error.code}
          requestId={error.requestId}
        />
      )}
      <div className="step-nav">
        <button type="button" onClick={() => onDone(savedAs?.name)}>
          {savedAs ? t('common.close') : t('common.cancel')}
        </button>
        <span className="spacer" />
        <button type="button" onClick={() => void onTest()} disabled={busy !== null}>
          {t('profiles.test')}
        </button>
        <button type="submit" className="button-primary" disabled={busy !== null}>
          {t('common.save')}
        </button>
      </div>
    </form>
  );
}

function checkState(check: ConnectionCheck | null, busy: 'testing' | 'saving' | null): string {
  if (busy === 'testing') return 'testing';
  if (!check) return 'none';
  return check.ok ? 'ok' : `failed:${check.field ?? ''}`;
}
