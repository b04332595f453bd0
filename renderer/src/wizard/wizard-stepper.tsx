import type { MessageKey } from '../i18n/en.js';
import { useT } from '../i18n/use-t.js';
import { useWizardStore } from '../stores/wizard-store.js';
import type { StepId } from './wizard-types.js';

/** The step list: the current step, the done ones (a check mark and "done", not only colour). */
export function WizardStepper({ steps }: { readonly steps: readonly StepId[] }) {
  const { t } = useT();
  const step = useWizardStore((s) => s.step);
  const { goTo } = useWizardStore.getState();
  const index = steps.indexOf(step);
  return (
    <nav aria-label={t('wizard.stepsLabel')}>
      <ol className="stepper">
        {steps.map((s, i) => {
          const done = i < index;
          return (
            <li key={s} className={i === index ? 'current' : done ? 'done' : ''} data-step-item={s}>
              <button
                type="button"
                aria-current={i === index ? 'step' : undefined}
                disabled={step === 'progress' || s === 'progress'}
                onClick={() => goTo(s)}
              >
                <span className="step-number" aria-hidden="true">
                  {done ? '✓' : i + 1}
                </span>
                {t(`step.${s}` as MessageKey)}
                {done && <span className="visually-hidden"> {t('wizard.stepDone')}</span>}
              </button>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
