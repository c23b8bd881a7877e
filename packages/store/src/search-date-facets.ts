import { normalizeText } from '@sluice/contracts';
import type { Queryable } from './database';
import { primaryLanguage } from './language';
import { SearchParamError } from './search-documents';
import type { SearchParams } from './search-types';

/** Matches counted per period at most; past it a period's count reads "at least". */
export const DATE_FACET_CAP = 200;
/** Up to this many matches in all are read once and counted exactly, whatever the periods. */
const PROBE_SIZE = 400;
const MAX_PERIODS = 24;

/** How many of a search's matches fall in one period `[from, to)`. */
export interface DateFacetCount {
  from: string;
  to: string;
  count: number;
  /** The count stopped at the cap: there are at least `count`. */
  capped: boolean;
}

/**
 * The times the date facet spreads over: the earliest and latest document time in the whole
 * index (or in the story, with `story`), cut to `from`/`to`. Both come off an index's ends, so
 * this costs next to nothing; narrower matches show as empty periods, and choosing a period
 * narrows the next facet to it.
 */
export async function searchTimeSpan(
  db: Queryable,
  params: Pick<SearchParams, 'story' | 'from' | 'to'>,
): Promise<{ first: string; last: string } | null> {
  const { rows } = await db.query<{ first: Date | string | null; last: Date | string | null }>(
    params.story
      ? 'SELECT min(event_at) AS first, max(event_at) AS last FROM documents WHERE story_id = $1'
      : 'SELECT min(event_at) AS first, max(event_at) AS last FROM documents',
    params.story ? [params.story] : [],
  );
  const row = rows[0];
  if (!row?.first || !row.last) return null;
  let first = new Date(row.first).getTime();
  let last = new Date(row.last).getTime();
  if (params.from) first = Math.max(first, timeOf(params.from, 'from'));
  if (params.to) last = Math.min(last, timeOf(params.to, 'to') - 1);
  if (last < first) return null;
  return { first: new Date(first).toISOString(), last: new Date(last).toISOString() };
}

/**
 * Matches of a search (its query and filters; its dates, cursor and paging ignored; stories
 * rather than documents with `onePerStory`, as the search groups them) in each period between
 * consecutive `edges` (ascending times; n + 1 edges make n periods). A search with up to
 * `probeSize` matches is counted exactly in one read; a broader one reads at most `cap` + 1
 * matches per period, so it costs a bounded number of rows however many documents it matches,
 * and a period that reaches the cap says so.
 *
 * Kept apart from `searchDocuments`: one small statement, run beside the search, not inside it.
 */
export async function countMatchesByPeriod(
  db: Queryable,
  params: SearchParams,
  edges: readonly string[],
  { cap = DATE_FACET_CAP, probeSize = PROBE_SIZE }: { cap?: number; probeSize?: number } = {},
): Promise<DateFacetCount[]> {
  if (edges.length < 2) return [];
  if (edges.length > MAX_PERIODS + 1) throw new SearchParamError(`at most ${MAX_PERIODS} periods`);
  const times = edges.map((edge) => new Date(timeOf(edge, 'period edge')).toISOString());
  const values: unknown[] = [times.slice(0, -1), times.slice(1)];
  const param = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  const filters = matchFilters(params, param);
  const q = normalizeText(params.q ?? '').trim() || null;
  const queryParam = q ? param(q) : null;
  // As in searchDocuments: a query with no positive term cannot use the GIN index.
  const unit = params.onePerStory ? 'coalesce(d.story_id, d.id)' : 'd.id';
  const matches = (extra: string[]) => {
    const where = [...extra, ...filters];
    return `SELECT d.event_at, ${unit} AS unit FROM documents d ${queryParam ? 'JOIN queries q ON q.config = d.ts_config' : ''}
      ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}`;
  };
  const matched = (extra: string[]) =>
    queryParam
      ? `${matches([...extra, 'q.indexable', 'd.search_vector @@ q.query'])}
         UNION ALL ${matches([...extra, 'NOT q.indexable', 'ts_match_vq(d.search_vector, q.query)'])}`
      : matches(extra);
  const inPeriod = ['d.event_at >= p.lo', 'd.event_at < p.hi'];
  // Rows read, and what they count as: stories with `onePerStory` (as the search groups), else documents.
  const tally = 'ARRAY[count(*), count(DISTINCT unit)]::int[]';
  // A query with few matches is read once (the probe) and its matches counted per period; a
  // broad one is counted period by period, each stopping at the cap. CASE runs one branch only.
  const sql = `
    WITH ${
      queryParam
        ? `queries AS MATERIALIZED (SELECT config, query, querytree(query) <> 'T' AS indexable
      FROM search_configs, websearch_to_tsquery(config, ${queryParam}) AS query),`
        : ''
    }
    probe AS MATERIALIZED (${matched([])} LIMIT ${probeSize + 1}),
    periods AS (SELECT lo, hi, i FROM unnest($1::timestamptz[], $2::timestamptz[]) WITH ORDINALITY AS p(lo, hi, i))
    SELECT p.i, (SELECT count(*) FROM probe) <= ${probeSize} AS exact, CASE WHEN (SELECT count(*) FROM probe) <= ${probeSize}
      THEN (SELECT ${tally} FROM probe d WHERE ${inPeriod.join(' AND ')})
      ELSE (SELECT ${tally} FROM (${matched(inPeriod)} LIMIT ${cap + 1}) m) END AS counts
    FROM periods p ORDER BY p.i`;
  const { rows } = await db.query<{ i: number | string; exact: boolean; counts: number[] }>(sql, values);
  return rows.map((row) => {
    const index = Number(row.i) - 1;
    const [read = 0, units = 0] = row.counts.map(Number);
    const capped = !row.exact && read > cap;
    return {
      from: times[index]!,
      to: times[index + 1]!,
      count: capped ? Math.min(units, cap) : units,
      capped,
    };
  });
}

/** The search's filters but its dates, on documents `d`, as searchDocuments applies them. */
function matchFilters(params: SearchParams, param: (value: unknown) => string): string[] {
  const filters: string[] = [];
  if (!params.includeDuplicates) filters.push('d.duplicate_of IS NULL');
  if (params.source) filters.push(`d.sources @> ARRAY[${param(params.source)}::text]`);
  if (params.lang) {
    const lang = primaryLanguage(params.lang);
    if (!lang) throw new SearchParamError('lang must be an ISO 639-1 code');
    filters.push(`lower(split_part(replace(d.lang, '_', '-'), '-', 1)) = ${param(lang)}`);
  }
  if (params.entity) {
    if (!/^\d{1,18}$/.test(params.entity)) throw new SearchParamError('entity must be an entity id');
    filters.push(`d.entity_ids @> ARRAY[${param(params.entity)}::bigint]`);
  }
  if (params.story) filters.push(`d.story_id = ${param(params.story)}`);
  return filters;
}

function timeOf(value: string, name: string): number {
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new SearchParamError(`${name} must be a date or ISO 8601 time`);
  return time;
}
