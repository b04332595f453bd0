import type { Text } from '../../../electron/core/i18n/text.js';
import { useT } from '../i18n/use-t.js';

interface ErrorDetailsProps {
  readonly title: string;
  /** The message: the engine's Text, or the cloud's own words. */
  readonly message: Text | string;
  readonly hint?: Text;
  readonly code?: string;
  readonly cloudMessage?: string;
  readonly requestId?: string;
}

/** An error as users can act on it: what failed, the cloud's code, message and RequestId, what next. */
export function ErrorDetails({ title, message, hint, code, cloudMessage, requestId }: ErrorDetailsProps) {
  const { t, pick } = useT();
  return (
    <div className="error-box" role="alert">
      <h3>{title}</h3>
      <p>{typeof message === 'string' ? message : pick(message)}</p>
      {(code || requestId || cloudMessage) && (
        <dl className="facts">
          {code && (
            <>
              <dt>{t('common.code')}</dt>
              <dd>
                <code>{code}</code>
              </dd>
            </>
          )}
          {cloudMessage && (
            <>
              <dt>Message</dt>
              <dd>{cloudMessage}</dd>
            </>
          )}
          {requestId && (
            <>
              <dt>{t('common.requestId')}</dt>
              <dd>
                <code>{requestId}</code>
              </dd>
            </>
          )}
        </dl>
      )}
      {hint && (
        <p className="next-step">
          <strong>{t('common.whatNext')}: </strong>
          {pick(hint)}
        </p>
      )}
    </div>
  );
}
