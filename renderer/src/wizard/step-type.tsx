import { useEffect, useState } from 'react';
import type { VersionInfo } from '../../../electron/core/contract.js';
import { Field } from '../components/field.js';
import { useT } from '../i18n/use-t.js';
import { ipc } from '../ipc/client.js';
import { useWizardStore } from '../stores/wizard-store.js';
import { fieldId, useDialect, useStepIssues } from './use-step.js';

/** Step 4: full or differential; a differential package names the version it upgrades from. */
export function StepType() {
  const { t, pick } = useT();
  const form = useWizardStore((s) => s.form);
  const { set } = useWizardStore.getState();
  const dialect = useDialect();
  const issue = useStepIssues('type');
  const [versions, setVersions] = useState<readonly VersionInfo[]>([]);

  useEffect(() => {
    let live = true;
    ipc.cloud.versions(form.profile, form.productKey.trim()).then(
      (list) => live && setVersions(list),
      () => live && setVersions([]),
    );
    return () => {
      live = false;
    };
  }, [form.profile, form.productKey]);

  const module = form.moduleName === '' ? 'default' : form.moduleName;
  const published = [
    ...new Set(
      versions
        .filter((v) => (v.moduleName ?? 'default') === module && v.destVersion !== form.destVersion)
        .map((v) => v.destVersion),
    ),
  ];
  const typeError = issue('Type');

  return (
    <>
      <fieldset className="field" aria-describedby={typeError ? 'type-error' : undefined}>
        <legend>{t('type.legend')}</legend>
        <label className="radio radio-card">
          <input
            type="radio"
            name="package-type"
            value="full"
            checked={form.type === 'full'}
            onChange={() => set('type', 'full')}
          />
          <span>
            <strong>{t('type.full')}</strong>
            <span className="hint">{t('type.fullHint')}</span>
          </span>
        </label>
        <label className="radio radio-card">
          <input
            type="radio"
            name="package-type"
            value="diff"
            checked={form.type === 'diff'}
            disabled={dialect === 'tuya' && form.type !== 'diff'}
            onChange={() => set('type', 'diff')}
          />
          <span>
            <strong>{t('type.diff')}</strong>
            <span className="hint">{dialect === 'tuya' ? t('type.diffTuya') : t('type.diffHint')}</span>
          </span>
        </label>
        {typeError && (
          <p className="error" id="type-error" data-field-error="type">
            {pick(typeError)}
          </p>
        )}
      </fieldset>
      {form.type === 'diff' && (
        <>
          <Field
            id={fieldId('SrcVersion')}
            label={t('type.src')}
            hint={t('type.srcHint')}
            error={issue('SrcVersion')}
          >
            {(control) => (
              <input
                {...control}
                list="src-version-suggestions"
                value={form.srcVersion}
                spellCheck={false}
                autoComplete="off"
                onChange={(e) => set('srcVersion', e.target.value)}
              />
            )}
          </Field>
          <datalist id="src-version-suggestions">
            {published.map((v) => (
              <option key={v} value={v} />
            ))}
          </datalist>
          {published.length > 0 && (
            <div className="chips" role="group" aria-label={t('type.published')}>
              {published.slice(0, 12).map((v) => (
                <button
                  key={v}
                  type="button"
                  className={v === form.srcVersion ? 'chip chip-on' : 'chip'}
                  aria-pressed={v === form.srcVersion}
                  onClick={() => set('srcVersion', v)}
                >
                  {v}
                </button>
              ))}
            </div>
          )}
        </>
      )}
    </>
  );
}
