/** An entity as the extractor gives it: fullest name plus the other forms the article used. */
export interface NamedEntity {
  type: string;
  name: string;
  aliases?: readonly string[];
}

/** One entity of a document as the story model matches it: any of its keys found in a story counts. */
export interface EntityKeys {
  type: string;
  keys: string[];
}

/** Entity types the model weighs apart. */
export const ENTITY_TYPES = ['person', 'organization', 'place'] as const;
/** Entities kept per document (the extractor lists the most mentioned first). */
export const DOCUMENT_ENTITIES = 16;

const normalise = (name: string) =>
  name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

/**
 * The keys an entity is matched under across documents: its name and aliases, and for a person
 * the surname alone, since later reports say "Thomas" where the first said "Shilo Thomas".
 */
export function entityKeys(entities: readonly NamedEntity[], keep = DOCUMENT_ENTITIES): EntityKeys[] {
  const result: EntityKeys[] = [];
  const seen = new Set<string>();
  for (const entity of entities) {
    if (result.length >= keep) break;
    const name = normalise(entity.name);
    if (!name) continue;
    const keys = new Set([`${entity.type}:${name}`]);
    for (const alias of entity.aliases ?? []) {
      const normalised = normalise(alias);
      if (normalised) keys.add(`${entity.type}:${normalised}`);
    }
    const words = name.split(' ');
    if (entity.type === 'person' && words.length > 1) keys.add(`person:${words.at(-1)}`);
    const primary = `${entity.type}:${name}`;
    if (seen.has(primary)) continue;
    seen.add(primary);
    result.push({ type: entity.type, keys: [...keys] });
  }
  return result;
}

/** `type:name` strings (as older callers pass them) read as entities without aliases. */
export function entityKeysFromStrings(keys: readonly string[]): EntityKeys[] {
  return entityKeys(
    keys.map((key) => {
      const colon = key.indexOf(':');
      return { type: key.slice(0, colon), name: key.slice(colon + 1) };
    }),
  );
}
