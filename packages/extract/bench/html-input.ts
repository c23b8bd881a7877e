import { collectHtmlSignals } from '@sluice/clean';
import type { CleanedDocument } from '@sluice/contracts';
import { type CheerioAPI, load } from 'cheerio';

/** Decodes page bytes by BOM or `<meta charset>`, else UTF-8 (benchmark input only; the fetcher does this in production). */
export function decodePage(bytes: Buffer): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.subarray(3).toString('utf8');
  const head = bytes.subarray(0, 4096).toString('latin1');
  const label = /<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head)?.[1]?.toLowerCase();
  if (label && label !== 'utf-8' && label !== 'utf8') {
    try {
      return new TextDecoder(label).decode(bytes);
    } catch {
      // Unknown label: fall through to UTF-8.
    }
  }
  return bytes.toString('utf8');
}

function bodyText($: CheerioAPI): string {
  $('script, style, noscript, template').remove();
  const blocks: string[] = [];
  $('body')
    .find('h1, h2, h3, p, li, td, div, span, time, header, footer')
    .each((_, el) => {
      const own = $(el)
        .contents()
        .filter((_, node) => node.type === 'text')
        .text()
        .replace(/\s+/g, ' ')
        .trim();
      if (own) blocks.push(own);
    });
  return blocks.join('\n\n');
}

/** Pages the clean stage rejected during this run. */
export const rejected: string[] = [];

type CleanFn = (html: string, options?: { url?: string | null }) => CleanedDocument;

/**
 * HTML to CleanedDocument for benchmarks: through the clean stage's `cleanHtml` when it exists,
 * otherwise this package's own signals plus the page's block text.
 */
export async function htmlToCleaned(): Promise<{
  via: string;
  clean: (html: string, url: string) => CleanedDocument;
}> {
  const cleanModule = (await import('@sluice/clean')) as Record<string, unknown>;
  const cleanHtml = cleanModule.cleanHtml as CleanFn | undefined;
  if (typeof cleanHtml === 'function') {
    return {
      via: '@sluice/clean cleanHtml',
      clean: (html, url) => {
        try {
          return cleanHtml(html, { url });
        } catch (error) {
          // The cleaner rejects some pages (e.g. absurd nesting); they score as "nothing extracted".
          rejected.push(`${url}: ${(error as Error).message}`);
          return {
            format: 'html',
            text: '',
            titleCandidates: [],
            dateHints: [],
            bylineHints: [],
            meta: {},
            jsonLd: [],
          };
        }
      },
    };
  }
  return {
    via: 'collectHtmlSignals + page block text (cleanHtml not available yet)',
    clean: (html, url) => {
      const $ = load(html, { xml: { xmlMode: false } });
      const signals = collectHtmlSignals($, { url });
      return {
        format: 'html',
        text: bodyText($),
        headline: null,
        charset: null,
        charsetSource: null,
        ...signals,
      };
    },
  };
}
