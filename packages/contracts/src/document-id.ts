import { createHash } from 'node:crypto';
import normalizeUrl from 'normalize-url';

/** Query parameters that identify a campaign or a click, never the document. */
const TRACKING_PARAMETERS = [
  /^utm_\w+/i,
  /^(fbclid|gclid|dclid|msclkid|yclid|mc_cid|mc_eid|igshid|_ga|_gl|ocid|cmpid|ns_mchannel|ns_source|ns_campaign|ns_linkname|ns_fee)$/i,
];

/**
 * The form of a URL used for identity: lower-case host, no fragment, no tracking parameters,
 * sorted query, no default port. Throws on something that is not an http(s) URL.
 */
export function normalizeDocumentUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new Error(`not an http(s) URL: ${url}`);
  }
  return normalizeUrl(url, {
    stripHash: true,
    stripWWW: false,
    removeQueryParameters: TRACKING_PARAMETERS,
    sortQueryParameters: true,
    removeTrailingSlash: false,
    normalizeProtocol: false,
    defaultProtocol: 'https',
  });
}

const hash = (kind: string, value: string) =>
  createHash('sha256').update(kind).update('\0').update(value).digest('hex').slice(0, 32);

/** Stable document id from the document's address: the same page always gets the same id. */
export function documentIdForUrl(url: string): string {
  return hash('url', normalizeDocumentUrl(url));
}

/** Stable document id for a document that has no address: a hash of its body. */
export function documentIdForContent(body: string | Uint8Array): string {
  return createHash('sha256').update('content').update('\0').update(body).digest('hex').slice(0, 32);
}

/** The id a raw or fetched document gets: by URL when there is one, else by content. */
export function documentIdFor(input: { url?: string | null; body?: string | Uint8Array | null }): string {
  if (input.url) return documentIdForUrl(input.url);
  if (input.body != null && input.body.length > 0) return documentIdForContent(input.body);
  throw new Error('a document needs a url or a body to have an id');
}

/** The id of a raw document: by its URL when given, else by its decoded bytes. */
export function documentIdForRaw(
  raw: { body: string; encoding?: 'utf8' | 'base64' },
  url?: string | null,
): string {
  if (url) return documentIdForUrl(url);
  const bytes = raw.encoding === 'base64' ? Buffer.from(raw.body, 'base64') : Buffer.from(raw.body, 'utf8');
  if (bytes.length === 0) throw new Error('document body is empty');
  return documentIdForContent(bytes);
}
