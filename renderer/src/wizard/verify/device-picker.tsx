import type { BenchDevice, IpcError } from '../../../../electron/core/contract.js';
import { MAX_VERIFY_DEVICES } from '../../../../electron/core/contract.js';
import type { MessageKey } from '../../i18n/en.js';
import { useT } from '../../i18n/use-t.js';
import type { DevicesState } from './verify-store.js';

type Issue = NonNullable<IpcError['issues']>[number];

interface DevicePickerProps {
  /** Prefix of the element ids (two pickers may be on one page). */
  readonly id: string;
  readonly legend: string;
  readonly devices: DevicesState | undefined;
  readonly selected: readonly string[];
  onChange(next: readonly string[]): void;
  onReload(): void;
  /** A differential package's SrcVersion: devices running anything else are marked. */
  readonly srcVersion?: string;
  /** Problems with the chosen devices (the engine's TargetDeviceName issues). */
  readonly issues?: readonly Issue[];
  readonly disabled?: boolean;
}

/** The devices listed, then chosen names the list does not have (a recipe's, a device not listed). */
function rowsOf(devices: DevicesState | undefined, selected: readonly string[]): BenchDevice[] {
  const listed = devices?.status === 'ready' ? devices.list.devices : [];
  const names = new Set(listed.map((d) => d.name));
  return [
    ...listed,
    ...selected.filter((n) => !names.has(n)).map((name) => ({ name, status: 'UNKNOWN' as const })),
  ];
}

/** Checkboxes for at most ten devices, each with its online state and the version it runs. */
export function DevicePicker(props: DevicePickerProps) {
  const { t, pick } = useT();
  const { id, devices, selected, srcVersion } = props;
  const full = selected.length >= MAX_VERIFY_DEVICES;
  const rows = rowsOf(devices, selected);
  const listed = devices?.status === 'ready' ? new Set(devices.list.devices.map((d) => d.name)) : new Set();
  const toggle = (name: string, on: boolean): void =>
    props.onChange(on ? [...selected, name] : selected.filter((n) => n !== name));

  return (
    <fieldset className="field device-picker" aria-describedby={`${id}-count`} disabled={props.disabled}>
      <legend>{props.legend}</legend>
      {devices?.status === 'loading' && <p className="muted">{t('verify.loadingDevices')}</p>}
      {devices?.status === 'failed' && (
        <div className="error" role="alert" data-devices-error>
          {t('verify.devicesFailed')} {pick(devices.error.message)}{' '}
          <button type="button" className="button-small" onClick={props.onReload}>
            {t('verify.reloadDevices')}
          </button>
        </div>
      )}
      {devices?.status === 'ready' && devices.list.devices.length === 0 && (
        <p className="muted">{t('verify.noDevices')}</p>
      )}
      <ul className="device-options">
        {rows.map((device) => {
          const checked = selected.includes(device.name);
          const known = listed.has(device.name);
          const away = device.status !== 'ONLINE' && known;
          const mismatch =
            srcVersion !== undefined && srcVersion !== '' && known && device.version !== srcVersion;
          const base = `${id}-${device.name}`;
          return (
            <li key={device.name} data-device={device.name} data-status={device.status}>
              <label className={`checkbox device-option${checked ? ' device-chosen' : ''}`}>
                <input
                  type="checkbox"
                  checked={checked}
                  disabled={!checked && full}
                  aria-labelledby={`${base}-name`}
                  aria-describedby={`${base}-facts`}
                  onChange={(e) => toggle(device.name, e.currentTarget.checked)}
                />
                <strong id={`${base}-name`}>{device.name}</strong>
                <span id={`${base}-facts`} className="device-facts">
                  {known ? (
                    <>
                      <span className={`badge badge-device-${device.status.toLowerCase()}`}>
                        {t(`verify.status.${device.status}` as MessageKey)}
                      </span>{' '}
                      <span className="muted">
                        {device.version
                          ? t('verify.runs', { version: device.version })
                          : t('verify.noVersion')}
                      </span>
                      {away && <span className="warn"> · {t('verify.offlineNote')}</span>}
                      {mismatch && (
                        <span className="warn" data-mismatch>
                          {' · '}
                          {device.version
                            ? t('verify.mismatch', { runs: device.version, needs: srcVersion })
                            : t('verify.mismatchUnknown', { needs: srcVersion })}
                        </span>
                      )}
                    </>
                  ) : (
                    <span className="muted">{devices?.status === 'ready' ? t('verify.unlisted') : ''}</span>
                  )}
                </span>
              </label>
            </li>
          );
        })}
      </ul>
      <p id={`${id}-count`} className={full ? 'hint warn' : 'hint'} aria-live="polite">
        {t('verify.selected', { n: selected.length, max: MAX_VERIFY_DEVICES })}
        {full && ` — ${t('verify.max', { max: MAX_VERIFY_DEVICES })}`}
        {devices?.status === 'ready' &&
          devices.list.total > devices.list.devices.length &&
          ` · ${t('verify.moreDevices', { shown: devices.list.devices.length, total: devices.list.total })}`}
      </p>
      {props.issues?.map((issue) => (
        <p key={`${issue.field}-${issue.rule}`} className="error">
          {pick(issue.message)}
        </p>
      ))}
    </fieldset>
  );
}
