import normalizeUrl from 'normalize-url';

/** Query parameters that track a click rather than name a resource. */
const TRACKING_PARAMETERS = [
  /^utm_\w+/i,
  /^(?:fbclid|gclid|dclid|gclsrc|msclkid|mc_cid|mc_eid|yclid|igshid|_hsenc|_hsmi|mkt_tok|ocid|cmpid|ito|smid|sr_share|ns_mchannel|ns_source|ns_campaign|ns_linkname|ns_fee|at_medium|at_campaign|rss|ref|ref_src|ref_url|src|share|cid|__twitter_impression)$/i,
];

/**
 * A URL in canonical form: http(s) only, no fragment, no tracking parameters, sorted query, lower-case
 * host, default port and trailing slash dropped. Null for anything that is not an absolute web URL.
 */
export function normalizeCanonicalUrl(url: string | null | undefined, base?: string | null): string | null {
  const raw = (url ?? '').trim();
  if (!raw) return null;
  let absolute: URL;
  try {
    absolute = new URL(raw, base ?? undefined);
  } catch {
    return null;
  }
  if (absolute.protocol !== 'http:' && absolute.protocol !== 'https:') return null;
  try {
    return normalizeUrl(absolute.toString(), {
      stripHash: true,
      stripWWW: false,
      removeQueryParameters: TRACKING_PARAMETERS,
      removeTrailingSlash: true,
      sortQueryParameters: true,
      stripTextFragment: true,
    });
  } catch {
    return null;
  }
}
