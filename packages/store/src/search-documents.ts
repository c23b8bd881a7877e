import { normalizeText } from '@sluice/contracts';
import type { Database, Queryable } from './database';
import { primaryLanguage } from './language';
import type { EntityFacetCount, FacetCount, SearchHit, SearchParams, SearchResult } from './search-types';

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;
const FACET_SIZE = 10;
/** Characters of the body `ts_headline` reads: the best passage is almost always early, and it is slow. */
const HEADLINE_CHARS = 5_000;
const START_MARK = '\u0002';
const STOP_MARK = '\u0003';

interface Cursor {
  score: number;
  eventAt: string;
  id: string;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.score, cursor.eventAt, cursor.id])).toString('base64url');
}

export function decodeCursor(value: string): Cursor {
  try {
    const [score, eventAt, id] = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    if (typeof score === 'number' && typeof eventAt === 'string' && typeof id === 'string') {
      return { score, eventAt, id };
    }
  } catch {}
  throw new SearchParamError('cursor is not one this API issued');
}

/** A search parameter the caller got wrong (the API answers 400). */
export class SearchParamError extends Error {}

/** Matches counted and ranked exactly; past this a query is broad (see `searchDocuments`). */
export const EXACT_MATCHES = 400;
/** About how many of a broad query's newest matches are ranked. */
const BROAD_CANDIDATES = 300;
/**
 * A query the planner expects to match more than this many times (and more than its default
 * guess for a word it has no statistics on) skips the probe: see `plannedMatches`.
 */
const SURE_BROAD = 4 * EXACT_MATCHES;
/** The planner's guess for a text match it has no statistics on (PostgreSQL's DEFAULT_TS_MATCH_SEL). */
const DEFAULT_MATCH_SHARE = 0.005;

type Plan =
  /** Count up to EXACT_MATCHES + 1 matches; rank them only if that is all. */
  | { mode: 'probe' }
  /** Rank the newest `cap` matches from `cutoff` on (all of them when `cap` is null). */
  | { mode: 'window'; cutoff: string | null; cap: number | null };

interface SearchRow {
  total: number | null;
  probed?: number;
  last_block?: number | null;
  blocks?: number | string;
  hits: (Omit<SearchHit, 'publishedAt' | 'storyId'> & {
    event_at: string;
    published_at: string | null;
    story_id: string | null;
  })[];
  source_facets?: FacetCount[];
  language_facets?: FacetCount[];
  entity_facets?: EntityFacetCount[];
}

/**
 * Ranked full-text search. The query is parsed once per text search configuration in use and
 * matched against documents indexed with that configuration, so stemming follows each
 * document's language while every branch can use the GIN index.
 *
 * Ranking reads every candidate's search vector, so the work is bounded: a first statement
 * collects at most EXACT_MATCHES + 1 matches and, when that is all of them, ranks and counts them
 * exactly (one round trip). A broader query is ranked over its newest matches only: a time
 * window sized from an estimate of the match count, widened while a page comes up short, and
 * never more than `cap` of the window's newest matches are ranked. Its total is that estimate
 * and its facets count the ranked matches; `approximate` says so.
 *
 * The estimate comes from the planner when its statistics know the query's words to be common
 * (one cheap EXPLAIN, no probe: the broadest queries, whose index scans cost the most, are read
 * once), else from how far into the table the probe had to read to find EXACT_MATCHES + 1.
 */
export async function searchDocuments(db: Queryable | Database, params: SearchParams): Promise<SearchResult> {
  if (!('transaction' in db)) return searchIn(db, params);
  // Every statement here is built for the indexes. Left free, the planner turns the probe's
  // `LIMIT 401` into a sequential scan testing each document's vector when it guesses matches are
  // plentiful (its default guess for a word it has no statistics on): the likely cause of 27-31 s
  // searches at a million documents, as a scan started mid-table also spoils the probe's estimate.
  // A query only the sequential scan can serve (`-word` alone) still gets it.
  // Set in the same round trip as BEGIN.
  return db.transaction((tx) => searchIn(tx, params), { settings: { enable_seqscan: 'off' } });
}

