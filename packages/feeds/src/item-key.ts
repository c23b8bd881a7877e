import { createHash } from 'node:crypto';
import { normalizeDocumentUrl } from '@sluice/contracts';
import type { FeedItem } from './parse-feed';

/**
 * The identity of a feed item for de-duplication: its GUID, else its normalised link, else a
 * hash of its title and content. A feed that re-lists old items yields the same keys again.
 */
export function itemKey(item: FeedItem): string {
  if (item.guid) return `guid:${item.guid}`;
  if (item.url) {
    try {
      return `url:${normalizeDocumentUrl(item.url)}`;
    } catch {
      // fall through to the content hash
    }
  }
  const digest = createHash('sha256')
    .update(item.title ?? '')
    .update('\0')
    .update(item.content ?? item.summary ?? '')
    .digest('hex')
    .slice(0, 32);
  return `hash:${digest}`;
}
