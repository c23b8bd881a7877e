import { load } from 'cheerio';
import { describe, expect, it } from 'vitest';
import { collectHtmlSignals, parseLenientJson } from './index';

const PAGE = `<!doctype html><html lang="en-GB"><head>
<title>Talks stall in Baghdad | Example News</title>
<meta property="og:title" content="Talks stall in Baghdad">
<meta property="og:site_name" content="Example News">
<meta name="twitter:title" content="Talks stall">
<meta property="article:published_time" content="2007-07-25T09:00:00+01:00">
<meta property="article:modified_time" content="2007-07-26T10:00:00+01:00">
<meta name="viewport" content="width=device-width">
<meta name="author" content="Jane Reporter">
<link rel="canonical" href="/world/talks?utm_source=x">
<script type="application/ld+json">
{"@context":"https://schema.org","@graph":[{"@type":"NewsArticle","headline":"Talks stall in Baghdad, officials say",
"datePublished":"2007-07-25T08:00:00Z","author":[{"@type":"Person","name":"Jane Reporter"},{"name":"Omar Writer"}],
"publisher":{"@type":"Organization","name":"Example News Ltd"},}]}
</script>
<script type="application/ld+json">{ this is not json </script>
</head><body>
<h1>Talks stall in Baghdad</h1>
<div class="byline">By <a rel="author" href="/jane">Jane Reporter</a></div>
<time datetime="2007-07-25T09:00" pubdate>25 July 2007</time>
<span class="post-date">Wednesday 25.07.2007</span>
<span class="update-time">Updated 2 hours ago</span>
<p>Body.</p>
</body></html>`;

describe('collectHtmlSignals', () => {
  const signals = collectHtmlSignals(load(PAGE, { xml: { xmlMode: false } }), {
    url: 'https://news.example.com/2007/07/25/talks.html',
  });

  it('collects title candidates with their sources, strongest first', () => {
    expect(signals.titleCandidates.map((c) => c.source)).toEqual([
      'meta:og:title',
      'meta:twitter:title',
      'jsonld:headline',
      'h1',
      'title',
    ]);
    expect(signals.titleCandidates.find((c) => c.source === 'title')?.value).toBe(
      'Talks stall in Baghdad | Example News',
    );
  });

  it('collects date hints from JSON-LD, meta, <time>, date elements and the URL', () => {
    const bySource = Object.fromEntries(signals.dateHints.map((h) => [h.source, h.value]));
    expect(bySource['jsonld:datePublished']).toBe('2007-07-25T08:00:00Z');
    expect(bySource['meta:article:published_time']).toBe('2007-07-25T09:00:00+01:00');
    expect(bySource['meta:article:modified_time']).toBe('2007-07-26T10:00:00+01:00');
    expect(bySource['time:pubdate:datetime']).toBe('2007-07-25T09:00');
    expect(bySource['element:date']).toBe('Wednesday 25.07.2007');
    expect(bySource.url).toBe('https://news.example.com/2007/07/25/talks.html');
    expect(signals.dateHints.some((h) => h.source.startsWith('meta:viewport'))).toBe(false);
  });

  it('collects byline hints, flattens @graph and tolerates broken JSON-LD', () => {
    const values = signals.bylineHints.map((h) => `${h.source}=${h.value}`);
    expect(values).toContain('jsonld:author=Jane Reporter');
    expect(values).toContain('jsonld:author=Omar Writer');
    expect(values).toContain('meta:author=Jane Reporter');
    expect(values).toContain('rel:author=Jane Reporter');
    expect(signals.jsonLd).toHaveLength(1);
  });

  it('resolves the canonical link, language and site name', () => {
    expect(signals.canonicalUrl).toBe('https://news.example.com/world/talks?utm_source=x');
    expect(signals.lang).toBe('en-GB');
    expect(signals.siteName).toBe('Example News');
    expect(signals.meta['og:title']).toBe('Talks stall in Baghdad');
  });

  it('returns empty signals for an empty document', () => {
    const empty = collectHtmlSignals(load('', { xml: { xmlMode: false } }));
    expect(empty).toMatchObject({ titleCandidates: [], dateHints: [], bylineHints: [], jsonLd: [] });
    expect(empty.canonicalUrl).toBeNull();
  });
});

