import { useEffect } from 'react';
import type { NameCheck } from '../../../electron/core/contract.js';
import { validateField } from '../../../electron/core/contract.js';
import { useWizardStore } from '../stores/wizard-store.js';
import { nameKey } from './form-reducer.js';
import { REMOTE_CHECK_DELAY_MS } from './use-remote-check.js';

/** How long typing pauses before the cloud is asked about the FirmwareName (it lists every package). */
export const NAME_CHECK_DELAY_MS = REMOTE_CHECK_DELAY_MS * 2;

/**
 * Asks the cloud (the pre-flight's name check, through the app service) whether the FirmwareName
 * is taken, once typing pauses and the local rules pass. The answer for the current name, or null
 * while asking or when nothing was asked.
 */
export function useNameCheck(): NameCheck | null {
  const key = useWizardStore((s) => nameKey(s.form));
  const check = useWizardStore((s) => s.nameCheck);
  const askable = useWizardStore(
    (s) =>
      validateField('ProductKey', s.form.productKey.trim()) === undefined &&
      validateField('FirmwareName', s.form.firmwareName) === undefined,
  );
  useEffect(() => {
    if (!askable) return undefined;
    const timer = setTimeout(() => void useWizardStore.getState().checkName(), NAME_CHECK_DELAY_MS);
    return () => clearTimeout(timer);
  }, [key, askable]);
  return askable && check.key === key ? check.result : null;
}
