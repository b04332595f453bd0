import { useEffect } from 'react';
import { useWizardStore } from '../stores/wizard-store.js';
import { formKey } from './form-reducer.js';

/** How long typing pauses before the app service is asked (spec.validate). */
export const REMOTE_CHECK_DELAY_MS = 250;

/**
 * Asks the app service's checks about the draft whenever it changes (after a pause), so what only
 * it can know (a FirmwareName already in the outbox) shows at the field before Review.
 */
export function useRemoteCheck(): void {
  const key = useWizardStore((s) => formKey(s.form));
  useEffect(() => {
    const timer = setTimeout(() => void useWizardStore.getState().checkRemote(), REMOTE_CHECK_DELAY_MS);
    return () => clearTimeout(timer);
  }, [key]);
}
