import type { Settings } from '../../../electron/core/contract.js';
import { useT } from '../i18n/use-t.js';
import { useSettingsStore } from '../stores/settings-store.js';
import { CloudStatusBadge } from './cloud-status.js';

/**
 * The selected profile's cloud status, then the language and theme switches ("Follow system" uses
 * the OS locale and colour scheme).
 */
export function SettingsBar() {
  const { t } = useT();
  const locale = useSettingsStore((s) => s.settings.locale);
  const theme = useSettingsStore((s) => s.settings.theme);
  const update = useSettingsStore((s) => s.update);
  return (
    <div className="settings-bar">
      <CloudStatusBadge />
      <label htmlFor="setting-locale">{t('settings.language')}</label>
      <select
        id="setting-locale"
        value={locale}
        onChange={(e) => void update({ locale: e.target.value as Settings['locale'] })}
      >
        <option value="system">{t('settings.system')}</option>
        <option value="en" lang="en">
          {t('settings.en')}
        </option>
        <option value="zh" lang="zh-CN">
          {t('settings.zh')}
        </option>
      </select>
      <label htmlFor="setting-theme">{t('settings.theme')}</label>
      <select
        id="setting-theme"
        value={theme}
        onChange={(e) => void update({ theme: e.target.value as Settings['theme'] })}
      >
        <option value="system">{t('settings.system')}</option>
        <option value="light">{t('settings.light')}</option>
        <option value="dark">{t('settings.dark')}</option>
      </select>
    </div>
  );
}
