import { useState, type DragEvent } from 'react';
import { MAX_FILES, acceptedSuffixes } from '../../../electron/core/contract.js';
import { useT } from '../i18n/use-t.js';
import { preload } from '../ipc/client.js';
import { useWizardStore } from '../stores/wizard-store.js';
import { FileCard } from './file-card.js';
import type { WizardFile } from './wizard-types.js';
import { fieldId, useDialect, useStepIssues } from './use-step.js';

/** Step 2: the files, checked and hashed as soon as they are added. */
export function StepFiles() {
  const { t, pick } = useT();
  const files = useWizardStore((s) => s.form.files);
  const notice = useWizardStore((s) => s.filesNotice);
  const attempted = useWizardStore((s) => s.attempted.files === true);
  const { pickFiles, addPaths } = useWizardStore.getState();
  const dialect = useDialect();
  const issue = useStepIssues('files', true);
  const [over, setOver] = useState(false);
  const [moved, setMoved] = useState('');
  const onMoved = (file: WizardFile, to: number): void =>
    setMoved(t('files.moved', { name: file.baseName, n: to, total: files.length }));
  const suffixes = acceptedSuffixes(dialect)
    .map((s) => `.${s}`)
    .join(' ');
  const countError = issue('Files');

  const onDrop = (e: DragEvent<HTMLDivElement>): void => {
    e.preventDefault();
    setOver(false);
    const dropped = [...e.dataTransfer.files];
    void addPaths(dropped.map((f) => preload().pathForFile(f)));
  };

  return (
    <>
      <div
        className={['drop-zone', over ? 'drop-over' : '', files.length > 0 ? 'drop-compact' : '']
          .filter(Boolean)
          .join(' ')}
        onDragOver={(e) => {
          e.preventDefault();
          e.dataTransfer.dropEffect = 'copy';
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
        data-testid="drop-zone"
      >
        <p className="drop-title">{t('files.drop')}</p>
        <p className="hint">
          {dialect === 'tuya'
            ? t('files.dropHintTuya', { suffixes })
            : t('files.dropHint', { max: MAX_FILES, suffixes })}
        </p>
        <button type="button" id={fieldId('Files')} onClick={() => void pickFiles()}>
          {t('files.pick')}
        </button>
      </div>
      {notice === 'no-path' && <p className="error">{t('files.noPath')}</p>}
      {countError && (files.length > 0 || attempted) && (
        <p className="error" id={`${fieldId('Files')}-error`} data-field-error={fieldId('Files')}>
          {pick(countError)}
        </p>
      )}
      {files.length > 0 && (
        <>
          <h3 className="section-title">{t('files.list')}</h3>
          {files.length > 1 && <p className="hint files-order-hint">{t('files.orderHint')}</p>}
          <ul className="file-list">
            {files.map((file, i) => (
              <FileCard
                key={file.id}
                file={file}
                index={i + 1}
                count={files.length}
                multi={dialect === 'aliyun' && files.length > 1}
                onMoved={onMoved}
              />
            ))}
          </ul>
          <p className="visually-hidden" role="status">
            {moved}
          </p>
          <p className="note">{t('files.signNote')}</p>
        </>
      )}
    </>
  );
}
