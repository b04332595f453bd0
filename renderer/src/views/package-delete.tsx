import { useEffect, useRef } from 'react';
import type { PackageRow } from '../../../electron/core/contract.js';
import { useT } from '../i18n/use-t.js';

interface ConfirmProps {
  readonly row: PackageRow;
  readonly busy: boolean;
  readonly onAnswer: (deleteIt: boolean) => void;
}

/** "Delete package X from the cloud?": Keep is focused, Escape keeps it. */
export function ConfirmDelete({ row, busy, onAnswer }: ConfirmProps) {
  const { t } = useT();
  const keep = useRef<HTMLButtonElement>(null);
  useEffect(() => keep.current?.focus(), []);
  return (
    <div
      className="confirm-remove"
      role="alertdialog"
      aria-labelledby="confirm-delete-title"
      aria-describedby="confirm-delete-body"
      onKeyDown={(e) => {
        if (e.key === 'Escape') onAnswer(false);
      }}
    >
      <h3 id="confirm-delete-title">
        {t('packages.confirmDelete', { name: row.firmwareName, version: row.destVersion })}
      </h3>
      <p id="confirm-delete-body">{t('packages.confirmBody')}</p>
      <div className="step-nav">
        <button ref={keep} type="button" onClick={() => onAnswer(false)}>
          {t('packages.keep')}
        </button>
        <button type="button" className="button-danger" disabled={busy} onClick={() => onAnswer(true)}>
          {t('packages.deleteIt')}
        </button>
      </div>
    </div>
  );
}
