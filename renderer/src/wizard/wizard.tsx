import { useEffect, useRef, useState, type FormEvent, type JSX } from 'react';
import type { MessageKey } from '../i18n/en.js';
import { useT } from '../i18n/use-t.js';
import { useAppStore } from '../stores/app-store.js';
import { useWizardStore } from '../stores/wizard-store.js';
import { AfterPublish } from './after-publish.js';
import { RecipeNotice } from './recipe-notice.js';
import { StepFiles } from './step-files.js';
import { StepProgress } from './step-progress.js';
import { StepReview } from './step-review.js';
import { StepTarget } from './step-target.js';
import { StepType } from './step-type.js';
import { StepUdi } from './step-udi.js';
import { StepVersion } from './step-version.js';
import { fieldId, useDialect } from './use-step.js';
import { WizardNav } from './wizard-nav.js';
import { WizardStepper } from './wizard-stepper.js';
import { stepsFor, type StepId } from './wizard-types.js';

const BODIES: Readonly<Record<StepId, () => JSX.Element>> = {
  target: StepTarget,
  files: StepFiles,
  version: StepVersion,
  type: StepType,
  udi: StepUdi,
  review: StepReview,
  progress: StepProgress,
};

/** Focuses `el`, making a plain element (an error line, a file card) focusable first. */
function focusOn(el: HTMLElement): void {
  if (el.tabIndex < 0 && !el.hasAttribute('tabindex')) el.setAttribute('tabindex', '-1');
  el.focus();
}

/** Moves keyboard focus to the first problem: its control, else the error itself. */
export function focusFirstError(): void {
  const error = document.querySelector<HTMLElement>('[data-field-error]');
  if (!error) return;
  const id = error.dataset.fieldError;
  const control = id ? document.getElementById(id) : null;
  focusOn(control && !control.hasAttribute('disabled') ? control : error);
}

/** The publish wizard: step list, the current step's form, Back / Next (or Publish). */
export function Wizard() {
  const { t } = useT();
  const step = useWizardStore((s) => s.step);
  const type = useWizardStore((s) => s.form.type);
  const chosenMode = useWizardStore((s) => s.mode);
  const focusField = useWizardStore((s) => s.focusField);
  const online = useAppStore((s) => s.online);
  const { next, submit, focused } = useWizardStore.getState();
  const dialect = useDialect();
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
    if (useWizardStore.getState().focusField === null) heading.current?.focus();
  }, [step]);

  useEffect(() => {
    // A step opened for a field at fault ("Edit and publish again") focuses that field instead.
    if (focusField === null) return;
    const control = document.getElementById(fieldId(focusField));
    if (control) focusOn(control);
    else heading.current?.focus();
    focused();
  }, [focusField, focused]);

  const steps = stepsFor(dialect, type);
  const index = steps.indexOf(step);
  const Body = BODIES[step];
  const mode = chosenMode ?? (online ? 'now' : 'queue');

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
      <WizardStepper steps={steps} />
      <form className="step" onSubmit={onSubmit} noValidate data-step={step}>
        <h2 ref={heading} tabIndex={-1}>
          <span className="muted step-of">{t('wizard.stepOf', { n: index + 1, total: steps.length })}</span>
          {t(`step.${step}` as MessageKey)}
        </h2>
        <RecipeNotice />
        <Body />
        {step === 'progress' && <AfterPublish />}
        <WizardNav />
      </form>
    </section>
  );
}
