import { useEffect, useState } from 'react';
import type { ModuleInfo } from '../../../electron/core/contract.js';
import { LIMITS, countChars } from '../../../electron/core/contract.js';
import { Field } from '../components/field.js';
import { useT } from '../i18n/use-t.js';
import { ipc } from '../ipc/client.js';
import { useWizardStore } from '../stores/wizard-store.js';
import { suggestFirmwareName } from './rules.js';
import { useNameCheck } from './use-name-check.js';
import { useRemoteCheck } from './use-remote-check.js';
import { fieldId, useStepIssues } from './use-step.js';

/** Step 3: module, DestVersion, FirmwareName, description, sign method, NeedToVerify. */
export function StepVersion() {
  const { t, pick } = useT();
  const form = useWizardStore((s) => s.form);
  const { setModule, setDestVersion, setFirmwareName, set } = useWizardStore.getState();
  const issue = useStepIssues('version');
  const [modules, setModules] = useState<readonly ModuleInfo[] | null>(null);
  useRemoteCheck();
  const nameCheck = useNameCheck();

  useEffect(() => {
    let live = true;
    ipc.cloud.modules(form.profile, form.productKey.trim()).then(
      (list) => {
        if (!live) return;
        setModules(list);
        // Keep the user's module when the cloud has it; else preselect `default`.
        const current = useWizardStore.getState().form.moduleName;
        if (list.length > 0 && !list.some((m) => m.moduleName === current)) {
          setModule(
            list.find((m) => m.moduleName === 'default')?.moduleName ?? list[0]?.moduleName ?? 'default',
          );
        }
      },
      () => live && setModules([]),
    );
    return () => {
      live = false;
    };
  }, [form.profile, form.productKey, setModule]);

  const suggestion = suggestFirmwareName(form.productKey, form.moduleName, form.destVersion);
  const descLength = countChars(form.desc);

  return (
    <>
      <Field
        id={fieldId('ModuleName')}
        label={t('version.module')}
        hint={t('version.moduleHint')}
        error={issue('ModuleName')}
      >
        {(control) =>
          modules && modules.length > 0 ? (
            <select {...control} value={form.moduleName} onChange={(e) => setModule(e.target.value)}>
              {modules.map((m) => (
                <option key={m.moduleName} value={m.moduleName}>
                  {m.aliasName && m.aliasName !== m.moduleName
                    ? `${m.moduleName} (${m.aliasName})`
                    : m.moduleName}
                </option>
              ))}
            </select>
          ) : (
            <input
              {...control}
              value={form.moduleName}
              spellCheck={false}
              onChange={(e) => setModule(e.target.value)}
            />
          )
        }
      </Field>
      <Field
        id={fieldId('DestVersion')}
        label={t('version.dest')}
        hint={t('version.destHint')}
        error={issue('DestVersion')}
      >
        {(control) => (
          <input
            {...control}
            value={form.destVersion}
            spellCheck={false}
            autoComplete="off"
            onChange={(e) => setDestVersion(e.target.value)}
          />
        )}
      </Field>
      <Field
        id={fieldId('FirmwareName')}
        label={t('version.name')}
        hint={t('version.nameHint')}
        error={issue('FirmwareName')}
        counter={t('common.chars', { n: countChars(form.firmwareName), max: LIMITS.firmwareName })}
        counterOver={countChars(form.firmwareName) > LIMITS.firmwareName}
      >
        {(control) => (
          <div className="input-row">
            <input
              {...control}
              value={form.firmwareName}
              spellCheck={false}
              autoComplete="off"
              onChange={(e) => setFirmwareName(e.target.value)}
            />
            {suggestion !== '' && suggestion !== form.firmwareName && (
              <button type="button" className="button-small" onClick={() => setFirmwareName('')}>
                {t('version.suggest', { name: suggestion })}
              </button>
            )}
            {nameCheck?.state === 'taken' && nameCheck.suggestion && (
              <button
                type="button"
                className="button-small"
                data-free-name={nameCheck.suggestion}
                onClick={() => setFirmwareName(nameCheck.suggestion ?? '')}
              >
                {t('nameCheck.use', { name: nameCheck.suggestion })}
              </button>
            )}
          </div>
        )}
      </Field>
      {nameCheck?.state === 'unchecked' && (
        <p className="muted" data-name-check="unchecked" role="status">
          {t('nameCheck.unchecked', { reason: pick(nameCheck.reason) })}
        </p>
      )}
      <Field
        id={fieldId('FirmwareDesc')}
        label={t('version.desc')}
        error={issue('FirmwareDesc')}
        counter={t('common.chars', { n: descLength, max: LIMITS.firmwareDesc })}
        counterOver={descLength > LIMITS.firmwareDesc}
      >
        {(control) => (
          <textarea {...control} rows={2} value={form.desc} onChange={(e) => set('desc', e.target.value)} />
        )}
      </Field>
      <fieldset className="field">
        <legend>{t('version.signMethod')}</legend>
        <div className="radio-row">
          {(['MD5', 'SHA256'] as const).map((method) => (
            <label key={method} className="radio">
              <input
                type="radio"
                name="sign-method"
                value={method}
                checked={form.signMethod === method}
                onChange={() => set('signMethod', method)}
              />
              {method}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="field">
        <label className="checkbox">
          <input
            type="checkbox"
            checked={form.needToVerify}
            aria-describedby="need-to-verify-hint"
            onChange={(e) => set('needToVerify', e.target.checked)}
          />
          {t('version.needToVerify')}
        </label>
        <p id="need-to-verify-hint" className="hint">
          {t('version.needToVerifyHint')}
        </p>
      </div>
    </>
  );
}
