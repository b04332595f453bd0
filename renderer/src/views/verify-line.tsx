import type { JobSummary } from '../../../electron/core/contract.js';
import { VERIFICATION_STATE_TEXT } from '../../../electron/core/contract.js';
import { useT } from '../i18n/use-t.js';
import { pluralKey } from '../format.js';

/** An outbox row's compact verification: its state and how many devices are done, or what is asked. */
export function VerifyLine({ job }: { readonly job: JobSummary }) {
  const { t, pick } = useT();
  const { verify } = job;
  const blocked = job.needToVerify && job.state === 'published' && verify?.state !== 'verified';
  if (!verify && !job.verifyOn?.length && !blocked) return null;
  const tone =
    verify?.state === 'verified'
      ? 'ok'
      : verify && /failed|timed-out|cancelled/.test(verify.state)
        ? 'error'
        : 'muted';
  return (
    <p className={`verify-line ${tone}`} data-verify-line={verify?.state ?? 'pending'}>
      {verify
        ? t('outbox.verify', {
            state: pick(VERIFICATION_STATE_TEXT[verify.state]),
            ok: verify.devices.filter((d) => d.state === 'SUCCEEDED').length,
            total: verify.devices.length,
          })
        : job.verifyOn?.length
          ? t(pluralKey(job.verifyOn.length, 'outbox.verifyPendingOne', 'outbox.verifyPending'), {
              n: job.verifyOn.length,
            })
          : null}
      {blocked && (
        <span className="warn">
          {verify || job.verifyOn?.length ? ' · ' : ''}
          {t('outbox.needToVerify')}
        </span>
      )}
    </p>
  );
}
