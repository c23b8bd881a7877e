import nlp from 'compromise';

type Lexicon = Record<string, string | string[]>;

/** compromise's English lexicon (24k words → tags): cheap O(1) lookups instead of parsing whole articles. */
const LEXICON: Lexicon = (nlp as unknown as { world(): { model: { one: { lexicon: Lexicon } } } }).world()
  .model.one.lexicon;

function tagsOf(word: string): string[] {
  const tags = LEXICON[word.toLowerCase()];
  if (tags === undefined) return [];
  return Array.isArray(tags) ? tags : [tags];
}

/** True for given names compromise knows ("Sean", "Hassan", "David"). */
export function isKnownFirstName(word: string): boolean {
  return tagsOf(word).some((t) => t === 'MaleName' || t === 'FemaleName' || t === 'FirstName');
}

/** True for any personal-name word compromise knows (given names and surnames). */
export function isKnownNameWord(word: string): boolean {
  return isKnownFirstName(word) || tagsOf(word).includes('LastName');
}

/** True when the lower-cased word is an ordinary English word (so an all-caps "NOW" is no acronym). */
const PROPER_TAGS = new Set([
  'ProperNoun',
  'Country',
  'City',
  'Region',
  'Place',
  'Person',
  'FirstName',
  'LastName',
  'MaleName',
  'FemaleName',
  'Organization',
]);

export function isCommonWord(word: string): boolean {
  const tags = tagsOf(word);
  return tags.length > 0 && !tags.some((t) => PROPER_TAGS.has(t));
}
