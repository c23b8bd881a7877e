import type { Signal } from '@sluice/contracts';

const SEPARATORS = /\s+(?:[|\-–—:·•»«/]|::)\s+/;

function squish(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function comparable(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/** Separators that set a site name off a title; a colon usually belongs to the headline ("Brexit: ..."). */
const SITE_SEPARATORS = /\s+(?:[|\-–—·•»«/]|::)\s+|\s*[|│]\s*/;

function matchesSite(part: string, site: string): boolean {
  const c = comparable(part);
  return (
    c !== '' && (c === site || (site.length > 3 && (c.includes(site) || site.includes(c)) && c.length < 40))
  );
}

/**
 * The title without a site-name prefix or suffix ("Talks stall | Example News" → "Talks stall").
 * A segment is dropped when it names the site, or when another candidate confirms the rest, or
 * when it is the short end after a site separator (| – — · » /, not a colon). The kept text is
 * returned as written.
 */
export function stripSiteName(
  title: string,
  siteName: string | null | undefined,
  others: readonly string[] = [],
): string {
  const clean = squish(title);
  const all = cuts(clean, SEPARATORS);
  if (all.length === 0) return clean;
  const site = comparable(siteName ?? '');
  if (site) {
    let current = clean;
    for (let changed = true; changed; ) {
      changed = false;
      const here = cuts(current, SEPARATORS);
      if (here.length === 0) break;
      const [head, lastPart] = here[here.length - 1]!;
      const [firstPart, tail] = here[0]!;
      if (comparable(head) && matchesSite(lastPart, site)) current = head;
      else if (comparable(tail) && matchesSite(firstPart, site)) current = tail;
      else break;
      changed = true;
    }
    if (current !== clean) return current;
  }
  // No site name to go by: a head or tail that another candidate repeats is the title.
  const otherKeys = new Set(others.map(comparable));
  for (const [head, tail] of all) {
    if (otherKeys.has(comparable(head))) return head;
    if (otherKeys.has(comparable(tail))) return tail;
  }
  const strong = cuts(clean, SITE_SEPARATORS);
  if (strong.length === 0) return clean;
  const [head, last] = strong[strong.length - 1]!;
  if (last.length < 30 && head.length >= last.length * 2) return head;
  const [first, rest] = strong[0]!;
  if (first.length < 30 && rest.length >= first.length * 2) return rest;
  return clean;
}

const SOURCE_ORDER = [
  'meta:og:title',
  'jsonld:headline',
  'h1',
  'text:headline',
  'meta:twitter:title',
  'meta:dc.title',
  'meta:parsely-title',
  'meta:sailthru.title',
  'title',
  'meta:title',
];

/** Sources a page declares for machines (as opposed to the `<h1>` and text headline readers see). */
const isDeclared = (source: string) => source !== 'h1' && source !== 'text:headline';

/** Words of a title for overlap tests (lower-case letters and digits, two characters or more). */
function titleWords(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]{2,}/gu) ?? [];
}

/** Share of `a`'s words that `b` also has. */
function overlap(a: string, b: string): number {
  const wa = titleWords(a);
  if (wa.length === 0) return 0;
  const wb = new Set(titleWords(b));
  return wa.filter((w) => wb.has(w)).length / wa.length;
}

/** Every way to cut a title at one separator: [head, tail]. */
function cuts(title: string, separators: RegExp = SEPARATORS): [string, string][] {
  const out: [string, string][] = [];
  const separator = new RegExp(separators.source, 'g');
  for (let m = separator.exec(title); m !== null; m = separator.exec(title)) {
    out.push([title.slice(0, m.index).trim(), title.slice(m.index + m[0].length).trim()]);
  }
  return out;
}

/** Host labels that name the site ("disfunctions" in disfunctions.de), without "www", TLDs and generic labels. */
function hostLabels(url: string | null | undefined): string[] {
  if (!url) return [];
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return [];
  }
  const labels = host.split('.').slice(0, -1);
  return labels
    .filter(
      (l) =>
        l.length >= 4 && !/^(?:www\d*|blog|blogs|news|home|shop|mobile|online|wordpress|blogspot)$/.test(l),
    )
    .map((l) => l.replace(/[^a-z0-9]/g, ''));
}

/** Decides whether a title or title segment is only the site's name. */
type SiteTest = (text: string) => boolean;

/**
 * A test for the site's name: the declared site name; a name that the host spells ("Disfunctions.de",
 * "Gregory Szorc's Digital Home" on gregoryszorc.com); and a head or tail of a split title whose other
 * part a declared title (og:title, JSON-LD headline) repeats on its own ("Ins neue Jahr |
 * Literaturgefluester" with og:title "Ins neue Jahr" → "Literaturgefluester").
 */
