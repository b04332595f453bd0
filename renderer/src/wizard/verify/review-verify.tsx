import { useT } from '../../i18n/use-t.js';
import { useWizardStore } from '../../stores/wizard-store.js';
import { DevicePicker } from './device-picker.js';
import { useDevices } from './use-devices.js';

/** The Review step's optional devices: named up front, the job verifies on them once published. */
export function ReviewVerify() {
  const { t } = useT();
  const form = useWizardStore((s) => s.form);
  const selected = useWizardStore((s) => s.verifyOn);
  const submitError = useWizardStore((s) => s.submitError);
  const { setVerifyOn } = useWizardStore.getState();
  const productKey = form.productKey.trim();
  const { state, reload } = useDevices(form.profile, productKey, form.moduleName.trim() || null);
  const issues = submitError?.issues?.filter((i) => i.field === 'TargetDeviceName');
  return (
    <div className="review-verify" data-testid="review-verify">
      <DevicePicker
        id="review-verify"
        legend={t('verify.reviewLegend')}
        devices={state}
        selected={selected}
        onChange={setVerifyOn}
        onReload={reload}
        srcVersion={form.type === 'diff' ? form.srcVersion.trim() : undefined}
        issues={issues}
      />
      <p className="hint">{t('verify.reviewHint')}</p>
    </div>
  );
}
