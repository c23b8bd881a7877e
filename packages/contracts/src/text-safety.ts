/**
 * PostgreSQL text and jsonb cannot hold a NUL character, and a lone UTF-16 surrogate has no
 * UTF-8 form: either makes the index refuse the whole document. These find and remove them
 * before they get that far. Pure functions.
 */

const NUL = '\u0000';
// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g');

/** What in `text` the index cannot store, as a short reason, or null when it is all storable. */
export function unstorableCharacterIn(text: string): string | null {
  const nul = text.indexOf(NUL);
  if (nul >= 0) return `a NUL character at offset ${nul}`;
  const surrogate = LONE_SURROGATE.exec(text);
  if (surrogate) return `a lone UTF-16 surrogate at offset ${surrogate.index}`;
  return null;
}

/** `text` with NUL characters removed and lone surrogates replaced by U+FFFD. */
export function removeUnstorableCharacters(text: string): string {
  const withoutNul = text.includes(NUL) ? text.replaceAll(NUL, '') : text;
  return withoutNul.replace(LONE_SURROGATES, '\uFFFD');
}

/**
 * The first unstorable string anywhere in a JSON-like value (object keys included), named by
 * its path, e.g. `text: a NUL character at offset 12`; null when there is none.
 */
export function findUnstorableText(value: unknown, path = ''): string | null {
  if (typeof value === 'string') {
    const problem = unstorableCharacterIn(value);
    return problem ? `${path || 'value'}: ${problem}` : null;
  }
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findUnstorableText(item, `${path}[${index}]`);
      if (found) return found;
    }
    return null;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      const keyProblem = unstorableCharacterIn(key);
      if (keyProblem) return `${path ? `${path}.` : ''}(a key): ${keyProblem}`;
      const found = findUnstorableText(item, path ? `${path}.${key}` : key);
      if (found) return found;
    }
  }
  return null;
}

/** A copy of a JSON-like value with every string (and key) made storable. */
export function scrubUnstorableText<T>(value: T): T {
  if (typeof value === 'string') return removeUnstorableCharacters(value) as T;
  if (Array.isArray(value)) return value.map((item) => scrubUnstorableText(item)) as T;
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        removeUnstorableCharacters(key),
        scrubUnstorableText(item),
      ]),
    ) as T;
  }
  return value;
}
