import type { DeviceVerifyRow } from '../../../../electron/core/contract.js';
import { TASK_STATE_TEXT } from '../../../../electron/core/contract.js';
import { useT } from '../../i18n/use-t.js';

/** One row per device of a verification: its state, a progress bar, and the reason on failure. */
export function DeviceRows({ devices }: { readonly devices: readonly DeviceVerifyRow[] }) {
  const { t, pick } = useT();
  return (
    <ul className="verify-rows" aria-label={t('verify.rows')}>
      {devices.map((d) => {
        const failed = d.state === 'FAILED' || d.state === 'CANCELED';
        return (
          <li
            key={d.name}
            className={`verify-row task-${d.state}`}
            data-device-row={d.name}
            data-task-state={d.state}
          >
            <div className="transfer-head">
              <strong>{d.name}</strong>
              <span className={d.state === 'SUCCEEDED' ? 'ok' : failed ? 'error' : 'muted'} data-task-text>
                {pick(TASK_STATE_TEXT[d.state])} · {d.progress}%
              </span>
            </div>
            <progress max={100} value={d.progress} aria-label={t('verify.progressLabel', { name: d.name })} />
            {d.reason && (
              <p className={failed ? 'error verify-reason' : 'muted verify-reason'} data-reason>
                {d.reason}
              </p>
            )}
          </li>
        );
      })}
    </ul>
  );
}
