import type { Signal } from '@sluice/contracts';

const SEPARATORS = /\s+(?:[|\-–—:·•»«/]|::)\s+/;

function squish(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function comparable(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/**
 * The title without a site-name prefix or suffix ("Talks stall | Example News" → "Talks stall").
 * A segment is dropped when it names the site, or when it is the short end of a split whose
 * longest part another candidate confirms.
 */
export function stripSiteName(
  title: string,
  siteName: string | null | undefined,
  others: readonly string[] = [],
): string {
  const clean = squish(title);
  const parts = clean.split(SEPARATORS);
  if (parts.length < 2) return clean;
  const site = comparable(siteName ?? '');
  if (site) {
    const kept = parts.filter((part) => {
      const c = comparable(part);
      return !(
        c &&
        (c === site || (site.length > 3 && (c.includes(site) || site.includes(c)) && c.length < 40))
      );
    });
    if (kept.length > 0 && kept.length < parts.length) return kept.join(' - ');
  }
  // No site name to go by: a segment that another candidate repeats is the title.
  const confirmed = parts.find((part) => others.some((o) => comparable(o) === comparable(part)));
  if (confirmed) return confirmed;
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  if (last.length < 30 && first.length >= last.length * 2) return parts.slice(0, -1).join(' - ');
  if (first.length < 30 && last.length >= first.length * 2) return parts.slice(1).join(' - ');
  return clean;
}

const SOURCE_ORDER = [
  'meta:og:title',
  'jsonld:headline',
  'h1',
  'text:headline',
  'meta:twitter:title',
  'title',
];

/**
 * The document's title reconciled from its candidates: an `<h1>` that agrees with the page's
 * declared titles wins (it is what readers see), else og:title / JSON-LD headline / the text's
 * headline / `<title>`, each with the site name stripped.
 */
export function extractTitle(input: {
  titleCandidates?: readonly Signal[];
  headline?: string | null;
  siteName?: string | null;
}): string | null {
  const candidates = [...(input.titleCandidates ?? [])];
  if (input.headline) candidates.push({ source: 'text:headline', value: input.headline });
  const usable = candidates
    .map((c) => ({ source: c.source, value: squish(c.value) }))
    .filter((c) => c.value.length >= 2 && c.value.length <= 400);
  if (usable.length === 0) return null;
  const values = usable.map((c) => c.value);
  const declared = usable.filter(
    (c) => c.source.startsWith('meta:') || c.source.startsWith('jsonld:') || c.source === 'title',
  );
  const h1 = usable.find((c) => c.source === 'h1');
  if (
    h1 &&
    declared.some(
      (d) => comparable(d.value).includes(comparable(h1.value)) && comparable(h1.value).length > 8,
    )
  ) {
    return h1.value;
  }
  const rank = (source: string) => {
    const index = SOURCE_ORDER.indexOf(source);
    return index === -1 ? SOURCE_ORDER.length : index;
  };
  const best = [...usable].sort((a, b) => rank(a.source) - rank(b.source))[0]!;
  const stripped = stripSiteName(
    best.value,
    input.siteName,
    values.filter((v) => v !== best.value),
  );
  return stripped || null;
}
