import type { VerifySummary } from '../../../../electron/core/contract.js';
import { VERIFICATION_STATE_TEXT } from '../../../../electron/core/contract.js';
import { useT } from '../../i18n/use-t.js';

/** The overall result line, announced politely as it changes. */
export function VerifyStatus({ verify }: { readonly verify: VerifySummary | null }) {
  const { t, pick } = useT();
  const ok = verify?.devices.filter((d) => d.state === 'SUCCEEDED').length ?? 0;
  const failed = verify?.devices.filter((d) => d.state === 'FAILED').length ?? 0;
  const state = verify?.state;
  const tone =
    state === 'verified'
      ? 'ok'
      : state === undefined || state === 'starting' || state === 'running'
        ? ''
        : 'error';
  return (
    <p
      className={`state verify-status ${tone}`}
      role="status"
      aria-live="polite"
      data-verify-state={state ?? 'none'}
    >
      {verify && (
        <>
          {t('verify.overall', { state: pick(VERIFICATION_STATE_TEXT[verify.state]) })}
          {verify.devices.length > 0 && (
            <span className="muted">
              {' · '}
              {t('verify.counts', { ok, total: verify.devices.length })}
              {failed > 0 && ` · ${t('verify.failedCount', { n: failed })}`}
            </span>
          )}
          {verify.request && <span className="muted"> · {t(`verify.requested.${verify.request}`)}</span>}
        </>
      )}
    </p>
  );
}
