import type { DragEvent, KeyboardEvent } from 'react';
import { Field } from '../components/field.js';
import { formatBytes, formatRate } from '../format.js';
import { useT } from '../i18n/use-t.js';
import { fileSuffixOf } from '../../../electron/core/contract.js';
import { useWizardStore } from '../stores/wizard-store.js';
import { FileDigests } from './file-digests.js';
import { FileOrderButtons } from './file-order.js';
import { fieldId, useDialect, useStepIssues } from './use-step.js';
import type { WizardFile } from './wizard-types.js';

interface FileCardProps {
  readonly file: WizardFile;
  /** 1-based, as the API numbers MultiFiles. */
  readonly index: number;
  readonly count: number;
  readonly multi: boolean;
  /** Said (politely) after the file moved. */
  readonly onMoved: (file: WizardFile, to: number) => void;
}

const DRAG_TYPE = 'application/x-ota-file';

/** One file, compact: number, name, suffix, size, path, order and remove; its package name; digests. */
export function FileCard({ file, index, count, multi, onMoved }: FileCardProps) {
  const { t, pick } = useT();
  const dialect = useDialect();
  const issue = useStepIssues('files', true);
  const { setFileName, removeFile, moveFile, moveFileTo } = useWizardStore.getState();
  const suffix = fileSuffixOf(file.baseName, dialect);
  const fileError = issue(`Files.${index}`);
  const hash = file.hash;
  const percent = file.size > 0 ? Math.round((hash.bytes / file.size) * 100) : 100;

  const move = (offset: number): void => {
    const to = index - 1 + offset;
    if (to < 0 || to >= count) return;
    moveFile(file.id, offset);
    onMoved(file, to + 1);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLLIElement>): void => {
    if (!e.altKey || (e.key !== 'ArrowUp' && e.key !== 'ArrowDown')) return;
    e.preventDefault();
    move(e.key === 'ArrowUp' ? -1 : 1);
  };
  const onDrop = (e: DragEvent<HTMLLIElement>): void => {
    const id = e.dataTransfer.getData(DRAG_TYPE);
    if (!id) return;
    e.preventDefault();
    e.stopPropagation();
    moveFileTo(id, index - 1);
  };

  return (
    <li
      className={fileError ? 'file-card field-invalid' : 'file-card'}
      data-file={file.baseName}
      id={fieldId(`Files.${index}`)}
      tabIndex={-1}
      aria-label={`${t('files.number', { n: index })}: ${file.baseName}`}
      draggable={count > 1}
      onKeyDown={onKeyDown}
      onDragStart={(e) => {
        e.dataTransfer.setData(DRAG_TYPE, file.id);
        e.dataTransfer.effectAllowed = 'move';
      }}
      onDragOver={(e) => {
        if (e.dataTransfer.types.includes(DRAG_TYPE)) e.preventDefault();
      }}
      onDrop={onDrop}
    >
      <div className="file-head">
        <span className="file-index" aria-hidden="true">
          {index}
        </span>
        <strong className="file-name">{file.baseName}</strong>
        <span className="badge" aria-label={t('files.suffix')}>
          {suffix ? `.${suffix}` : '—'}
        </span>
        <span className="file-size">{formatBytes(file.size)}</span>
        <code className="file-path" data-file-path title={file.path}>
          {file.path}
        </code>
        {count > 1 && <FileOrderButtons name={file.baseName} index={index} count={count} move={move} />}
        <button
          type="button"
          className="button-small button-quiet"
          aria-label={t('files.removeFile', { name: file.baseName })}
          onClick={() => removeFile(file.id)}
        >
          {t('common.remove')}
        </button>
      </div>
      {fileError && (
        <p
          className="error"
          id={`${fieldId(`Files.${index}`)}-error`}
          data-field-error={fieldId(`Files.${index}`)}
        >
          {pick(fileError)}
        </p>
      )}
      {dialect === 'aliyun' && (
        <Field
          id={fieldId(`MultiFiles.${index}.Name`)}
          label={t('files.packageNameOf', { n: index })}
          hint={multi ? undefined : t('files.packageNameSingle')}
          error={issue(`MultiFiles.${index}.Name`)}
          inline
        >
          {(control) => (
            <input
              {...control}
              value={file.name}
              disabled={!multi}
              spellCheck={false}
              onChange={(e) => setFileName(file.id, e.target.value)}
            />
          )}
        </Field>
      )}
      {hash.status === 'hashing' && (
        <div className="hash-progress">
          <progress max={100} value={percent} aria-label={t('files.hashProgress', { name: file.baseName })} />
          <span className="muted">
            {t('files.hashing', { rate: hash.rate > 0 ? formatRate(hash.rate) : '' })}
          </span>
        </div>
      )}
      {hash.status === 'failed' && (
        <p className="error">{t('files.hashFailed', { message: hash.error ? pick(hash.error) : '' })}</p>
      )}
      {hash.status === 'done' && <FileDigests file={file} />}
    </li>
  );
}
