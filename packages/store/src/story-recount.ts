import type { Queryable } from './database';

/** Recomputes a story's summary columns from its members (the centroid is left as it is). */
export async function recountStory(tx: Queryable, storyId: string) {
  await tx.query(
    `WITH members AS (SELECT * FROM documents WHERE story_id = $1),
     counts AS (
       SELECT e.key, count(*)::int AS n FROM members m CROSS JOIN LATERAL unnest(m.entity_ids) AS entity_id
       JOIN entities e ON e.id = entity_id WHERE m.duplicate_of IS NULL GROUP BY e.key),
     headline AS (SELECT id, title FROM members WHERE duplicate_of IS NULL ORDER BY event_at, id LIMIT 1)
     UPDATE stories s SET
       document_count = (SELECT count(*)::int FROM members WHERE duplicate_of IS NULL),
       sources = coalesce((SELECT array_agg(DISTINCT source) FROM members WHERE source IS NOT NULL), '{}'),
       first_seen_at = coalesce((SELECT min(event_at) FROM members), s.first_seen_at),
       last_seen_at = coalesce((SELECT max(event_at) FROM members), s.last_seen_at),
       entity_counts = coalesce((SELECT jsonb_object_agg(key, n) FROM counts), '{}'),
       entity_keys = coalesce((SELECT array_agg(key) FROM counts), '{}'),
       headline = CASE WHEN s.headline_document_id IN (SELECT id FROM members) THEN s.headline
                       ELSE (SELECT title FROM headline) END,
       headline_document_id = CASE WHEN s.headline_document_id IN (SELECT id FROM members) THEN s.headline_document_id
                       ELSE (SELECT id FROM headline) END,
       updated_at = now()
     WHERE s.id = $1`,
    [storyId],
  );
}
