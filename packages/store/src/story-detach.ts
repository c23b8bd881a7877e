import { createHash } from 'node:crypto';
import type { Queryable } from './database';

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

/** Recomputes a story's summary columns from its members (the centroid is left as it is). */
async function recountStory(tx: Queryable, storyId: string) {
  await tx.query(
    `WITH members AS (SELECT * FROM documents WHERE story_id = $1),
     counts AS (
       SELECT e.key, count(*)::int AS n FROM members m CROSS JOIN LATERAL unnest(m.entity_ids) AS entity_id
       JOIN entities e ON e.id = entity_id WHERE m.duplicate_of IS NULL GROUP BY e.key),
     headline AS (SELECT id, title FROM members WHERE duplicate_of IS NULL ORDER BY event_at, id LIMIT 1),
     span AS (
       SELECT floor(extract(epoch FROM coalesce(min(m.event_at), st.first_seen_at)) / 604800)::bigint AS first_week,
         floor(extract(epoch FROM coalesce(max(m.event_at), st.last_seen_at)) / 604800)::bigint AS last_week
       FROM stories st LEFT JOIN members m ON true WHERE st.id = $1 GROUP BY st.first_seen_at, st.last_seen_at)
     UPDATE stories s SET
       document_count = (SELECT count(*)::int FROM members WHERE duplicate_of IS NULL),
       sources = coalesce((SELECT array_agg(DISTINCT source) FROM members WHERE source IS NOT NULL), '{}'),
       first_seen_at = coalesce((SELECT min(event_at) FROM members), s.first_seen_at),
       last_seen_at = coalesce((SELECT max(event_at) FROM members), s.last_seen_at),
       entity_counts = coalesce((SELECT jsonb_object_agg(key, n) FROM counts), '{}'),
       entity_keys = coalesce((SELECT array_agg(key) FROM counts), '{}'),
       -- The week-bound look-up keys (as @sluice/stories' storyWeekKeys): terms and entities, each
       -- week of the span, the latest 8 at most.
       lookup_keys = ARRAY(
         SELECT k.key || '@' || w.week
         FROM unnest(ARRAY(SELECT 't:' || t FROM unnest(s.terms) t)
                     || ARRAY(SELECT 'e:' || key FROM counts)) AS k(key)
         CROSS JOIN span
         CROSS JOIN generate_series(greatest(span.first_week, span.last_week - 7), span.last_week) AS w(week)),
       headline = CASE WHEN s.headline_document_id IN (SELECT id FROM members) THEN s.headline
                       ELSE (SELECT title FROM headline) END,
       headline_document_id = CASE WHEN s.headline_document_id IN (SELECT id FROM members) THEN s.headline_document_id
                       ELSE (SELECT id FROM headline) END,
       updated_at = now()
     WHERE s.id = $1`,
    [storyId],
  );
}