describe('collectHtmlSignals on hostile pages', () => {
  it('walks very deep nesting without recursion and skips huge date-classed containers', () => {
    const depth = 20_000;
    const html = `<html><body><div class="page-date-wrapper">${'<div>'.repeat(depth)}${'filler 2019 '.repeat(5000)}${'</div>'.repeat(depth)}</div><p class="date">Posted 3 May 2021</p></body></html>`;
    const signals = collectHtmlSignals(load(html, { xml: { xmlMode: false } }));
    const elementValues = signals.dateHints
      .filter((h) => h.source.startsWith('element:'))
      .map((h) => h.value);
    expect(elementValues).toEqual(['Posted 3 May 2021']);
  });

  it('scans only a bounded prefix of the page text for written dates', () => {
    const filler = `<p>${'word 1 '.repeat(20_000)}</p>`;
    const html = `<html><body><p>Am 2. März 2020 begann es.</p>${filler}<p>Later: 9 June 2021</p></body></html>`;
    const pageText = collectHtmlSignals(load(html, { xml: { xmlMode: false } }))
      .dateHints.filter((h) => h.source === 'page:text')
      .map((h) => h.value);
    expect(pageText).toEqual(['2. März 2020 begann es.']);
    const arabic = collectHtmlSignals(
      load('<html><body><p>تم نشره الجمعة 24 نيسان / أبريل 2020 09:22 مساءً</p></body></html>'),
    ).dateHints.find((h) => h.source === 'page:text');
    expect(arabic?.value.startsWith('24 نيسان / أبريل 2020')).toBe(true);
  });

  it('finds written dates in page order, month-first and digit-first forms alike', () => {
    const html = `<html><body><p>Posted Sept. 3, 2020 at 10:00</p><p>Seit 12. Mai 2014 offen</p>
<p>abcdefghijklmn 4, 2019 and 5May 12, 2019</p><p>on 7th June 2021 or June 7th, 2021</p></body></html>`;
    const pageText = collectHtmlSignals(load(html, { xml: { xmlMode: false } }))
      .dateHints.filter((h) => h.source === 'page:text')
      .map((h) => h.value);
    expect(pageText).toEqual([
      'Sept. 3, 2020 at 10:00',
      '12. Mai 2014 offen',
      '7th June 2021 or June 7th, 2021',
    ]);
  });

  it('labels a date inside a sentence of the page as mentioned, not stamped', () => {
    const html = `<html><body><p class="meta">Posted July 2, 2010</p>
<p>The plan has divided the city since the towers fell on September 11, 2001, killing nearly 3,000 people, and relatives have protested.</p></body></html>`;
    const pageDates = collectHtmlSignals(load(html, { xml: { xmlMode: false } }))
      .dateHints.filter((h) => h.source.startsWith('page:'))
      .map((h) => [h.source, h.value.slice(0, 18)]);
    expect(pageDates).toEqual([
      ['page:text', 'July 2, 2010'],
      ['page:prose', 'September 11, 2001'],
    ]);
  });

  it('reads the title from <head> first and ignores non-article scripts', () => {
    const html = `<html><head><title>Head title</title><script>var x = {"datePublished": "2020-01-02T03:04:05Z"}</script></head>
<body><svg><title>Icon</title></svg><h1>Main</h1></body></html>`;
    const signals = collectHtmlSignals(load(html, { xml: { xmlMode: false } }));
    expect(signals.titleCandidates).toEqual([
      { source: 'h1', value: 'Main' },
      { source: 'title', value: 'Head title' },
    ]);
    expect(signals.dateHints).toContainEqual({
      source: 'script:datepublished',
      value: '2020-01-02T03:04:05Z',
    });
  });
});

describe('parseLenientJson', () => {
  it('repairs trailing commas and strips CDATA wrappers', () => {
    expect(parseLenientJson('<![CDATA[{"a":[1,2,],}]]>')).toEqual({ a: [1, 2] });
    expect(parseLenientJson('{oops')).toBeUndefined();
  });
});
