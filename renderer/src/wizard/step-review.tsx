import type { ReactNode } from 'react';
import { ErrorDetails } from '../components/error-details.js';
import { formatBytes } from '../format.js';
import { useT } from '../i18n/use-t.js';
import { useAppStore } from '../stores/app-store.js';
import { useWizardStore, type SubmitMode } from '../stores/wizard-store.js';
import { specOf } from './rules.js';
import { useRemoteCheck } from './use-remote-check.js';
import { fieldId, useDialect, useStepIssues } from './use-step.js';
import { ReviewVerify } from './verify/review-verify.js';
import { CheckOnly } from './check-only.js';
import { ReviewPreflight } from './review-preflight.js';

function Row({ name, children }: { readonly name: string; readonly children: ReactNode }) {
  return (
    <>
      <dt>
        <code>{name}</code>
      </dt>
      <dd>{children}</dd>
    </>
  );
}

/** Step 6: exactly what will be sent, then publish now or queue. */
export function StepReview() {
  const { t, pick } = useT();
  const form = useWizardStore((s) => s.form);
  const chosen = useWizardStore((s) => s.mode);
  const submitting = useWizardStore((s) => s.submitting);
  const submitError = useWizardStore((s) => s.submitError);
  const online = useAppStore((s) => s.online);
  const { setMode } = useWizardStore.getState();
  const dialect = useDialect();
  const issue = useStepIssues('review');
  useRemoteCheck();
  // Offline, queueing is the only thing that can work, so it is the default.
  const mode: SubmitMode = chosen ?? (online ? 'now' : 'queue');
  const spec = specOf(form, dialect);
  const multi = dialect === 'aliyun' && form.files.length > 1;
  const none = <span className="muted">{t('common.none')}</span>;

  return (
    <>
      <p>{t('review.intro')}</p>
      <dl className="facts review" data-testid="review">
        <Row name={t('review.profile')}>{form.profile}</Row>
        <Row name="ProductKey">{spec.productKey}</Row>
        <Row name="FirmwareName">{spec.firmwareName}</Row>
        <Row name="DestVersion">{spec.destVersion}</Row>
        <Row name="ModuleName">{spec.moduleName ?? 'default'}</Row>
        <Row name="Type">
          {spec.type === 'diff' ? `diff (${t('review.diffType')})` : `full (${t('review.fullType')})`}
        </Row>
        {spec.type === 'diff' && <Row name="SrcVersion">{spec.srcVersion}</Row>}
        <Row name="SignMethod">{spec.signMethod}</Row>
        <Row name="NeedToVerify">{String(spec.needToVerify)}</Row>
        <Row name="FirmwareDesc">{spec.desc ?? none}</Row>
        <Row name="Udi">{spec.udi ? <pre className="mono pre-wrap">{spec.udi}</pre> : none}</Row>
      </dl>
      <ol className="review-files">
        {form.files.map((file, i) => {
          const sign = form.signMethod === 'MD5' ? file.hash.md5 : file.hash.sha256;
          return (
            <li key={file.id}>
              <strong>{t('review.file', { n: i + 1 })}</strong> {file.baseName} · {formatBytes(file.size)}
              <dl className="facts">
                <Row name={t('review.path')}>
                  <code className="digest" data-file-path>
                    {file.path}
                  </code>
                </Row>
                {multi && <Row name={`MultiFiles.${i + 1}.Name`}>{file.name}</Row>}
                <Row name={t('review.sign', { method: form.signMethod })}>
                  {sign ? (
                    <code className="digest">{sign}</code>
                  ) : (
                    <span className="muted">{t('review.waitHash')}</span>
                  )}
                </Row>
              </dl>
            </li>
          );
        })}
      </ol>
      {Object.entries(issueList(form, issue)).map(([field, message]) => (
        <p key={field} className="error" data-field-error={fieldId(field)}>
          <code>{field}</code>: {pick(message)}
        </p>
      ))}
      <ReviewPreflight />
      <CheckOnly />
      <ReviewVerify />
      <fieldset className="field">
        <legend>{t('review.mode')}</legend>
        {(['now', 'queue'] as const).map((m) => (
          <label key={m} className="radio radio-card">
            <input
              type="radio"
              name="submit-mode"
              value={m}
              checked={mode === m}
              onChange={() => setMode(m)}
            />
            <span>
              <strong>{m === 'now' ? t('review.now') : t('review.queue')}</strong>
              <span className="hint">{m === 'now' ? t('review.nowHint') : t('review.queueHint')}</span>
            </span>
          </label>
        ))}
      </fieldset>
      {submitError && (
        <ErrorDetails
          title={t('progress.failed')}
          message={submitError.message}
          code={submitError.code}
          cloudMessage={submitError.cloudMessage}
          requestId={submitError.requestId}
        />
      )}
      {submitError?.issues
        ?.filter((i) => i.field !== 'TargetDeviceName')
        .map((i) => (
          <p key={`${i.field}-${i.rule}`} className="error">
            <code>{i.field}</code>: {pick(i.message)}
          </p>
        ))}
      <input type="hidden" name="mode" value={mode} />
      {submitting && <p className="muted">{t('common.loading')}</p>}
    </>
  );
}

/** Every problem the review step shows, keyed by field (shown after a submit attempt). */
function issueList(
  form: { readonly files: readonly unknown[] },
  issue: (field: string) => { readonly en: string; readonly zh: string } | undefined,
): Record<string, { readonly en: string; readonly zh: string }> {
  const fields = [
    'Profile',
    'ProductKey',
    'Files',
    'ModuleName',
    'DestVersion',
    'FirmwareName',
    'FirmwareDesc',
    'Type',
    'SrcVersion',
    'Udi',
  ];
  form.files.forEach((_, i) => fields.push(`Files.${i + 1}`, `MultiFiles.${i + 1}.Name`));
  const found: Record<string, { readonly en: string; readonly zh: string }> = {};
  for (const field of fields) {
    const message = issue(field);
    if (message) found[field] = message;
  }
  return found;
}
