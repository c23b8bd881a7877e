/**
 * Characters that change no word but break matching: the soft hyphen (U+00AD, which sites put
 * inside long German words), zero-width space, the byte-order mark, word joiner and invisible
 * operators, bidirectional marks and embeddings, and the Arabic letter mark. Zero-width joiner
 * and non-joiner (U+200C, U+200D) are kept: they spell words in Persian and Indic scripts and
 * hold emoji sequences together.
 */
const INVISIBLE_FORMAT =
  /[\u00AD\u061C\u180E\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF\uFFF9-\uFFFB]/g;

/**
 * The text form Sluice indexes and matches: invisible format characters removed, Unicode NFC
 * (a precomposed "é" and "e" + combining accent are the same word). Documents pass through it
 * when cleaned, queries before they are matched.
 */
export function normalizeText(text: string): string {
  const visible = text.replace(INVISIBLE_FORMAT, '');
  return visible.normalize('NFC');
}

/** Every string in a JSON-like value through normalizeText (objects and arrays copied). */
export function normalizeStrings<T>(value: T): T {
  if (typeof value === 'string') return normalizeText(value) as T;
  if (Array.isArray(value)) return value.map((item) => normalizeStrings(item)) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, normalizeStrings(item)])) as T;
  }
  return value;
}
