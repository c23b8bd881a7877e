export interface SearchParams {
  /** Web-search syntax: words, "quoted phrases", -exclusions, or. Empty lists the newest documents. */
  q?: string | null;
  source?: string | null;
  /** ISO 639-1 language. */
  lang?: string | null;
  /** Inclusive lower bound on the document's time (published, else fetched). */
  from?: string | null;
  /** Exclusive upper bound on the document's time. */
  to?: string | null;
  /** Entity id (from `/entities`). */
  entity?: string | null;
  story?: string | null;
  /** Show only the best document of each story. */
  onePerStory?: boolean;
  /** Include near and exact duplicates (hidden by default). */
  includeDuplicates?: boolean;
  /** Compute source, language and entity facets. */
  facets?: boolean;
  limit?: number;
  offset?: number;
  /** `nextCursor` of the previous page; takes precedence over `offset`. */
  cursor?: string | null;
}

export interface SearchHit {
  id: string;
  title: string | null;
  url: string | null;
  source: string | null;
  publishedAt: string | null;
  lang: string | null;
  storyId: string | null;
  /** Best-matching passage; matches wrapped in `<mark>`, the rest HTML-escaped. */
  snippet: string;
  score: number;
}

export interface FacetCount {
  value: string;
  count: number;
}

export interface EntityFacetCount {
  id: string;
  type: string;
  name: string;
  count: number;
}

export interface SearchResult {
  /** Matches in all; an estimate when `approximate`. */
  total: number;
  /**
   * Set when the query matched more than the store ranks exactly (`EXACT_MATCHES`): the hits are
   * the best of its newest matches, `total` is estimated, and facets count those newest matches.
   */
  approximate?: boolean;
  hits: SearchHit[];
  nextCursor: string | null;
  facets?: { sources: FacetCount[]; languages: FacetCount[]; entities: EntityFacetCount[] };
}
