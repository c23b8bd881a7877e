import type { Queryable } from './database';

/** Recomputes a story's summary columns from its members (the centroid is left as it is). */
export async function recountStory(tx: Queryable, storyId: string) {
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
