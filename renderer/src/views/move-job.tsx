import { useState } from 'react';
import type { JobSummary } from '../../../electron/core/contract.js';
import { useT } from '../i18n/use-t.js';
import { useOutboxStore } from '../stores/outbox-store.js';
import { useProfilesStore } from '../stores/profiles-store.js';

/**
 * For a job held because its profile is gone or unusable: send it with another profile instead.
 * Its uploads start over there (nothing of it exists in any cloud yet).
 */
export function MoveJob({ job }: { job: JobSummary }) {
  const { t } = useT();
  // Select the list itself: a filtered copy would be a new value on every render.
  const profiles = useProfilesStore((s) => s.profiles);
  const others = profiles.filter((p) => p.name !== job.profile);
  const [to, setTo] = useState('');
  if (others.length === 0) return null;
  const id = `move-${job.id}`;
  return (
    <div className="job-move">
      <label htmlFor={id}>{t('outbox.moveTo')}</label>
      <select id={id} value={to} onChange={(e) => setTo(e.target.value)}>
        <option value="">{t('outbox.moveChoose')}</option>
        {others.map((p) => (
          <option key={p.name} value={p.name}>
            {p.name}
          </option>
        ))}
      </select>
      <button
        type="button"
        className="button-small"
        disabled={to === ''}
        aria-label={t('outbox.moveJob', { name: job.name })}
        onClick={() => void useOutboxStore.getState().move(job.id, to)}
      >
        {t('outbox.move')}
      </button>
    </div>
  );
}
