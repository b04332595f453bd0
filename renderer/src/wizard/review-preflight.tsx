import { useEffect, useState } from 'react';
import type { IpcError, PreflightFinding } from '../../../electron/core/contract.js';
import { ErrorDetails } from '../components/error-details.js';
import { useT } from '../i18n/use-t.js';
import { ipcErrorOf } from '../ipc/client.js';
import { useWizardStore } from '../stores/wizard-store.js';
import { formKey } from './form-reducer.js';
import { REMOTE_CHECK_DELAY_MS } from './use-remote-check.js';

function Finding({ finding }: { readonly finding: PreflightFinding }) {
  const { t, pick } = useT();
  const refusal = finding.severity === 'refusal';
  return (
    <p className={refusal ? 'error' : 'warning'} data-preflight={finding.severity} data-rule={finding.rule}>
      {!refusal && <strong>{t('preflight.warning')}: </strong>}
      <code>{finding.field}</code>: {pick(finding.message)}
    </p>
  );
}

/** The pre-flight at Review: what the cloud would refuse or warn about, before anything is sent. */
export function ReviewPreflight() {
  const { t, pick } = useT();
  const key = useWizardStore((s) => formKey(s.form));
  const preflight = useWizardStore((s) => s.preflight);
  const { checkPreflight, createModule } = useWizardStore.getState();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<string | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  useEffect(() => {
    const timer = setTimeout(() => void checkPreflight(), REMOTE_CHECK_DELAY_MS);
    return () => clearTimeout(timer);
  }, [key, checkPreflight]);

  const report = preflight.key === key ? preflight.report : null;
  const create = async (name: string): Promise<void> => {
    setCreating(true);
    setError(null);
    try {
      await createModule(name);
      setCreated(name);
    } catch (e) {
      setError(ipcErrorOf(e));
    } finally {
      setCreating(false);
    }
  };

  return (
    <section
      className="preflight"
      aria-labelledby="preflight-title"
      aria-live="polite"
      data-testid="preflight"
    >
      <h3 id="preflight-title">{t('preflight.label')}</h3>
      {report === null && <p className="muted">{t('preflight.checking')}</p>}
      {report?.state === 'unchecked' && (
        <p className="muted" data-preflight="unchecked">
          {t('preflight.unchecked', { reason: pick(report.reason) })}
        </p>
      )}
      {report?.state === 'checked' && (
        <>
          {report.refusals.length > 0 && (
            <p className="error" data-field-error="preflight-title">
              {t('preflight.refused')}
            </p>
          )}
          {report.refusals.map((f) => (
            <Finding key={`${f.rule}-${f.field}`} finding={f} />
          ))}
          {report.warnings.map((f) => (
            <Finding key={`${f.rule}-${f.field}`} finding={f} />
          ))}
          {report.refusals.length === 0 && report.warnings.length === 0 && (
            <p className="ok">{t('preflight.ok')}</p>
          )}
          {report.missingModule && (
            <button type="button" disabled={creating} onClick={() => void create(report.missingModule!)}>
              {t('preflight.createModule', { name: report.missingModule })}
            </button>
          )}
        </>
      )}
      {created && report?.state === 'checked' && report.missingModule === null && (
        <p className="ok" role="status">
          {t('preflight.moduleCreated', { name: created })}
        </p>
      )}
      {error && (
        <ErrorDetails
          title={t('error.generic', { message: '' })}
          message={error.message}
          code={error.code}
          cloudMessage={error.cloudMessage}
          requestId={error.requestId}
        />
      )}
      {report !== null && (
        <button type="button" className="button-small" onClick={() => void checkPreflight()}>
          {t('preflight.recheck')}
        </button>
      )}
    </section>
  );
}
