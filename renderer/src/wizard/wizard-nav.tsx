import { useT } from '../i18n/use-t.js';
import { useAppStore } from '../stores/app-store.js';
import { useOutboxStore } from '../stores/outbox-store.js';
import { useWizardStore } from '../stores/wizard-store.js';
import { remoteIssues } from './form-reducer.js';
import { firstInvalidStep } from './rules.js';
import { useDialect } from './use-step.js';

/** A later step can be skipped to Review: everything up to it is already valid. */
function useCanSkipToReview(): boolean {
  const state = useWizardStore();
  const dialect = useDialect();
  if (!['files', 'version', 'type', 'udi'].includes(state.step)) return false;
  return firstInvalidStep(state.form, dialect, 'review', remoteIssues(state)) === undefined;
}

/** Back / Next (or Publish), "Go to review"; after submitting, "Publish another" or "Edit and publish again". */
export function WizardNav() {
  const { t } = useT();
  const step = useWizardStore((s) => s.step);
  const files = useWizardStore((s) => s.form.files);
  const chosenMode = useWizardStore((s) => s.mode);
  const submitting = useWizardStore((s) => s.submitting);
  const failed = useOutboxStore((s) => {
    const id = useWizardStore.getState().jobId;
    return id ? s.jobs[id]?.state === 'failed' : false;
  });
  const online = useAppStore((s) => s.online);
  const { back, goTo, reset, editAgain } = useWizardStore.getState();
  const canSkip = useCanSkipToReview();
  const mode = chosenMode ?? (online ? 'now' : 'queue');
  const hashing = files.some((f) => f.hash.status === 'hashing');

  return (
    <div className="step-nav">
      {step !== 'progress' && step !== 'target' && (
        <button type="button" onClick={back}>
          {t('common.back')}
        </button>
      )}
      <span className="spacer" />
      {canSkip && step !== 'udi' && (
        <button type="button" onClick={() => goTo('review')}>
          {t('wizard.toReview')}
        </button>
      )}
      {step === 'review' && (
        <button type="submit" className="button-primary" disabled={submitting || hashing}>
          {hashing ? t('review.waitHash') : mode === 'now' ? t('review.submitNow') : t('review.submitQueue')}
        </button>
      )}
      {step !== 'review' && step !== 'progress' && (
        <button type="submit" className="button-primary">
          {t('common.next')}
        </button>
      )}
      {step === 'progress' && failed && (
        <button type="button" className="button-primary" onClick={editAgain}>
          {t('wizard.editAgain')}
        </button>
      )}
      {step === 'progress' && (
        <button type="button" onClick={reset}>
          {t('wizard.startOver')}
        </button>
      )}
    </div>
  );
}
