import type { Entity } from '@sluice/contracts';
import { findMentions } from './mentions';
import { type ResolvedEntity, resolveMentions } from './resolve';

/** Text beyond this is not scanned, so huge inputs stay cheap. */
export const MAX_ENTITY_TEXT = 200_000;

export interface EntityOptions {
  /** ISO 639-1 language; the capitalisation rules are English, other languages get gazetteer names only. */
  lang?: string | null;
}

/** Entities with mention positions and roles (for quote attribution). Never throws. */
export function extractResolvedEntities(text: string, options: EntityOptions = {}): ResolvedEntity[] {
  if (!text) return [];
  const gazetteerOnly = options.lang != null && options.lang !== 'en';
  try {
    return resolveMentions(findMentions(text.slice(0, MAX_ENTITY_TEXT), { gazetteerOnly }));
  } catch {
    return [];
  }
}

/**
 * People, organisations and places named in the text, each with its fullest name, the other forms
 * seen and a mention count; most mentioned first.
 */
export function extractEntities(text: string, options: EntityOptions = {}): Entity[] {
  return extractResolvedEntities(text, options).map(({ type, name, aliases, mentions }) => ({
    type,
    name,
    aliases,
    mentions,
  }));
}
