import type { Queryable } from './database';
import { primaryLanguage } from './language';
import type { EntityFacetCount, FacetCount, SearchHit, SearchParams, SearchResult } from './search-types';

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;
const FACET_SIZE = 10;
/** Characters of the body `ts_headline` reads: the best passage is almost always early, and it is slow. */
const HEADLINE_CHARS = 20_000;
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

/**
 * Ranked full-text search. The query is parsed once per text search configuration in use and
 * matched against documents indexed with that configuration, so stemming follows each
 * document's language while every branch can use the GIN index.
 */
export async function searchDocuments(db: Queryable, params: SearchParams): Promise<SearchResult> {
  const values: unknown[] = [];
  const param = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  const q = params.q?.trim() || null;
  const limit = Math.min(Math.max(Math.trunc(params.limit ?? DEFAULT_LIMIT), 1), MAX_LIMIT);
  const offset = params.cursor ? 0 : Math.max(Math.trunc(params.offset ?? 0), 0);

  const filters: string[] = [];
  if (!params.includeDuplicates) filters.push('d.duplicate_of IS NULL');
  if (params.source) filters.push(`d.sources @> ARRAY[${param(params.source)}::text]`);
  if (params.lang) {
    const lang = primaryLanguage(params.lang);
    if (!lang) throw new SearchParamError('lang must be an ISO 639-1 code');
    filters.push(`lower(split_part(replace(d.lang, '_', '-'), '-', 1)) = ${param(lang)}`);
  }
  if (params.from) filters.push(`d.event_at >= ${param(isoTime(params.from, 'from'))}::timestamptz`);
  if (params.to) filters.push(`d.event_at < ${param(isoTime(params.to, 'to'))}::timestamptz`);
  if (params.entity) {
    if (!/^\d{1,18}$/.test(params.entity)) throw new SearchParamError('entity must be an entity id');
    filters.push(
      `d.id IN (SELECT document_id FROM document_entities WHERE entity_id = ${param(params.entity)}::bigint)`,
    );
  }
  if (params.story) filters.push(`d.story_id = ${param(params.story)}`);

  const queryParam = q ? param(q) : null;
  const candidates = queryParam
    ? `SELECT d.id, d.story_id, d.event_at, d.source, d.lang, ts_rank(d.search_vector, q.query) AS score
       FROM documents d JOIN queries q ON q.config = d.ts_config
       WHERE d.search_vector @@ q.query${filters.map((filter) => ` AND ${filter}`).join('')}`
    : `SELECT d.id, d.story_id, d.event_at, d.source, d.lang, 0::real AS score FROM documents d
       ${filters.length > 0 ? `WHERE ${filters.join(' AND ')}` : ''}`;
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
         SELECT e.id::text AS id, e.type, e.name, count(*)::int AS count
         FROM matched m JOIN document_entities de ON de.document_id = m.id JOIN entities e ON e.id = de.entity_id
         GROUP BY e.id ORDER BY count(*) DESC, e.name LIMIT ${FACET_SIZE}) f) AS entity_facets`
    : '';
  // Without a query the newest-first page can come straight off the event_at index.
  const sql = `
    WITH ${queryParam ? `queries AS (SELECT config, websearch_to_tsquery(config, ${queryParam}) AS query FROM search_configs),` : ''}
    candidates AS (${candidates}),
    matched AS ${queryParam ? 'MATERIALIZED ' : ''}(${matched}),
    page AS (SELECT * FROM matched ${after} ORDER BY score DESC, event_at DESC, id DESC
             LIMIT ${param(limit)} OFFSET ${param(offset)})
    SELECT (SELECT count(*)::int FROM matched) AS total,
      (SELECT coalesce(json_agg(h ORDER BY h.score DESC, h.event_at DESC, h.id DESC), '[]') FROM (
         SELECT p.id, p.score, p.event_at, d.title, d.url, d.source, d.published_at, d.lang, d.story_id,
                ${snippet} AS snippet
         FROM page p JOIN documents d ON d.id = p.id
         ${queryParam ? 'JOIN queries q ON q.config = d.ts_config' : ''}) h) AS hits${facets}`;

  const { rows } = await db.query<{
    total: number;
    hits: (Omit<SearchHit, 'publishedAt' | 'storyId'> & {
      event_at: string;
      published_at: string | null;
      story_id: string | null;
    })[];
    source_facets?: FacetCount[];
    language_facets?: FacetCount[];
    entity_facets?: EntityFacetCount[];
  }>(sql, values);
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
  const last = rawHits.at(-1);
  const total = Number(row.total);
  const nextCursor =
    last && hits.length === limit && (params.cursor || offset + limit < total)
      ? encodeCursor({ score: last.score, eventAt: last.event_at, id: last.id })
      : null;
  const result: SearchResult = { total, hits, nextCursor };
  if (params.facets) {
    result.facets = {
      sources: parseJson(row.source_facets),
      languages: parseJson(row.language_facets),
      entities: parseJson(row.entity_facets),
    };
  }
  return result;
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
