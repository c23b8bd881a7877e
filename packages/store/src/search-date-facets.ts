import { normalizeText } from '@sluice/contracts';
import type { Queryable } from './database';
import { SearchParamError, searchFilters } from './search-documents';
import type { SearchParams } from './search-types';

/** Matches counted per period at most; past it a period's count reads "at least". */
export const DATE_FACET_CAP = 200;
/** Up to this many matches in all are read once and counted exactly, whatever the periods. */
const PROBE_SIZE = 400;
/**
 * A broad search's matches a period's window is sized to hold, if they spread evenly over time:
 * four times the cap, so that a window rarely comes up short (each stops reading at the cap).
 */
const WINDOW_MATCHES = 4 * (DATE_FACET_CAP + 1);
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
 * consecutive `edges` (ascending times; n + 1 edges make n periods).
 *
 * A search with up to `probeSize` matches is counted exactly from one read of them (the probe).
 * A broader one is counted the way the search ranks it: over each period's newest part only, a
 * window sized from an estimate of the matches (the caller's, `estimate`, which also spares the
 * probe; else the probe's) to hold about `window` of them, all windows in one statement, each
 * read up to `cap` + 1 rows. (The old way built, per period, bitmaps of the word's every match and
 * of the whole period: 5 × 77,000 and 4 × 200,000 entries for a common word at a million
 * documents.) A period whose window covers it is exact unless past the cap; one read in part is
 * `capped` (there are at least `count`), and its count stops at `cap`. `span` (the documents' first and last time, by
 * default the edges) keeps windows off the parts of the outer periods no document falls in.
 */
export async function countMatchesByPeriod(
  db: Queryable,
  params: SearchParams,
  edges: readonly string[],
  options: PeriodCountOptions = {},
): Promise<DateFacetCount[]> {
  if (edges.length < 2) return [];
  if (edges.length > MAX_PERIODS + 1) throw new SearchParamError(`at most ${MAX_PERIODS} periods`);
  const times = edges.map((edge) => timeOf(edge, 'period edge'));
  const { probeSize = PROBE_SIZE, estimate } = options;
  if (probeSize > 0 && (estimate === undefined || estimate <= probeSize)) {
    const probe = await probeMatches(db, matchQuery(params), times, probeSize);
    if (probe.exact) return probe.periods;
    return countInWindows(db, params, times, probe.estimate, options);
  }
  return countInWindows(db, params, times, estimate ?? 0, options);
}

export interface PeriodCountOptions {
  /** A broad period's count stops here (default DATE_FACET_CAP). */
  cap?: number;
  /** Up to this many matches are counted exactly from one read; 0: no probe (without `estimate`, periods are read whole). */
  probeSize?: number;
  /** Matches a broad period's window is sized to hold. */
  window?: number;
  /** The search's own estimate of its matches, when it made one: no probe when above `probeSize`. */
  estimate?: number;
  /** The first and last document time the periods cover. */
  span?: { first: string; last: string };
}

/** One statement's matches as SQL: `select(extraConditions)` lists their time and counting unit. */
interface MatchQuery {
  values: unknown[];
  param: (value: unknown) => string;
  /** The query's parsed forms (a CTE to put first), or '' without a query. */
  queries: string;
  select: (extra: string[]) => string;
}

function matchQuery(params: SearchParams): MatchQuery {
  const values: unknown[] = [];
  const param = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  const filters = searchFilters(params, param, { dates: false });
  const q = normalizeText(params.q ?? '').trim() || null;
  const queryParam = q ? param(q) : null;
  const unit = params.onePerStory ? 'coalesce(d.story_id, d.id)' : 'd.id';
  const matches = (extra: string[]) => {
    const where = [...extra, ...filters];
    return `SELECT d.event_at, ${unit} AS unit, (d.ctid::text::point)[0]::bigint AS block
      FROM documents d ${queryParam ? 'JOIN queries q ON q.config = d.ts_config' : ''}
      ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}`;
  };
  return {
    values,
    param,
    queries: queryParam
      ? `queries AS MATERIALIZED (SELECT config, query, querytree(query) <> 'T' AS indexable
           FROM search_configs, websearch_to_tsquery(config, ${queryParam}) AS query),`
      : '',
    // As in searchDocuments: a query with no positive term cannot use the GIN index.
    select: (extra) =>
      queryParam
        ? `${matches([...extra, 'q.indexable', 'd.search_vector @@ q.query'])}
           UNION ALL ${matches([...extra, 'NOT q.indexable', 'ts_match_vq(d.search_vector, q.query)'])}`
        : matches(extra),
  };
}

/** Rows read, and what they count as: stories with `onePerStory` (as the search groups), else documents. */
const TALLY = 'ARRAY[count(*), count(DISTINCT m.unit)]::int[]';

/**
 * Up to `probeSize` + 1 matches read once: counted per period when that is all of them, else an
 * estimate of them all from how far into the table the read went (as the search estimates).
 */
async function probeMatches(
  db: Queryable,
  search: MatchQuery,
  times: number[],
  probeSize: number,
): Promise<{ exact: true; periods: DateFacetCount[] } | { exact: false; estimate: number }> {
  const { param } = search;
  const starts = param(times.slice(0, -1).map(isoOf));
  const ends = param(times.slice(1).map(isoOf));
  const { rows } = await db.query<{
    probed: number;
    last_block: number | null;
    blocks: number;
    counts: number[][];
  }>(
    `WITH ${search.queries}
     probe AS MATERIALIZED (${search.select([])} LIMIT ${probeSize + 1})
     SELECT (SELECT count(*)::int FROM probe) AS probed, (SELECT max(block) FROM probe) AS last_block,
       pg_relation_size('documents') / current_setting('block_size')::int AS blocks,
       (SELECT array_agg((SELECT ${TALLY} FROM probe m WHERE m.event_at >= p.lo AND m.event_at < p.hi) ORDER BY p.i)
        FROM unnest(${starts}::timestamptz[], ${ends}::timestamptz[]) WITH ORDINALITY AS p(lo, hi, i)) AS counts`,
    search.values,
  );
  const row = rows[0]!;
  const probed = Number(row.probed);
  if (probed > probeSize) {
    const blocks = Math.max(Number(row.blocks), 1);
    const lastBlock = Math.max(Number(row.last_block ?? blocks - 1), 0);
    return { exact: false, estimate: Math.max(Math.round((probed * blocks) / (lastBlock + 1)), probed) };
  }
  return {
    exact: true,
    periods: row.counts.map((counts, index) => ({
      from: isoOf(times[index]!),
      to: isoOf(times[index + 1]!),
      count: Number(counts[1] ?? 0),
      capped: false,
    })),
  };
}

/**
 * A broad search's matches in each period's window: its newest part, expected to hold about
 * `window` matches if the estimated matches spread evenly over the span.
 */
async function countInWindows(
  db: Queryable,
  params: SearchParams,
  times: number[],
  estimate: number,
  { cap = DATE_FACET_CAP, window = WINDOW_MATCHES, span }: PeriodCountOptions,
): Promise<DateFacetCount[]> {
  const first = span ? Date.parse(span.first) : times[0]!;
  const last = span ? Date.parse(span.last) + 1 : times.at(-1)!;
  const perMs = estimate / Math.max(last - first, 1);
  const windows = times.slice(1).map((end, index) => {
    const low = Math.max(times[index]!, first);
    const high = Math.min(end, last);
    return { low, high, share: Math.min(1, window / Math.max(perMs * (high - low), 1)), read: 0, units: 0 };
  });
  // A window short of the cap (matches are not spread evenly: weekends, news days) is widened
  // four times over and read again, as the search widens its own window.
  let pending = windows.filter((w) => w.high > w.low);
  for (let pass = 0; pass < WIDENINGS + 1 && pending.length > 0; pass++) {
    const counts = await readWindows(db, params, pending, cap);
    pending.forEach((w, index) => {
      [w.read, w.units] = counts[index] ?? [0, 0];
    });
    pending = pending.filter((w) => w.share < 1 && w.read <= cap);
    for (const w of pending) w.share = Math.min(1, w.share * 4);
  }
  return windows.map((w, index) => {
    // More than the cap, or a window short of its period: there are at least this many.
    const capped = w.high > w.low && (w.read > cap || w.share < 1);
    return period(times, index, capped ? Math.min(w.units, cap) : w.units, capped);
  });
}

/** Times a short window is widened at most. */
const WIDENINGS = 2;

/**
 * Rows and units of the matches in each window `[high - (high - low) * share, high)`, each window
 * read up to `cap` + 1 rows (through the text index and the time index's range of the window).
 */
async function readWindows(
  db: Queryable,
  params: SearchParams,
  windows: { low: number; high: number; share: number }[],
  cap: number,
): Promise<number[][]> {
  const search = matchQuery(params);
  const { param } = search;
  const lows = param(windows.map((w) => isoOf(w.share >= 1 ? w.low : w.high - (w.high - w.low) * w.share)));
  const highs = param(windows.map((w) => isoOf(w.high)));
  const { rows } = await db.query<{ counts: number[][] }>(
    `WITH ${search.queries}
     windows AS (SELECT lo, hi, i FROM unnest(${lows}::timestamptz[], ${highs}::timestamptz[]) WITH ORDINALITY AS w(lo, hi, i))
     SELECT array_agg(c.counts ORDER BY w.i) AS counts FROM windows w CROSS JOIN LATERAL (
       SELECT ${TALLY} AS counts FROM (${search.select(['d.event_at >= w.lo', 'd.event_at < w.hi'])} LIMIT ${cap + 1}) m) c`,
    search.values,
  );
  return (rows[0]?.counts ?? []).map((counts) => counts.map(Number));
}

const period = (times: number[], index: number, count: number, capped: boolean): DateFacetCount => ({
  from: isoOf(times[index]!),
  to: isoOf(times[index + 1]!),
  count,
  capped,
});

const isoOf = (time: number) => new Date(time).toISOString();

function timeOf(value: string, name: string): number {
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new SearchParamError(`${name} must be a date or ISO 8601 time`);
  return time;
}
