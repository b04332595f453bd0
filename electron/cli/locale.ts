import type { Locale, Text } from '../core/i18n/text.js';

/** Chinese when the environment's language says so (OTA_LANG, LC_ALL, LC_MESSAGES, LANG), else English. */
export function cliLocale(env: NodeJS.ProcessEnv = process.env): Locale {
  const lang = env.OTA_LANG || env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return /^zh/i.test(lang) ? 'zh' : 'en';
}

export function say(t: Text, locale: Locale = cliLocale()): string {
  return t[locale];
}
