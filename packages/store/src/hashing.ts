import { createHash } from 'node:crypto';
import type { ExtractedDocument } from '@sluice/contracts';

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 32);

/** Text reduced to what survives re-publishing: case, punctuation and spacing removed. */
export function normalizeBody(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Identity of a body for exact-duplicate detection. */
export const bodyHash = (text: string): string => sha256(normalizeBody(text));

/** Identity of everything the index stores about a document, so re-indexing it unchanged is a no-op. */
export function contentHash(doc: ExtractedDocument): string {
  const { fetchedAt: _fetched, extractedAt: _extracted, id: _id, ...content } = doc;
  return sha256(JSON.stringify(content));
}
