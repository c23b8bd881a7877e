import type { EntityType } from '@sluice/contracts';

/** One key per entity across documents: type plus the name without case, accents or punctuation. */
export function entityKey(type: EntityType | string, name: string): string {
  const normalized = name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  return `${type}:${normalized}`;
}
