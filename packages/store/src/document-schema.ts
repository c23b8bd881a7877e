/**
 * The document index's migrations (namespace `documents`). Append new entries; never edit an
 * applied one. Plain SQL with no function bodies, so `runMigrations` can split on semicolons.
 */
export const documentMigrations: string[] = [
  `
  CREATE EXTENSION IF NOT EXISTS pg_trgm;

  CREATE TABLE documents (
    id text PRIMARY KEY,
    url text,
    canonical_url text,
    source text,
    site_name text,
    title text,
    text text NOT NULL,
    description text,
    byline text,
    authors jsonb NOT NULL DEFAULT '[]',
    published_at timestamptz,
    modified_at timestamptz,
    published_at_source text,
    lang text,
    ts_config regconfig NOT NULL,
    entities jsonb NOT NULL DEFAULT '[]',
    quotes jsonb NOT NULL DEFAULT '[]',
    keywords jsonb NOT NULL DEFAULT '[]',
    summary text,
    fingerprints jsonb,
    fetched_at timestamptz NOT NULL,
    extracted_at timestamptz NOT NULL,
    indexed_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    -- When the document happened for sorting and date filters: published, else fetched.
    event_at timestamptz NOT NULL,
    body_hash text NOT NULL,
    content_hash text NOT NULL,
    version integer NOT NULL DEFAULT 1,
    duplicate_of text REFERENCES documents (id) ON DELETE SET NULL,
    duplicate_kind text,
    duplicate_similarity real,
    story_id text,
    sources text[] NOT NULL DEFAULT '{}',
    search_vector tsvector NOT NULL
  );
  CREATE INDEX documents_search_vector_idx ON documents USING GIN (search_vector);
  CREATE INDEX documents_event_at_idx ON documents (event_at DESC);
  CREATE INDEX documents_body_hash_idx ON documents (body_hash);
  CREATE INDEX documents_canonical_url_idx ON documents (canonical_url);
  CREATE INDEX documents_sources_idx ON documents USING GIN (sources);
  CREATE INDEX documents_story_idx ON documents (story_id, event_at);
  CREATE INDEX documents_duplicate_of_idx ON documents (duplicate_of);

  -- Every address a document was seen under (its own, canonical, and merged exact duplicates').
  CREATE TABLE document_urls (
    url text PRIMARY KEY,
    document_id text NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    source text,
    first_seen_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE INDEX document_urls_document_idx ON document_urls (document_id);

  -- Earlier versions of a document whose URL was re-indexed with new content.
  CREATE TABLE document_versions (
    document_id text NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    version integer NOT NULL,
    title text,
    text text NOT NULL,
    published_at timestamptz,
    modified_at timestamptz,
    content_hash text NOT NULL,
    indexed_at timestamptz NOT NULL,
    replaced_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (document_id, version)
  );

  CREATE TABLE entities (
    id bigserial PRIMARY KEY,
    type text NOT NULL,
    name text NOT NULL,
    key text NOT NULL UNIQUE
  );
  CREATE INDEX entities_name_trgm_idx ON entities USING GIN (name gin_trgm_ops);

  CREATE TABLE document_entities (
    document_id text NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    entity_id bigint NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
    mentions integer NOT NULL,
    PRIMARY KEY (document_id, entity_id)
  );
  CREATE INDEX document_entities_entity_idx ON document_entities (entity_id, document_id);

  -- The text search configurations in use, so a query can be parsed once per configuration.
  CREATE TABLE search_configs (config regconfig PRIMARY KEY);

  -- Near-duplicate candidate keys: MinHash LSH bands (\`m<band>:<hash>\`) and SimHash blocks (\`s<block>:<hex>\`).
  CREATE TABLE document_fingerprint_keys (
    key text NOT NULL,
    document_id text NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    PRIMARY KEY (key, document_id)
  );
  CREATE INDEX document_fingerprint_keys_document_idx ON document_fingerprint_keys (document_id);

  CREATE TABLE stories (
    id text PRIMARY KEY,
    headline text,
    headline_document_id text,
    first_seen_at timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    document_count integer NOT NULL DEFAULT 0,
    sources text[] NOT NULL DEFAULT '{}',
    -- Summed unit term vectors of the members (pruned to the strongest terms), for cosine scoring.
    centroid jsonb NOT NULL DEFAULT '{}',
    terms text[] NOT NULL DEFAULT '{}',
    entity_counts jsonb NOT NULL DEFAULT '{}',
    entity_keys text[] NOT NULL DEFAULT '{}',
    merged_into text REFERENCES stories (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE INDEX stories_terms_idx ON stories USING GIN (terms);
  CREATE INDEX stories_entity_keys_idx ON stories USING GIN (entity_keys);
  CREATE INDEX stories_last_seen_idx ON stories (last_seen_at DESC);

  -- Document frequencies for the story scorer's IDF weights.
  CREATE TABLE story_term_frequencies (
    term text PRIMARY KEY,
    document_count integer NOT NULL
  );
  CREATE TABLE index_counters (
    name text PRIMARY KEY,
    value bigint NOT NULL
  )
  `,
  // 2: each document's entity ids on its row, so the search's entity filter and its text match
  // combine in the indexes (a BitmapAnd) instead of reading every text match to filter it.
  `
  ALTER TABLE documents ADD COLUMN entity_ids bigint[] NOT NULL DEFAULT '{}';
  UPDATE documents d SET entity_ids = l.ids
  FROM (SELECT document_id, array_agg(entity_id ORDER BY entity_id) AS ids FROM document_entities GROUP BY document_id) l
  WHERE l.document_id = d.id;
  CREATE INDEX documents_entity_ids_idx ON documents USING GIN (entity_ids)
  `,
  // 3: the learnt story model: each story's profile (per-field centroids, entity and source counts,
  // times), its headline's stems, and the history of repairs (merges and detached documents).
  `
  ALTER TABLE stories ADD COLUMN profile jsonb;
  ALTER TABLE stories ADD COLUMN headline_vector jsonb;
  CREATE INDEX stories_updated_idx ON stories (updated_at DESC) WHERE merged_into IS NULL;
  CREATE INDEX documents_source_idx ON documents (source);
  CREATE TABLE story_history (
    id bigserial PRIMARY KEY,
    story_id text NOT NULL,
    -- merged-into | absorbed | detached | split-from
    action text NOT NULL,
    other_story_id text,
    document_id text,
    probability double precision,
    at timestamptz NOT NULL DEFAULT now()
  );
  CREATE INDEX story_history_story_idx ON story_history (story_id, at)
  `,
  // 4: candidate look-up keys bound to the week (`t:stem@week`, `e:entity@week`, see
  // @sluice/stories' story-lookup-keys), so a look-up reads only stories active near the document
  // instead of every story in history sharing a common term. Weeks are whole 7-day spans since
  // the epoch; a story is keyed in each week of its span, the latest 8 at most.
  `
  ALTER TABLE stories ADD COLUMN lookup_keys text[] NOT NULL DEFAULT '{}';
  UPDATE stories SET lookup_keys = ARRAY(
    SELECT k.key || '@' || w.week
    FROM unnest(ARRAY(SELECT 't:' || t FROM unnest(terms) t) || ARRAY(SELECT 'e:' || e FROM unnest(entity_keys) e)) AS k(key)
    CROSS JOIN generate_series(
      greatest(floor(extract(epoch FROM first_seen_at) / 604800)::bigint, floor(extract(epoch FROM last_seen_at) / 604800)::bigint - 7),
      floor(extract(epoch FROM last_seen_at) / 604800)::bigint) AS w(week))
  WHERE merged_into IS NULL;
  CREATE INDEX stories_lookup_keys_idx ON stories USING GIN (lookup_keys);
  DROP INDEX stories_terms_idx;
  DROP INDEX stories_entity_keys_idx
  `,
];
