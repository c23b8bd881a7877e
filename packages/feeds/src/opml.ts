import { generateOpml, parseOpml } from 'feedsmith';
import { assertSafeXml } from './xml-guard';

export interface OpmlFeed {
  url: string;
  title: string | null;
  siteUrl: string | null;
}

/** Feed subscriptions in an OPML document, nested outlines included; duplicates dropped. */
export function readOpml(text: string): OpmlFeed[] {
  assertSafeXml(text);
  const opml = parseOpml(text);
  const feeds = new Map<string, OpmlFeed>();
  type Outline = NonNullable<NonNullable<typeof opml.body>['outlines']>[number];
  const walk = (outlines: Outline[] | undefined) => {
    for (const outline of outlines ?? []) {
      if (outline.xmlUrl && /^https?:\/\//i.test(outline.xmlUrl) && !feeds.has(outline.xmlUrl)) {
        feeds.set(outline.xmlUrl, {
          url: outline.xmlUrl,
          title: outline.title ?? outline.text ?? null,
          siteUrl: outline.htmlUrl ?? null,
        });
      }
      walk(outline.outlines);
    }
  };
  walk(opml.body?.outlines);
  return [...feeds.values()];
}

/** An OPML 2.0 document listing the feeds. */
export function writeOpml(feeds: OpmlFeed[], title = 'Sluice subscriptions'): string {
  // The generator refuses a body without outlines, but no subscriptions is a valid export.
  if (feeds.length === 0) return emptyOpml(title);
  return generateOpml({
    head: { title },
    body: {
      outlines: feeds.map((feed) => ({
        type: 'rss',
        text: feed.title ?? feed.url,
        ...(feed.title ? { title: feed.title } : {}),
        xmlUrl: feed.url,
        ...(feed.siteUrl ? { htmlUrl: feed.siteUrl } : {}),
      })),
    },
  }) as string;
}

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function emptyOpml(title: string): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n<opml version="2.0">\n  <head>\n    <title>${escapeXml(title)}</title>\n  </head>\n  <body/>\n</opml>\n`;
}
