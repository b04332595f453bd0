import { useMemo } from 'react';
import type { Locale, Text } from '../../../electron/core/i18n/text.js';
import { useAppStore } from '../stores/app-store.js';
import { useSettingsStore } from '../stores/settings-store.js';
import type { MessageKey } from './en.js';
import { resolveLocale, translate, type Vars } from './translate.js';

export interface Translator {
  readonly locale: Locale;
  /** A renderer message in the current language. */
  t(key: MessageKey, vars?: Vars): string;
  /** An engine Text (validation message, hint) in the current language. */
  pick(value: Text): string;
}

/** The current language: Settings.locale, else the OS locale. */
export function useLocale(): Locale {
  const setting = useSettingsStore((s) => s.settings.locale);
  const systemLocale = useAppStore((s) => s.info?.systemLocale ?? navigator.language);
  return resolveLocale(setting, systemLocale);
}

/** Translation functions bound to the current language. */
export function useT(): Translator {
  const locale = useLocale();
  return useMemo(
    () => ({ locale, t: (key, vars) => translate(locale, key, vars), pick: (value) => value[locale] }),
    [locale],
  );
}
