/** User-facing text in every language the app ships. */
export interface Text {
  readonly en: string;
  readonly zh: string;
}

export type Locale = keyof Text;

/** Builds a bilingual text value. */
export function text(en: string, zh: string): Text {
  return { en, zh };
}