async function searchIn(db: Queryable, params: SearchParams): Promise<SearchResult> {
  const limit = Math.min(Math.max(Math.trunc(params.limit ?? DEFAULT_LIMIT), 1), MAX_LIMIT);
  const offset = params.cursor ? 0 : Math.max(Math.trunc(params.offset ?? 0), 0);
  const q = normalizeText(params.q ?? '').trim();
  const bounds = await tableBounds(db, params);
  let estimate = q ? await plannedMatches(db, params, q, bounds) : null;
  if (estimate === null) {
    const probe = await runSearch(db, params, limit, offset, { mode: 'probe' });
    const probed = Number(probe.row.probed ?? 0);
    if (probed <= EXACT_MATCHES) return probe.result;
    // Broad: estimate the matches from the share of the table read to find EXACT_MATCHES + 1.
    const blocks = Math.max(Number(probe.row.blocks ?? 1), 1);
    const lastBlock = Math.max(Number(probe.row.last_block ?? blocks - 1), 0);
    estimate = Math.max(Math.round((probed * blocks) / (lastBlock + 1)), probed);
  }
  const { low, high } = bounds;
  // Without a query, facets or story grouping, the page comes straight off the time index.
  const listing = !q && !params.facets && !params.onePerStory;
  let share = Math.min(1, BROAD_CANDIDATES / estimate);
  for (;;) {
    const span = Math.max((high - low) * share, 60_000);
    const cutoff = listing || high - span <= low ? null : new Date(high - span).toISOString();
    // Rank only the window's expected number of matches, newest first, so a low estimate cannot
    // make it rank thousands (the cap grows with the window when a page comes up short).
    const cap = cutoff === null ? null : Math.max(Math.ceil(share * estimate), BROAD_CANDIDATES);
    const { result } = await runSearch(db, params, limit, offset, { mode: 'window', cutoff, cap });
    if (cutoff === null || result.hits.length === limit) {
      result.total = Math.max(estimate, offset + result.hits.length);
      result.approximate = true;
      return result;
    }
    share *= 4;
  }
}

interface Bounds {
  /** The time range searched: the filters' `from`/`to` within the index's first and last document. */
  low: number;
  high: number;
  /** Documents in the index (the planner's count), and the text search configurations in use. */
  rows: number;
  configs: string[];
}

async function tableBounds(db: Queryable, params: SearchParams): Promise<Bounds> {
  const { rows } = await db.query<{
    first_at: string | Date | null;
    last_at: string | Date | null;
    rows: number;
    configs: string[] | null;
  }>(
    `SELECT (SELECT min(event_at) FROM documents) AS first_at, (SELECT max(event_at) FROM documents) AS last_at,
       (SELECT greatest(reltuples, 0)::float8 FROM pg_class WHERE oid = 'documents'::regclass) AS rows,
       (SELECT array_agg(config::text ORDER BY config::text) FROM search_configs) AS configs`,
  );
  const row = rows[0]!;
  const first = row.first_at ? new Date(row.first_at).getTime() : 0;
  const last = row.last_at ? new Date(row.last_at).getTime() : Date.now();
  return {
    low: Math.max(first, params.from ? Date.parse(isoTime(params.from, 'from')) : first),
    high: Math.min(last + 1, params.to ? Date.parse(isoTime(params.to, 'to')) : last + 1),
    rows: Number(row.rows ?? 0),
    configs: row.configs ?? [],
  };
}

/**
 * The planner's estimate of the query's matches with its filters, when its statistics say the
 * query is surely broad; else null (probe). Words the statistics do not list get a default
 * share of the table, so only an estimate well above that default is trusted.
 */
async function plannedMatches(
  db: Queryable,
  params: SearchParams,
  q: string,
  bounds: Bounds,
): Promise<number | null> {
  if (bounds.configs.length === 0 || bounds.rows < SURE_BROAD) return null;
  const values: unknown[] = [];
  const param = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  const filters = searchFilters(params, param);
  const query = param(q);
  const matches = bounds.configs
    .map(
      (config) =>
        `(d.ts_config = ${param(config)}::regconfig AND d.search_vector @@ websearch_to_tsquery(${param(config)}::regconfig, ${query}))`,
    )
    .join(' OR ');
  const { rows } = await db.query<{ 'QUERY PLAN': unknown }>(
    `EXPLAIN (FORMAT JSON) SELECT 1 FROM documents d WHERE (${matches})${filters.length ? ` AND ${filters.join(' AND ')}` : ''}`,
    values,
  );
  const raw = rows[0]?.['QUERY PLAN'];
  const plan = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { Plan?: { 'Plan Rows'?: number } }[];
  const estimate = Number(plan[0]?.Plan?.['Plan Rows'] ?? 0);
  return estimate > SURE_BROAD && estimate > 1.5 * DEFAULT_MATCH_SHARE * bounds.rows ? estimate : null;
}

/**
 * The filters' SQL conditions on `documents d` (parameters added through `param`): the one place
 * the search's filter rules are spelt, shared with the date facet (which leaves out the dates,
 * `dates: false`, as its periods stand in for them).
 */
