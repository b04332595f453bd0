import { useState } from 'react';
import type { IpcError, JobSummary } from '../../../../electron/core/contract.js';
import { MAX_VERIFY_DEVICES } from '../../../../electron/core/contract.js';
import { ErrorDetails } from '../../components/error-details.js';
import { useT } from '../../i18n/use-t.js';
import { useWizardStore } from '../../stores/wizard-store.js';
import { DevicePicker } from './device-picker.js';
import { DeviceRows } from './device-rows.js';
import { useDevices } from './use-devices.js';
import { VerifyStatus } from './verify-status.js';
import { PendingRequest, VerificationWaiting } from '../../views/job-notes.js';
import { actionOf, useVerifyStore, type VerifyAction } from './verify-store.js';

const RUNNING = new Set(['starting', 'running']);

/** The package that was published, as the wizard submitted it (the picker's module and SrcVersion). */
function usePackage(job: JobSummary) {
  const form = useWizardStore((s) => s.form);
  return {
    profile: job.profile ?? form.profile,
    productKey: job.productKey,
    moduleName: form.moduleName.trim() || null,
    srcVersion: form.type === 'diff' ? form.srcVersion.trim() : undefined,
  };
}

/** A refused request, shown beside what was asked. */
function ActionError({ failed, action }: { readonly failed: ActionFailure; readonly action: VerifyAction }) {
  const { t } = useT();
  if (failed?.action !== action) return null;
  const { error } = failed;
  return (
    <ErrorDetails
      title={t('verify.actionFailed')}
      message={error.message}
      code={error.code}
      cloudMessage={error.cloudMessage}
      requestId={error.requestId}
    />
  );
}
type ActionFailure = { readonly action: VerifyAction; readonly error: IpcError } | null;

/** After "Published": pick bench devices, start, watch each device, cancel or retry the failed ones. */
export function VerifyPanel({ job }: { readonly job: JobSummary }) {
  const { t } = useT();
  const pkg = usePackage(job);
  const selected = useWizardStore((s) => s.verifyOn);
  const { setVerifyOn } = useWizardStore.getState();
  const action = useVerifyStore((s) => actionOf(s, job.id));
  const { start, cancel, retry } = useVerifyStore.getState();
  const [again, setAgain] = useState(false);
  const verify = job.verify;
  const running = verify !== null && RUNNING.has(verify.state) && verify.request !== 'cancel';
  const settled = verify !== null && !RUNNING.has(verify.state) && verify.request === undefined;
  const waiting = verify === null && (job.verifyOn?.length ?? 0) > 0;
  const picking = (verify === null && !waiting) || (again && settled);
  const { state: devices, reload } = useDevices(pkg.profile, pkg.productKey, pkg.moduleName);
  const failed = action.failed;
  const onStart = (): void => {
    void start(job.id, selected).then(() => setAgain(false));
  };

  return (
    <section className="verify-panel" aria-labelledby="verify-title" data-testid="verify-panel">
      <h3 id="verify-title">{t('verify.title')}</h3>
      {job.needToVerify && verify?.state !== 'verified' && (
        <p className="note note-warn" data-need-to-verify>
          {t('verify.needToVerify')}
        </p>
      )}
      {job.needToVerify && verify?.state === 'verified' && <p className="ok">{t('verify.needVerified')}</p>}
      {waiting && <p className="muted">{t('verify.autoStart', { names: job.verifyOn!.join(', ') })}</p>}
      <VerifyStatus verify={verify} />
      <VerificationWaiting job={job} />
      {verify?.problem && (
        <ErrorDetails
          title={t('verify.problem')}
          message={verify.problem.message}
          hint={verify.problem.hint}
          code={verify.problem.code}
        />
      )}
      {verify && verify.devices.length > 0 && <DeviceRows devices={verify.devices} />}
      {(running || settled) && (
        <div className="verify-actions">
          {running && (
            <button
              type="button"
              className="button-danger"
              disabled={action.busy !== null}
              onClick={() => void cancel(job.id)}
            >
              {t('verify.cancel')}
            </button>
          )}
          {settled && verify.state !== 'verified' && (
            <button
              type="button"
              className="button-primary"
              disabled={action.busy !== null}
              onClick={() => void retry(job.id)}
            >
              {t('verify.retryFailed')}
            </button>
          )}
          {settled && verify.state !== 'verified' && !again && (
            <button type="button" onClick={() => setAgain(true)}>
              {t('verify.again')}
            </button>
          )}
        </div>
      )}
      <ActionError failed={failed} action="cancel" />
      <ActionError failed={failed} action="retry" />
      <PendingRequest job={job} />
      {picking && (
        <>
          {verify === null && <p className="muted">{t('verify.intro')}</p>}
          <DevicePicker
            id="verify-pick"
            legend={t('verify.pickerLegend', { max: MAX_VERIFY_DEVICES })}
            devices={devices}
            selected={selected}
            onChange={setVerifyOn}
            onReload={reload}
            srcVersion={pkg.srcVersion}
            issues={failed?.action === 'start' ? failed.error.issues : undefined}
          />
          {failed?.action === 'start' && !failed.error.issues?.length && (
            <ActionError failed={failed} action="start" />
          )}
          <div className="verify-actions">
            <button
              type="button"
              className="button-primary"
              disabled={selected.length === 0 || action.busy !== null}
              onClick={onStart}
            >
              {t('verify.start')}
            </button>
          </div>
        </>
      )}
    </section>
  );
}
