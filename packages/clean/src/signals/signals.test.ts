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

describe('parseLenientJson', () => {
  it('repairs trailing commas and strips CDATA wrappers', () => {
    expect(parseLenientJson('<![CDATA[{"a":[1,2,],}]]>')).toEqual({ a: [1, 2] });
    expect(parseLenientJson('{oops')).toBeUndefined();
  });
});
