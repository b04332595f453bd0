import { CopyButton } from '../components/copy-button.js';
import { useT } from '../i18n/use-t.js';
import { useOutboxStore } from '../stores/outbox-store.js';
import { useProfilesStore } from '../stores/profiles-store.js';
import { useWizardStore } from '../stores/wizard-store.js';
import { cliCommand } from './cli-command.js';
import { SaveRecipe } from './save-recipe.js';
import { specOf } from './rules.js';
import { useDialect } from './use-step.js';

/** Under the progress: where the package went (Sandbox or Live) and the same publish as a CLI command. */
export function AfterPublish() {
  const { t } = useT();
  const jobId = useWizardStore((s) => s.jobId);
  const form = useWizardStore((s) => s.form);
  const verifyOn = useWizardStore((s) => s.verifyOn);
  const mode = useWizardStore((s) => s.mode);
  const job = useOutboxStore((s) => (jobId ? s.jobs[jobId] : undefined));
  const builtIn = useProfilesStore((s) => s.profiles.find((p) => p.name === form.profile)?.builtIn);
  const dialect = useDialect();
  if (!job) return null;

  // The job says where it was sent; a summary without it falls back to the profile.
  const sandbox = (job.sandbox as boolean | undefined) ?? builtIn === true;
  const command = cliCommand({
    profile: form.profile,
    spec: specOf(form, dialect),
    verifyOn,
    queue: mode === 'queue' || job.state === 'queued',
  });

  return (
    <div className="after-publish" data-testid="after-publish">
      <p className="target-line">
        <span
          className={sandbox ? 'badge badge-sandbox' : 'badge badge-live'}
          data-testid="target-badge"
          data-sandbox={sandbox}
        >
          {sandbox ? t('progress.sandboxBadge') : t('progress.liveBadge')}
        </span>{' '}
        <span className="muted">
          {sandbox ? t('progress.sandboxBadgeHint') : t('progress.liveBadgeHint')}
        </span>
      </p>
      <div className="cli-command">
        <div className="cli-head">
          <strong>{t('progress.cliTitle')}</strong>
          <CopyButton value={command} what={t('progress.cliWhat')} />
        </div>
        <pre className="mono pre-wrap" data-testid="cli-command">
          {command}
        </pre>
        <p className="hint">{t('progress.cliHint')}</p>
      </div>
      <SaveRecipe spec={specOf(form, dialect)} profile={form.profile} verifyOn={verifyOn} />
    </div>
  );
}
