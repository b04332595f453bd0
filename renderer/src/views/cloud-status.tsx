import type { CloudStatus, ProfileSummary } from '../../../electron/core/contract.js';
import { useT } from '../i18n/use-t.js';
import { cloudOf, useOutboxStore } from '../stores/outbox-store.js';
import { useProfilesStore } from '../stores/profiles-store.js';
import { useWizardStore } from '../stores/wizard-store.js';
import '../styles/views.css';

/** Where a profile's requests go (the main process resolves a region to its endpoint). */
export function endpointOf(profile: ProfileSummary): string {
  return profile.target || profile.endpoint || '';
}

function hostOf(endpoint: string): string {
  try {
    return new URL(endpoint).host;
  } catch {
    return endpoint;
  }
}

/**
 * The header's cloud status: whether the cloud of the selected profile answers, as the outbox last
 * found it (`cloud-status` events): reachable, unreachable (with the reason), or not yet known.
 * The OS network state is the separate Online / Offline badge.
 */
export function CloudStatusBadge() {
  const { t, pick } = useT();
  const selected = useWizardStore((s) => s.form.profile);
  const profile = useProfilesStore((s) => s.profiles.find((p) => p.name === selected));
  const endpoint = profile ? endpointOf(profile) : undefined;
  const status: CloudStatus | undefined = useOutboxStore((s) => cloudOf(s.clouds, endpoint));
  if (!profile || !endpoint) return null;
  const state = status?.state ?? 'unknown';
  const where = t('app.cloud.title', { profile: profile.name, host: hostOf(endpoint) });
  const reason = status?.reason ? pick(status.reason) : undefined;
  return (
    <span
      className={`status status-cloud-${state}`}
      role="status"
      data-testid="cloud-status"
      data-state={state}
      title={reason ? `${where}: ${reason}` : where}
    >
      {t(`app.cloud.${state}`)}
      {state === 'unreachable' && reason && <span className="visually-hidden">: {reason}</span>}
    </span>
  );
}
