import { fingerprintKeys, fingerprintSimilarity, isNearDuplicate } from '@sluice/stories';
import type { Queryable } from './database';
import type { DocumentRow } from './document-row';

export interface DuplicateMatch {
  originalId: string;
  kind: 'exact' | 'near';
  similarity: number;
}

/** Most near-duplicate candidates verified per document; buckets this full are boilerplate. */
export const MAX_NEAR_CANDIDATES = 64;

/**
 * The original an incoming document duplicates, if any: first by address or body hash, then by
 * fingerprint keys (indexed look-up) verified against the similarity threshold.
 */
export async function findDuplicate(tx: Queryable, row: DocumentRow): Promise<DuplicateMatch | null> {
  const id = row.doc.id;
  if (row.urls.length > 0 || row.bodyHash) {
    // One round trip for both exact keys: an address seen before, or the same body.
    const { rows } = await tx.query<{ id: string }>(
      `(SELECT coalesce(d.duplicate_of, d.id) AS id FROM document_urls u JOIN documents d ON d.id = u.document_id
        WHERE u.url = ANY($1::text[]) AND u.document_id <> $2 LIMIT 1)
       UNION ALL
       (SELECT id FROM documents WHERE body_hash = $3 AND id <> $2 AND duplicate_of IS NULL ORDER BY indexed_at LIMIT 1)`,
      [row.urls, id, row.bodyHash],
    );
    const original = rows.find((candidate) => candidate.id !== id);
    if (original) return { originalId: original.id, kind: 'exact', similarity: 1 };
  }
  const fingerprints = row.doc.fingerprints;
  const keys = fingerprintKeys(fingerprints);
  if (!fingerprints || keys.length === 0) return null;
  const { rows } = await tx.query<{ id: string; fingerprints: typeof fingerprints }>(
    `SELECT d.id, d.fingerprints FROM documents d
     WHERE d.id IN (SELECT document_id FROM document_fingerprint_keys WHERE key = ANY($1::text[]) LIMIT $3)
       AND d.id <> $2 AND d.duplicate_of IS NULL
     ORDER BY d.indexed_at`,
    [keys, id, MAX_NEAR_CANDIDATES],
  );
  let best: DuplicateMatch | null = null;
  for (const candidate of rows) {
    if (!candidate.fingerprints || !isNearDuplicate(fingerprints, candidate.fingerprints)) continue;
    const similarity = fingerprintSimilarity(fingerprints, candidate.fingerprints) ?? 0;
    if (!best || similarity > best.similarity) best = { originalId: candidate.id, kind: 'near', similarity };
  }
  return best;
}
