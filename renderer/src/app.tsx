import { useEffect } from 'react';
import { ErrorDetails } from './components/error-details.js';
import { useLocale, useT } from './i18n/use-t.js';
import { useAppStore, type View } from './stores/app-store.js';
import { jobList, useOutboxStore } from './stores/outbox-store.js';
import { useSettingsStore } from './stores/settings-store.js';
import { OutboxView } from './views/outbox-view.js';
import { HistoryView } from './views/history-view.js';
import { PackagesView } from './views/packages-view.js';
import { ProfilesView } from './views/profiles-view.js';
import { SettingsBar } from './views/settings-bar.js';
import { Wizard } from './wizard/wizard.js';

const VIEWS: readonly View[] = ['publish', 'outbox', 'profiles', 'packages', 'history'];

/** Keeps <html lang> and the theme attribute in step with the settings. */
function useDocumentSettings(): void {
  const locale = useLocale();
  const theme = useSettingsStore((s) => s.settings.theme);
  useEffect(() => {
    document.documentElement.lang = locale === 'zh' ? 'zh-CN' : 'en';
  }, [locale]);
  useEffect(() => {
    // "system" leaves the attribute off, so the CSS follows the OS colour scheme.
    if (theme === 'system') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = theme;
  }, [theme]);
}

/** The window: header (views, offline badge, settings), the current view, a problem banner. */
export function App() {
  const { t, pick } = useT();
  const view = useAppStore((s) => s.view);
  const online = useAppStore((s) => s.online);
  const notice = useAppStore((s) => s.notice);
  const { setView, dismissNotice } = useAppStore.getState();
  const waiting = useOutboxStore(
    (s) => jobList(s.jobs).filter((j) => j.state === 'queued' || j.state === 'running').length,
  );
  useDocumentSettings();
  useEffect(() => {
    document.title = t('app.title');
  }, [t]);

  return (
    <div className="app">
      <header className="app-header">
        <h1>{t('app.title')}</h1>
        <nav aria-label={t('nav.label')} className="views">
          {VIEWS.map((v) => (
            <button
              key={v}
              type="button"
              aria-current={view === v ? 'page' : undefined}
              onClick={() => setView(v)}
            >
              {t(`nav.${v}`)}
              {v === 'outbox' && waiting > 0 && <span className="count">{waiting}</span>}
            </button>
          ))}
        </nav>
        <span className="spacer" />
        <span
          className={online ? 'status status-online' : 'status status-offline'}
          title={online ? undefined : t('app.offlineHint')}
          role="status"
          data-testid="network-status"
        >
          {online ? t('app.online') : t('app.offline')}
        </span>
        <SettingsBar />
      </header>
      {notice && (
        <div className="banner">
          <ErrorDetails
            title={t('error.generic', { message: '' })}
            message={pick(notice.message)}
            code={notice.code}
            requestId={notice.requestId}
          />
          <button type="button" className="button-small" onClick={dismissNotice}>
            {t('common.close')}
          </button>
        </div>
      )}
      <main>
        {view === 'publish' && <Wizard />}
        {view === 'outbox' && <OutboxView />}
        {view === 'profiles' && <ProfilesView />}
        {view === 'packages' && <PackagesView />}
        {view === 'history' && <HistoryView />}
      </main>
    </div>
  );
}
