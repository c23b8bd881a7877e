/** PostgreSQL text search configurations shipped with the server (and PGlite), by ISO 639-1 code. */
const CONFIG_BY_LANGUAGE: Record<string, string> = {
  ar: 'arabic',
  ca: 'catalan',
  da: 'danish',
  de: 'german',
  el: 'greek',
  en: 'english',
  es: 'spanish',
  eu: 'basque',
  fi: 'finnish',
  fr: 'french',
  ga: 'irish',
  hi: 'hindi',
  hu: 'hungarian',
  hy: 'armenian',
  id: 'indonesian',
  it: 'italian',
  lt: 'lithuanian',
  ne: 'nepali',
  nl: 'dutch',
  no: 'norwegian',
  nb: 'norwegian',
  nn: 'norwegian',
  pt: 'portuguese',
  ro: 'romanian',
  ru: 'russian',
  sr: 'serbian',
  sv: 'swedish',
  ta: 'tamil',
  tr: 'turkish',
  yi: 'yiddish',
};

/** Configurations this module may put in SQL text; anything else is refused. */
export const TEXT_SEARCH_CONFIGS: ReadonlySet<string> = new Set([
  ...Object.values(CONFIG_BY_LANGUAGE),
  'simple',
]);

/** The text search configuration for a language tag (`en`, `en-GB`, `pt_BR`); `simple` when unknown. */
export function textSearchConfigFor(lang: string | null | undefined): string {
  if (!lang) return 'simple';
  const primary = lang.trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return CONFIG_BY_LANGUAGE[primary] ?? 'simple';
}

/** The primary language subtag, lower-cased (`en-GB` → `en`), or null. */
export function primaryLanguage(lang: string | null | undefined): string | null {
  const primary = lang?.trim().toLowerCase().split(/[-_]/)[0];
  return primary && /^[a-z]{2,3}$/.test(primary) ? primary : null;
}
