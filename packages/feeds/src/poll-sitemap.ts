import { documentIdForUrl, enqueueFetch } from '@sluice/contracts';
import { FetchError, fetchPage } from '@sluice/http';
import { spreadDelay } from './host-limits';
import { buildUserAgent } from './page-fetcher';
import type { PollDependencies } from './poll-feed';
import { parseSitemapBody, type SitemapEntry } from './sitemap';

export type SitemapPollOutcome =
  | { status: 'missing' }
  | { status: 'inactive' }
  | { status: 'delayed'; delayMs: number }
  | { status: 'polled'; urls: number; newUrls: number; sitemapsRead: number }
  | { status: 'failed'; code: string; message: string };

/** Child sitemaps read per poll of an index, newest `lastmod` first. */
const MAX_CHILD_SITEMAPS = 20;
/** Waiting for the host's next token inside one job is fine up to this long. */
const MAX_INLINE_WAIT_MS = 5_000;

/**
 * Polls a sitemap or sitemap index: reads its URLs (following an index one level down),
 * enqueues those never seen for this sitemap, and records the outcome on the sitemap.
 */
export async function pollSitemapOnce(
  deps: PollDependencies,
  sitemapId: string,
  options: { force?: boolean } = {},
): Promise<SitemapPollOutcome> {
  const { store, settings } = deps;
  const sitemap = await store.getSitemap(sitemapId);
  if (!sitemap) return { status: 'missing' };
  if (sitemap.status !== 'active' && !options.force) return { status: 'inactive' };
  const host = new URL(sitemap.url).host;
  const firstWait = await deps.limits.take(host);
  if (firstWait > 0) return { status: 'delayed', delayMs: spreadDelay(firstWait) };

  const fetchSitemap = async (url: string) => {
    const page = await fetchPage(url, {
      ...settings.fetch,
      maxBytes: settings.maxFeedBytes,
      userAgent: buildUserAgent(settings.userAgent, settings.contactUrl),
    });
    return parseSitemapBody(page.body, {
      sitemapUrl: page.finalUrl,
      maxEntries: settings.maxUrlsPerSitemap,
      maxBytes: settings.maxFeedBytes * 10,
    });
  };

  try {
    const root = await fetchSitemap(sitemap.url);
    const entries: SitemapEntry[] = [];
    let sitemapsRead = 1;
    if (root.kind === 'urlset') entries.push(...root.entries);
    else {
      const children = [...root.sitemaps]
        .sort((a, b) => (b.lastmod ?? '').localeCompare(a.lastmod ?? ''))
        .slice(0, MAX_CHILD_SITEMAPS);
      for (const child of children) {
        if (entries.length >= settings.maxUrlsPerSitemap) break;
        const waitMs = await deps.limits.take(new URL(child.url).host);
        if (waitMs > MAX_INLINE_WAIT_MS) break;
        if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
        const parsed = await fetchSitemap(child.url).catch(() => null);
        sitemapsRead++;
        // An index inside an index is not followed (loops, fan-out bombs).
        if (parsed?.kind === 'urlset') entries.push(...parsed.entries);
      }
    }
    const urls = entries.slice(0, settings.maxUrlsPerSitemap).map((entry) => entry.url);
    const fresh = await store.rememberSitemapUrls(sitemap.id, urls);
    const enqueuedAt = new Date().toISOString();
    for (const url of fresh) {
      await enqueueFetch(deps.queues, {
        documentId: documentIdForUrl(url),
        url,
        source: sitemap.url.slice(0, 200),
        enqueuedAt,
      });
    }
    await store.recordSitemapPoll(sitemap.id, { ok: true, newUrls: fresh.length });
    return { status: 'polled', urls: urls.length, newUrls: fresh.length, sitemapsRead };
  } catch (error) {
    const code =
      typeof (error as { code?: unknown }).code === 'string' ? (error as { code: string }).code : 'error';
    const message = (error as Error).message ?? String(error);
    const gone = error instanceof FetchError && error.status === 410;
    await store.recordSitemapPoll(sitemap.id, {
      ok: false,
      code,
      message,
      maxFailures: settings.maxFailures,
      disable: gone || code.startsWith('blocked-'),
    });
    return { status: 'failed', code, message };
  }
}
