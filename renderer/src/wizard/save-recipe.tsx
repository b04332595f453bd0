import { useState } from 'react';
import type { FirmwareSpec } from '../../../electron/core/contract.js';
import { useT } from '../i18n/use-t.js';
import { ipc } from '../ipc/client.js';
import { useAppStore } from '../stores/app-store.js';

/** "Save recipe (.otapub)": the inverse of opening one, written beside the files (main process). */
export function SaveRecipe({
  spec,
  profile,
  verifyOn,
}: {
  spec: FirmwareSpec;
  profile: string;
  verifyOn: readonly string[];
}) {
  const { t } = useT();
  const [saved, setSaved] = useState<string | null>(null);
  const save = async (): Promise<void> => {
    try {
      const path = await ipc.files.saveRecipe(spec, profile, verifyOn.length > 0 ? verifyOn : null);
      if (path !== null) setSaved(path);
    } catch (e) {
      useAppStore.getState().showNotice(e);
    }
  };
  return (
    <div className="save-recipe">
      <button type="button" className="button-small" onClick={() => void save()}>
        {t('progress.saveRecipe')}
      </button>
      {saved && (
        <p className="hint" role="status">
          {t('progress.recipeSaved', { path: saved })}
        </p>
      )}
    </div>
  );
}
