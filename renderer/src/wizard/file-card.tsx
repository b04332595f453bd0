import { CopyButton } from '../components/copy-button.js';
import { Field } from '../components/field.js';
import { formatBytes, formatRate } from '../format.js';
import { useT } from '../i18n/use-t.js';
import { fileSuffixOf } from '../../../electron/core/contract.js';
import { useWizardStore } from '../stores/wizard-store.js';
import { fieldId, useDialect, useStepIssues } from './use-step.js';
import type { WizardFile } from './wizard-types.js';

interface FileCardProps {
  readonly file: WizardFile;
  /** 1-based, as the API numbers MultiFiles. */
  readonly index: number;
  readonly multi: boolean;
}

/** One file: its package name, suffix, size, hashing progress and digests. */
export function FileCard({ file, index, multi }: FileCardProps) {
  const { t, pick } = useT();
  const dialect = useDialect();
  const issue = useStepIssues('files', true);
  const { setFileName, removeFile } = useWizardStore.getState();
  const suffix = fileSuffixOf(file.baseName, dialect);
  const fileError = issue(`Files.${index}`);
  const hash = file.hash;
  const percent = file.size > 0 ? Math.round((hash.bytes / file.size) * 100) : 100;

  return (
    <li className={fileError ? 'file-card field-invalid' : 'file-card'} data-file={file.baseName}>
      <div className="file-head">
        <strong className="file-name">{file.baseName}</strong>
        <span className="badge" aria-label={t('files.suffix')}>
          {suffix ? `.${suffix}` : '—'}
        </span>
        <span className="file-size">{formatBytes(file.size)}</span>
        <button
          type="button"
          className="button-small button-quiet"
          aria-label={t('files.removeFile', { name: file.baseName })}
          onClick={() => removeFile(file.id)}
        >
          {t('common.remove')}
        </button>
      </div>
      <p className="hint">
        {t('files.path')}{' '}
        <code className="digest" data-file-path>
          {file.path}
        </code>
      </p>
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
          label={t('files.packageName')}
          hint={multi ? undefined : t('files.packageNameSingle')}
          error={issue(`MultiFiles.${index}.Name`)}
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
      {hash.status === 'done' && (
        <dl className="digests">
          <dt>{t('files.md5')}</dt>
          <dd>
            <code data-digest="md5">{hash.md5}</code>
            <CopyButton value={hash.md5 ?? ''} what={`${file.baseName} ${t('files.md5')}`} />
          </dd>
          <dt>{t('files.sha256')}</dt>
          <dd>
            <code data-digest="sha256">{hash.sha256}</code>
            <CopyButton value={hash.sha256 ?? ''} what={`${file.baseName} ${t('files.sha256')}`} />
          </dd>
        </dl>
      )}
    </li>
  );
}
