import { CopyButton } from '../components/copy-button.js';
import { useT } from '../i18n/use-t.js';
import type { WizardFile } from './wizard-types.js';

/** A hashed file's MD5 and SHA-256 (hex) on one line, each with a copy button. */
export function FileDigests({ file }: { readonly file: WizardFile }) {
  const { t } = useT();
  const { md5, sha256 } = file.hash;
  return (
    <dl className="digests">
      <dt>{t('files.md5')}</dt>
      <dd>
        <code data-digest="md5" title={md5}>
          {md5}
        </code>
        <CopyButton value={md5 ?? ''} what={`${file.baseName} ${t('files.md5')}`} />
      </dd>
      <dt>{t('files.sha256')}</dt>
      <dd>
        <code data-digest="sha256" title={sha256}>
          {sha256}
        </code>
        <CopyButton value={sha256 ?? ''} what={`${file.baseName} ${t('files.sha256')}`} />
      </dd>
    </dl>
  );
}
