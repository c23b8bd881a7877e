/**
 * The search's own migrations (namespace `search`): index settings that serve queries, kept apart
 * from the document migrations so they evolve on their own. Append new entries; never edit an
 * applied one.
 */
export const searchMigrations: string[] = [
  // 1: a GIN index with `fastupdate` queues new entries in a pending list (4 MB by default) that
  // every search reads from start to end until it is merged into the index. While documents stream
  // in the list is rarely empty: at 100,000 documents a full list was 384 pages, about a third of
  // a one-word match's cost. A 256 kB list keeps inserts batched (bench:search, docs/benchmarks.md).
  `
  ALTER INDEX documents_search_vector_idx SET (gin_pending_list_limit = 256);
  ALTER INDEX documents_sources_idx SET (gin_pending_list_limit = 256);
  ALTER INDEX documents_entity_ids_idx SET (gin_pending_list_limit = 256)
  `,
];
