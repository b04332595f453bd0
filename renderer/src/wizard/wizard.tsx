import { useEffect, useRef, useState, type FormEvent, type JSX } from 'react';
import type { MessageKey } from '../i18n/en.js';
import { useT } from '../i18n/use-t.js';
import { useAppStore } from '../stores/app-store.js';
import { useWizardStore } from '../stores/wizard-store.js';
import { StepFiles } from './step-files.js';
import { StepProgress } from './step-progress.js';
import { StepReview } from './step-review.js';
import { StepTarget } from './step-target.js';
import { StepType } from './step-type.js';
import { StepUdi } from './step-udi.js';
import { StepVersion } from './step-version.js';
import { RecipeNotice } from './recipe-notice.js';
import { STEPS, type StepId } from './wizard-types.js';

const BODIES: Readonly<Record<StepId, () => JSX.Element>> = {
  target: StepTarget,
  files: StepFiles,
  version: StepVersion,
  type: StepType,
  udi: StepUdi,
  review: StepReview,
  progress: StepProgress,
};

/** Moves keyboard focus to the first control that shows an error. */
function focusFirstError(): void {
  const error = document.querySelector<HTMLElement>('[data-field-error]');
  const id = error?.dataset.fieldError;
  const control = id ? document.getElementById(id) : null;
  (control ?? error)?.focus();
}

/** The publish wizard: step list, the current step's form, Back / Next (or Publish). */
export function Wizard() {
  const { t } = useT();
  const step = useWizardStore((s) => s.step);
  const files = useWizardStore((s) => s.form.files);
  const chosenMode = useWizardStore((s) => s.mode);
  const submitting = useWizardStore((s) => s.submitting);
  const online = useAppStore((s) => s.online);
  const { next, back, goTo, submit, reset } = useWizardStore.getState();
  const heading = useRef<HTMLHeadingElement>(null);
  const firstRender = useRef(true);
  // Bumped when Next or Publish is refused; focusing waits for the errors to be rendered.
  const [refused, setRefused] = useState(0);

  useEffect(() => {
    if (refused > 0) focusFirstError();
  }, [refused]);

  useEffect(() => {
    // A new step is announced by moving focus to its heading (not on first load).
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    heading.current?.focus();
  }, [step]);

  const index = STEPS.indexOf(step);
  const Body = BODIES[step];
  const mode = chosenMode ?? (online ? 'now' : 'queue');
  const hashing = files.some((f) => f.hash.status === 'hashing');

  const onSubmit = (e: FormEvent): void => {
    e.preventDefault();
    if (step === 'review') {
      void submit(mode).then((job) => {
        if (!job) setRefused((n) => n + 1);
      });
      return;
    }
    if (!next()) setRefused((n) => n + 1);
  };

  return (
    <section className="wizard" aria-label={t('wizard.label')}>
      <nav aria-label={t('wizard.label')}>
        <ol className="stepper">
          {STEPS.map((s, i) => (
            <li key={s} className={i === index ? 'current' : i < index ? 'done' : ''}>
              <button
                type="button"
                aria-current={i === index ? 'step' : undefined}
                disabled={step === 'progress' || s === 'progress'}
                onClick={() => goTo(s)}
              >
                <span className="step-number">{i + 1}</span>
                {t(`step.${s}` as MessageKey)}
              </button>
            </li>
          ))}
        </ol>
      </nav>
      <form className="step" onSubmit={onSubmit} noValidate data-step={step}>
        <h2 ref={heading} tabIndex={-1}>
          <span className="muted step-of">{t('wizard.stepOf', { n: index + 1, total: STEPS.length })}</span>
          {t(`step.${step}` as MessageKey)}
        </h2>
        <RecipeNotice />
        <Body />
        <div className="step-nav">
          {step !== 'progress' && step !== 'target' && (
            <button type="button" onClick={back}>
              {t('common.back')}
            </button>
          )}
          <span className="spacer" />
          {step === 'review' && (
            <button type="submit" className="button-primary" disabled={submitting || hashing}>
              {hashing
                ? t('review.waitHash')
                : mode === 'now'
                  ? t('review.submitNow')
                  : t('review.submitQueue')}
            </button>
          )}
          {step !== 'review' && step !== 'progress' && (
            <button type="submit" className="button-primary">
              {t('common.next')}
            </button>
          )}
          {step === 'progress' && (
            <button type="button" onClick={reset}>
              {t('wizard.startOver')}
            </button>
          )}
        </div>
      </form>
    </section>
  );
}
