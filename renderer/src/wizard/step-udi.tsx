import { useRef } from 'react';
import { LIMITS, countChars } from '../../../electron/core/contract.js';
import { Field } from '../components/field.js';
import { useT } from '../i18n/use-t.js';
import { useWizardStore } from '../stores/wizard-store.js';
import { looksLikeJson, udiJsonError } from './rules.js';
import { fieldId, useStepIssues } from './use-step.js';

/** Step 5: the message devices receive with the upgrade (Udi). */
export function StepUdi() {
  const { t } = useT();
  const udi = useWizardStore((s) => s.form.udi);
  const { set } = useWizardStore.getState();
  const issue = useStepIssues('udi');
  const area = useRef<HTMLTextAreaElement>(null);
  const length = countChars(udi);
  const jsonError = udiJsonError(udi);

  const insertTemplate = (): void => {
    const template = JSON.stringify({ ota_notice: t('udi.templateText') });
    const value = udi.trim() === '' ? template : `${udi}\n${template}`;
    set('udi', value);
    // Select the placeholder text so typing replaces it.
    setTimeout(() => {
      const el = area.current;
      if (!el) return;
      el.focus();
      const start = value.lastIndexOf(t('udi.templateText'));
      el.setSelectionRange(start, start + t('udi.templateText').length);
    }, 0);
  };

  return (
    <>
      <Field
        id={fieldId('Udi')}
        label={t('udi.label')}
        hint={t('udi.hint')}
        error={issue('Udi')}
        counter={t('common.chars', { n: length, max: LIMITS.udi })}
        counterOver={length > LIMITS.udi}
      >
        {(control) => (
          <textarea
            {...control}
            ref={area}
            rows={8}
            spellCheck={false}
            className="mono"
            value={udi}
            onChange={(e) => set('udi', e.target.value)}
          />
        )}
      </Field>
      <div className="input-row">
        <button type="button" onClick={insertTemplate}>
          {t('udi.template')}
        </button>
        {looksLikeJson(udi) && jsonError === undefined && (
          <span className="ok" role="status">
            {t('udi.jsonOk')}
          </span>
        )}
      </div>
    </>
  );
}
