import { useEffect, useState } from 'react';
import { useT } from '../i18n/use-t.js';

interface CopyButtonProps {
  readonly value: string;
  /** What is copied, for the accessible name: "Copy MD5 (hex)". */
  readonly what: string;
}

/** Copies `value` to the clipboard and says so for two seconds. */
export function CopyButton({ value, what }: CopyButtonProps) {
  const { t } = useT();
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return undefined;
    const timer = setTimeout(() => setCopied(false), 2000);
    return () => clearTimeout(timer);
  }, [copied]);
  const copy = (): void => {
    navigator.clipboard?.writeText(value).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  };
  return (
    <button
      type="button"
      className="button-small"
      onClick={copy}
      aria-label={t('common.copyLabel', { what })}
    >
      {copied ? t('common.copied') : t('common.copy')}
    </button>
  );
}
