import { createHash } from 'node:crypto';
import type { Queryable } from './database';
import { recountStory } from './story-recount';

/**
 * Moves a document (with the duplicates folded under it) out of its story into a new story of
 * its own, for an editor who finds it grouped wrongly. Both stories' counts, sources, span and
 * entity counts are recounted from their members; the old story's term centroid keeps the
 * document's share (it fades as the story grows), and the new story starts without one, so
 * later reports join it by entities and time. Returns the new story's id, or null when the
 * document is not in a story or is its story's only original. Call under the index lock.
 */
export async function detachDocumentIn(tx: Queryable, documentId: string): Promise<string | null> {
  const { rows } = await tx.query<{
    story_id: string | null;
    duplicate_of: string | null;
    originals: number;
  }>(
    `SELECT d.story_id, d.duplicate_of,
       (SELECT count(*)::int FROM documents o WHERE o.story_id = d.story_id AND o.duplicate_of IS NULL) AS originals
     FROM documents d WHERE d.id = $1 FOR UPDATE`,
    [documentId],
  );
  const document = rows[0];
  if (!document?.story_id || document.duplicate_of || document.originals < 2) return null;
  const oldStory = document.story_id;
  const newStory = createHash('sha256')
    .update(`detached\n${documentId}\n${oldStory}`)
    .digest('hex')
    .slice(0, 32);
  await tx.query(
    `INSERT INTO stories (id, headline, headline_document_id, first_seen_at, last_seen_at)
     SELECT $2, title, id, event_at, event_at FROM documents WHERE id = $1
     ON CONFLICT (id) DO UPDATE SET merged_into = NULL, updated_at = now()`,
    [documentId, newStory],
  );
  await tx.query('UPDATE documents SET story_id = $2 WHERE id = $1 OR duplicate_of = $1', [
    documentId,
    newStory,
  ]);
  // A story merged into the old one stays merged there.
  await recountStory(tx, oldStory);
  await recountStory(tx, newStory);
  return newStory;
}