function siteTest(
  usable: readonly { source: string; value: string }[],
  siteName: string | null | undefined,
  url: string | null | undefined,
): SiteTest {
  const names = new Set<string>();
  if (siteName && comparable(siteName)) names.add(comparable(siteName));
  const declared = usable.filter((c) => isDeclared(c.source) && c.source !== 'title');
  for (const candidate of usable) {
    if (!isDeclared(candidate.source)) continue;
    for (const [head, tail] of cuts(candidate.value)) {
      const h = comparable(head);
      const t = comparable(tail);
      if (!h || !t) continue;
      if (declared.some((d) => d !== candidate && comparable(d.value) === h)) names.add(t);
      else if (declared.some((d) => d !== candidate && comparable(d.value) === t)) names.add(h);
    }
  }
  const labels = hostLabels(url);
  return (text: string) => {
    const key = comparable(text);
    if (!key) return false;
    if (names.has(key)) return true;
    // The host's name plus a few words at most ("The WordPress.com Blog"), never a sentence that mentions it.
    return (
      labels.some((label) => key.includes(label) && key.length <= label.length + 14) &&
      cuts(text).length === 0
    );
  };
}

/** The title without any leading or trailing segment that is the site's name. */
function withoutSite(title: string, isSite: SiteTest): string {
  if (isSite(title)) return '';
  let current = title;
  for (let changed = true; changed; ) {
    changed = false;
    for (const [head, tail] of cuts(current)) {
      if (isSite(tail) && comparable(head)) {
        current = head;
        changed = true;
        break;
      }
      if (isSite(head) && comparable(tail)) {
        current = tail;
        changed = true;
        break;
      }
    }
  }
  return current;
}

export interface TitleInput {
  titleCandidates?: readonly Signal[];
  headline?: string | null;
  siteName?: string | null;
  /** The page's URL: its host spells the site's name. */
  url?: string | null;
}

/**
 * The document's title reconciled from its candidates (see `reconcileTitle`).
 */
export function extractTitle(input: TitleInput): string | null {
  return reconcileTitle(input)?.title ?? null;
}

/**
 * The reconciled title and the candidate source it came from. An `<h1>` (or the text's headline)
 * wins when a declared title (og:title, JSON-LD headline, `<title>`) contains it or shares most of its
 * words: it is what readers see, and navigation headings ("Menu", the blog's name) share none. Otherwise
 * the strongest declared title that is not just the site's name, with the site name stripped.
 */
export function reconcileTitle(input: TitleInput): { title: string; source: string } | null {
  const candidates = [...(input.titleCandidates ?? [])];
  if (input.headline) candidates.push({ source: 'text:headline', value: input.headline });
  const usable = candidates
    .map((c) => ({ source: c.source, value: squish(c.value) }))
    .filter((c) => c.value.length >= 2 && c.value.length <= 400);
  if (usable.length === 0) return null;
  const sites = siteTest(usable, input.siteName, input.url);
  const declared = usable.filter((c) => isDeclared(c.source));
  const declaredText = declared.map((d) => withoutSite(d.value, sites)).filter(Boolean);
  let bestSeen: { title: string; source: string; score: number } | null = null;
  // The text's headline first (it usually repeats the first heading), then the headings in page order.
  const headings = usable.filter((c) => c.source === 'h1');
  const visible = [
    ...usable.filter(
      (c) =>
        c.source === 'text:headline' && !headings.some((h) => comparable(h.value) === comparable(c.value)),
    ),
    ...headings,
  ];
  for (const candidate of visible) {
    const title = withoutSite(candidate.value, sites);
    const key = comparable(title);
    if (!key) continue;
    // A kicker glued before the headline ("Nach Corona-Lockerungen Autohäuser rechnen ..."): a declared
    // title that is the heading's end is the headline.
    const tailOf = declaredText.find((d) => {
      const k = comparable(d);
      return k.length >= 15 && k.length < key.length && key.endsWith(k) && key.length - k.length <= 40;
    });
    if (tailOf) return { title: tailOf, source: candidate.source };
    let score = 0;
    if (key.length > 8 && declared.some((d) => comparable(d.value).includes(key))) score = 2;
    else if (titleWords(title).length >= 2) {
      const shared = Math.max(0, ...declaredText.map((d) => overlap(title, d)));
      if (shared >= 0.5) score = 1 + shared / 2;
    }
    // Among headings the title contains, the later one: a site's logo heading comes first on the page.
    if (score > 0 && (!bestSeen || score > bestSeen.score || (score === 2 && bestSeen.score === 2)))
      bestSeen = { title, source: candidate.source, score };
  }
  if (bestSeen) return { title: bestSeen.title, source: bestSeen.source };
  const rank = (source: string) => {
    const index = SOURCE_ORDER.indexOf(source);
    return index === -1 ? SOURCE_ORDER.length : index;
  };
  const values = usable.map((c) => c.value);
  const ordered = [...usable].sort((a, b) => rank(a.source) - rank(b.source));
  for (const best of ordered) {
    const known = withoutSite(best.value, sites);
    if (!known) continue;
    const stripped = stripSiteName(
      known,
      input.siteName,
      values.filter((v) => v !== best.value),
    );
    if (stripped) return { title: stripped, source: best.source };
  }
  return null;
}
