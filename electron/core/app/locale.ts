import type { Settings } from '../contract.js';
import type { Locale, Text } from '../i18n/text.js';

/** The language to show: the user's choice, else Chinese for a zh-* system locale, else English. */
export function resolveLocale(setting: Settings['locale'], systemLocale: string): Locale {
  if (setting !== 'system') return setting;
  return systemLocale.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

/** The text in `locale`. */
export function localize(value: Text, locale: Locale): string {
  return value[locale];
}
