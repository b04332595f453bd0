import type { Locale, Text } from '../../../electron/core/i18n/text.js';
import { en, type MessageKey } from './en.js';
import { zh } from './zh.js';

const DICTIONARIES = { en, zh } as const;

export type Vars = Readonly<Record<string, string | number>>;

/** The language to show: the user's choice, else the OS locale (any `zh*` means Chinese). */
export function resolveLocale(setting: 'system' | Locale, systemLocale: string): Locale {
  if (setting !== 'system') return setting;
  return systemLocale.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

/** The message for `key` in `locale`, with `{name}` placeholders filled from `vars`. */
export function translate(locale: Locale, key: MessageKey, vars?: Vars): string {
  const template = DICTIONARIES[locale][key];
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    vars[name] === undefined ? whole : String(vars[name]),
  );
}

/** Picks the current language out of a bilingual value from the engine. */
export function pick(locale: Locale, value: Text): string {
  return value[locale];
}
