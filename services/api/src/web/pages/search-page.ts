import { DocumentStore, getEntity, SearchParamError, storyDocumentCounts } from '@sluice/store';
import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../../context';
import { searchQuerySchema } from '../../routes/search';
import { dateFacet } from '../date-facet';
import { safeSnippetHtml } from '../snippet';
import { formatters, pageContext, renderPage, type WebState } from '../views';

const PAGE_SIZE = 20;
/** The page's own parameters (all strings, as in the address bar). */
const FILTER_KEYS = ['q', 'source', 'lang', 'entity', 'story', 'from', 'to', 'all'] as const;
type PageParams = Partial<Record<(typeof FILTER_KEYS)[number] | 'cursor', string>>;

/**
 * `/`: the search page. Same syntax and store call as `GET /search`; every filter lives in the
 * address, so a search can be bookmarked and shared.
 */
export function searchPage(
  app: FastifyInstance,
  { db: primary, reads: db = primary }: ApiContext,
  state: WebState,
) {
  const store = new DocumentStore(db);
  app.get('/', async (request, reply) => {
    const page = pageContext(request, state, 'Search', 'search');
    const raw = request.query as Record<string, unknown>;
    const params: PageParams = {};
    for (const key of [...FILTER_KEYS, 'cursor'] as const) {
      const value = raw[key];
      if (typeof value === 'string' && value.trim() !== '') params[key] = value.trim();
    }
    if (params.q) page.title = `${params.q} · Search`;
    // Without a query the page lists the newest documents: grouping and counting facets over the
    // whole index would cost a full scan, and the listing comes straight off the time index.
    const grouped = Boolean(params.q) && !params.all && !params.story;
    const parsed = searchQuerySchema.safeParse({
      ...params,
      onePerStory: grouped ? '1' : '0',
      facets: params.q ? '1' : '0',
      limit: String(PAGE_SIZE),
    });
    if (!parsed.success) {
      const error = parsed.error.issues
        .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
        .join('; ');
      return renderPage(reply, 'search', page, { params, error }, 400);
    }
    let result: Awaited<ReturnType<DocumentStore['search']>>;
    let periods: Awaited<ReturnType<typeof dateFacet>>;
    try {
      // The date facet runs beside the search: a probe of up to 400 matches, then (for a broad
      // query) one read of each period's newest part, both bounded however broad the query.
      [result, periods] = await Promise.all([
        store.search(parsed.data),
        parsed.data.facets ? dateFacet(db, parsed.data) : Promise.resolve([]),
      ]);
    } catch (error) {
      if (error instanceof SearchParamError)
        return renderPage(reply, 'search', page, { params, error: error.message }, 400);
      throw error;
    }
    const storyIds = result.hits.flatMap((hit) => (hit.storyId ? [hit.storyId] : []));
    const [counts, entity] = await Promise.all([
      grouped ? storyDocumentCounts(db, storyIds) : new Map<string, number>(),
      params.entity ? getEntity(db, params.entity) : null,
    ]);
    const href = (change: PageParams) => `/${formatters.query({ ...params, cursor: undefined, ...change })}`;
    const hits = result.hits.map((hit) => ({
      ...hit,
      snippetHtml: safeSnippetHtml(hit.snippet),
      more: hit.storyId ? Math.max((counts.get(hit.storyId) ?? 1) - 1, 0) : 0,
      moreHref: hit.storyId ? href({ story: hit.storyId, all: '1' }) : null,
    }));
    const labels: Record<string, string> = {
      source: `Source: ${params.source}`,
      lang: `Language: ${params.lang}`,
      entity: `Entity: ${entity?.name ?? params.entity}`,
      story: 'In one story',
      from: `From ${params.from}`,
      to: `Before ${params.to}`,
    };
    const filters = Object.keys(labels)
      .filter((key) => params[key as keyof PageParams])
      .map((key) => ({ label: labels[key], removeHref: href({ [key]: undefined }) }));
    const facets = result.facets;
    const facetGroups = [
      {
        title: 'Sources',
        items: (facets?.sources ?? []).map((item) => ({
          label: item.value,
          count: item.count,
          active: params.source === item.value,
          href: href({ source: item.value }),
        })),
      },
      {
        title: 'Entities',
        items: (facets?.entities ?? []).map((item) => ({
          label: `${item.name} (${item.type})`,
          count: item.count,
          active: params.entity === item.id,
          href: href({ entity: item.id }),
        })),
      },
      {
        title: 'Dates',
        items: periods.map((period) => ({
          label: period.label,
          count: period.count,
          capped: period.capped,
          active: params.from === period.from && params.to === period.to,
          href: href({ from: period.from, to: period.to }),
        })),
      },
      {
        title: 'Languages',
        items: (facets?.languages ?? []).map((item) => ({
          label: item.value,
          count: item.count,
          active: params.lang === item.value,
          href: href({ lang: item.value }),
        })),
      },
    ];
    return renderPage(reply, 'search', page, {
      params,
      grouped,
      result,
      hits,
      filters,
      facetGroups,
      toggleHref: href({ all: params.all ? undefined : '1' }),
      firstHref: href({}),
      nextHref: result.nextCursor ? `/${formatters.query({ ...params, cursor: result.nextCursor })}` : null,
    });
  });
}