export function searchFilters(
  params: SearchParams,
  param: (value: unknown) => string,
  { dates = true }: { dates?: boolean } = {},
): string[] {
  const filters: string[] = [];
  if (!params.includeDuplicates) filters.push('d.duplicate_of IS NULL');
  if (params.source) filters.push(`d.sources @> ARRAY[${param(params.source)}::text]`);
  if (params.lang) {
    const lang = primaryLanguage(params.lang);
    if (!lang) throw new SearchParamError('lang must be an ISO 639-1 code');
    filters.push(`lower(split_part(replace(d.lang, '_', '-'), '-', 1)) = ${param(lang)}`);
  }
  if (dates && params.from) filters.push(`d.event_at >= ${param(isoTime(params.from, 'from'))}::timestamptz`);
  if (dates && params.to) filters.push(`d.event_at < ${param(isoTime(params.to, 'to'))}::timestamptz`);
  if (params.entity) {
    if (!/^\d{1,18}$/.test(params.entity)) throw new SearchParamError('entity must be an entity id');
    filters.push(`d.entity_ids @> ARRAY[${param(params.entity)}::bigint]`);
  }
  if (params.story) filters.push(`d.story_id = ${param(params.story)}`);
  return filters;
}

async function runSearch(
  db: Queryable,
  params: SearchParams,
  limit: number,
  offset: number,
  plan: Plan,
): Promise<{ row: SearchRow; result: SearchResult }> {
  const values: unknown[] = [];
  const param = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  const q = normalizeText(params.q ?? '').trim() || null;

  const filters = searchFilters(params, param);
  if (plan.mode === 'window' && plan.cutoff) filters.push(`d.event_at >= ${param(plan.cutoff)}::timestamptz`);

  const queryParam = q ? param(q) : null;
  /**
   * The matching documents with `columns`. A query with no positive term (`-word` alone, or
   * stop words and exclusions) cannot use the GIN index, and scanning the whole index for it is
   * far slower than reading documents in order, so it takes a branch the index cannot serve
   * (`ts_match_vq` is the function behind `@@`).
   */
  const select = (columns: string) => {
    const filtered = (extra: string[]) => {
      const where = [...extra, ...filters];
      return `SELECT ${columns} FROM documents d ${queryParam ? 'JOIN queries q ON q.config = d.ts_config' : ''}
        ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}`;
    };
    if (!queryParam) return filtered([]);
    return `${filtered(['q.indexable', 'd.search_vector @@ q.query'])}
      UNION ALL ${filtered(['NOT q.indexable', 'ts_match_vq(d.search_vector, q.query)'])}`;
  };
  const probing = plan.mode === 'probe';
  // A capped window keeps only its newest matches, ranked after (a sort on time reads no vector).
  const cap = plan.mode === 'window' && queryParam ? plan.cap : null;
  // Facets count the matches' entities from their rows' entity ids (no look-up per match).
  const entityIds = params.facets ? ', d.entity_ids' : '';
  // Gathered rows keep the search vector (a reference, read only if ranked) and the heap block, for the estimate.
  const columns = select(`d.id, d.story_id, d.event_at, d.source, d.lang${entityIds},
    ${queryParam ? 'd.search_vector AS vector, q.query' : 'NULL::tsvector AS vector, NULL::tsquery AS query'},
    (d.ctid::text::point)[0]::bigint AS block`);
  // The window's matches are found first (a CTE the planner cannot see through), then sorted on
  // time: given `ORDER BY event_at LIMIT` directly, PostgreSQL may walk the time index newest
  // first and test every document's vector, which at a million documents took seconds.
  const gathered = probing
    ? `gathered AS MATERIALIZED (SELECT * FROM (${columns}) m LIMIT ${EXACT_MATCHES + 1}),`
    : cap !== null
      ? `windowed AS MATERIALIZED (${columns}),
         gathered AS MATERIALIZED (SELECT * FROM windowed ORDER BY event_at DESC, id DESC LIMIT ${cap}),`
      : '';
  const ranked = `SELECT id, story_id, event_at, source, lang${params.facets ? ', entity_ids' : ''},
       ${queryParam ? 'ts_rank(vector, query)' : '0::real'} AS score FROM gathered`;
  const candidates = probing
    ? `${ranked} WHERE (SELECT count(*) FROM gathered) <= ${EXACT_MATCHES}`
    : cap !== null
      ? ranked
      : select(`d.id, d.story_id, d.event_at, d.source, d.lang${entityIds},
         ${queryParam ? 'ts_rank(d.search_vector, q.query)' : '0::real'} AS score`);
  const matched = params.onePerStory
    ? `SELECT DISTINCT ON (coalesce(story_id, id)) * FROM candidates
       ORDER BY coalesce(story_id, id), score DESC, event_at DESC, id DESC`
    : 'SELECT * FROM candidates';
  let after = '';
  if (params.cursor) {
    const cursor = decodeCursor(params.cursor);
    after = `WHERE (score, event_at, id) < (${param(cursor.score)}::real, ${param(cursor.eventAt)}::timestamptz, ${param(cursor.id)}::text)`;
  }
  const snippet = queryParam
    ? `ts_headline(d.ts_config, left(d.text, ${HEADLINE_CHARS}), q.query,
         'StartSel=${START_MARK}, StopSel=${STOP_MARK}, MaxFragments=2, MaxWords=30, MinWords=12')`
    : `left(coalesce(d.description, d.text), 240)`;
  const facets = params.facets
    ? `,
      (SELECT coalesce(json_agg(f), '[]') FROM (
         SELECT source AS value, count(*)::int AS count FROM matched WHERE source IS NOT NULL
         GROUP BY source ORDER BY count(*) DESC, source LIMIT ${FACET_SIZE}) f) AS source_facets,
      (SELECT coalesce(json_agg(f), '[]') FROM (
         SELECT lower(split_part(replace(lang, '_', '-'), '-', 1)) AS value, count(*)::int AS count FROM matched
         WHERE lang IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT ${FACET_SIZE}) f) AS language_facets,
      (SELECT coalesce(json_agg(f), '[]') FROM (
         SELECT e.id::text AS id, e.type, e.name, c.count FROM (
           SELECT entity_id, count(*)::int AS count FROM matched m CROSS JOIN LATERAL unnest(m.entity_ids) AS entity_id
           GROUP BY entity_id) c JOIN entities e ON e.id = c.entity_id
         ORDER BY c.count DESC, e.name LIMIT ${FACET_SIZE}) f) AS entity_facets`
    : '';
  const probeColumns = probing
    ? `,
      (SELECT count(*)::int FROM gathered) AS probed, (SELECT max(block) FROM gathered) AS last_block,
      pg_relation_size('documents') / current_setting('block_size')::int AS blocks`
    : '';
  // A windowed listing needs no count: its total is the probe's estimate.
  const totalSql = probing ? '(SELECT count(*)::int FROM matched)' : 'NULL::int';
  const sql = `
    WITH ${
      queryParam
        ? `queries AS MATERIALIZED (SELECT config, query, querytree(query) <> 'T' AS indexable
      FROM search_configs, websearch_to_tsquery(config, ${queryParam}) AS query),`
        : ''
    }
    ${gathered}
    candidates AS (${candidates}),
    matched AS ${queryParam || probing ? 'MATERIALIZED ' : ''}(${matched}),
    page AS (SELECT * FROM matched ${after} ORDER BY score DESC, event_at DESC, id DESC
             LIMIT ${param(limit)} OFFSET ${param(offset)})
    SELECT ${totalSql} AS total,
      (SELECT coalesce(json_agg(h ORDER BY h.score DESC, h.event_at DESC, h.id DESC), '[]') FROM (
         SELECT p.id, p.score, p.event_at, d.title, d.url, d.source, d.published_at, d.lang, d.story_id,
                ${snippet} AS snippet
         FROM page p JOIN documents d ON d.id = p.id
         ${queryParam ? 'JOIN queries q ON q.config = d.ts_config' : ''}) h) AS hits${facets}${probeColumns}`;

  const { rows } = await db.query<SearchRow>(sql, values);
  const row = rows[0]!;
  const rawHits = typeof row.hits === 'string' ? JSON.parse(row.hits) : row.hits;
  const hits: SearchHit[] = rawHits.map((hit: (typeof rawHits)[number]) => ({
    id: hit.id,
    title: hit.title,
    url: hit.url,
    source: hit.source,
    publishedAt: hit.published_at ? new Date(hit.published_at).toISOString() : null,
    lang: hit.lang,
    storyId: hit.story_id,
    snippet: renderSnippet(hit.snippet ?? ''),
    score: hit.score,
  }));
  const lastHit = rawHits.at(-1);
  const total = Number(row.total ?? 0);
  const nextCursor =
    lastHit && hits.length === limit && (params.cursor || offset + limit < total || plan.mode === 'window')
      ? encodeCursor({ score: lastHit.score, eventAt: lastHit.event_at, id: lastHit.id })
      : null;
  const result: SearchResult = { total, hits, nextCursor };
  if (params.facets) {
    result.facets = {
      sources: parseJson(row.source_facets),
      languages: parseJson(row.language_facets),
      entities: parseJson(row.entity_facets),
    };
  }
  return { row, result };
}

const parseJson = <T>(value: T[] | string | undefined): T[] =>
  typeof value === 'string' ? JSON.parse(value) : (value ?? []);

function isoTime(value: string, name: string): string {
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new SearchParamError(`${name} must be a date or ISO 8601 time`);
  return new Date(time).toISOString();
}

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** HTML-escapes the passage, then turns the match markers into `<mark>`. */
export function renderSnippet(raw: string): string {
  return escapeHtml(raw.replace(/\s+/g, ' ').trim())
    .replaceAll(START_MARK, '<mark>')
    .replaceAll(STOP_MARK, '</mark>');
}
