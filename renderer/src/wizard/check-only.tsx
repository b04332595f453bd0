import { useState } from 'react';
import type { CheckOnlyResult, IpcError, PlannedCall } from '../../../electron/core/contract.js';
import { ErrorDetails } from '../components/error-details.js';
import { useT } from '../i18n/use-t.js';
import { ipcErrorOf } from '../ipc/client.js';
import { useWizardStore } from '../stores/wizard-store.js';

function Call({ call, n }: { readonly call: PlannedCall; readonly n: number }) {
  const { t } = useT();
  return (
    <li data-call={call.action}>
      <strong>
        {n}. {call.action}
      </strong>{' '}
      <span className={call.write ? 'badge badge-warn' : 'badge'}>
        {call.write ? t('checkOnly.write') : t('checkOnly.read')}
      </span>
      {call.url && <code> {call.url}</code>}
      <dl className="facts">
        {Object.entries(call.params).map(([name, value]) => (
          <div key={name} style={{ display: 'contents' }}>
            <dt>
              <code>{name}</code>
            </dt>
            <dd className="mono pre-wrap" data-param={name}>
              {value}
            </dd>
          </div>
        ))}
      </dl>
    </li>
  );
}

/** "Check only": validation, the pre-flight and every call a publish would send; nothing is sent. */
export function CheckOnly() {
  const { t, pick } = useT();
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<CheckOnlyResult | null>(null);
  const [error, setError] = useState<IpcError | null>(null);

  const run = async (): Promise<void> => {
    setRunning(true);
    setError(null);
    setResult(null);
    try {
      setResult(await useWizardStore.getState().checkOnly());
      // The pre-flight panel shows the newest findings too.
      void useWizardStore.getState().checkPreflight();
    } catch (e) {
      setError(ipcErrorOf(e));
    } finally {
      setRunning(false);
    }
  };

  return (
    <section className="check-only" aria-live="polite">
      <button type="button" onClick={() => void run()} disabled={running}>
        {t('checkOnly.button')}
      </button>
      {running && <p className="muted">{t('checkOnly.running')}</p>}
      {error && (
        <ErrorDetails title={t('error.generic', { message: '' })} message={error.message} code={error.code} />
      )}
      {result && result.issues.length > 0 && (
        <div data-testid="check-only-issues">
          <p className="error">{t('checkOnly.invalid')}</p>
          {result.issues.map((i) => (
            <p key={`${i.field}-${i.rule}`} className="error">
              <code>{i.field}</code>: {pick(i.message)}
            </p>
          ))}
        </div>
      )}
      {result?.plan && (
        <div data-testid="check-only-plan">
          <h3>{t('checkOnly.title')}</h3>
          <p className="hint">{t('checkOnly.noSecret')}</p>
          <ol className="check-only-calls">
            {result.plan.calls.map((call, i) => (
              <Call key={`${call.action}-${i}`} call={call} n={i + 1} />
            ))}
          </ol>
        </div>
      )}
    </section>
  );
}
