import { removeUnstorableCharacters, unstorableCharacterIn } from '@sluice/contracts';

/**
 * NUL bytes and unpaired UTF-16 surrogates: PostgreSQL refuses both in text, so they are dealt
 * with at the door instead of failing a document three stages later (contracts' text-safety
 * finds and removes them; the indexer refuses what still gets through).
 */

/** Why a string cannot be stored as text, or null when it can. */
export function malformedTextReason(text: string): string | null {
  const problem = unstorableCharacterIn(text);
  if (!problem) return null;
  return problem.startsWith('a NUL') ? 'contains a NUL byte' : 'contains an unpaired UTF-16 surrogate';
}

/** Document content made storable: NUL removed, unpaired surrogates replaced by U+FFFD. */
export const toStorableText = removeUnstorableCharacters;

/**
 * The first malformed string in a parsed value (query, params, JSON body), as `where: reason`,
 * skipping the keys in `free` (document content the route cleans itself).
 */
export function findMalformedText(value: unknown, where: string, free: ReadonlySet<string>): string | null {
  if (typeof value === 'string') {
    const reason = malformedTextReason(value);
    return reason ? `${where} ${reason}` : null;
  }
  if (!value || typeof value !== 'object' || Buffer.isBuffer(value)) return null;
  for (const [key, inner] of Object.entries(value)) {
    if (free.has(key)) continue;
    const found = findMalformedText(inner, where ? `${where}.${key}` : key, free);
    if (found) return found;
  }
  return null;
}
