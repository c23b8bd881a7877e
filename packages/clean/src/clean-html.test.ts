import type { Element } from 'domhandler';
import { describe, expect, it } from 'vitest';
import { cleanHtml } from './clean-html';

const prose = (n: number) =>
  `Paragraph ${n} of the report says, in plain words, that the council approved the budget after a long debate.`;

function page(article: string, chrome = ''): string {
  return `<html><head><title>Budget passes - Town News</title></head><body>${chrome}<div id="main">${article}</div></body></html>`;
}

describe('cleanHtml', () => {
  it('keeps headings, paragraphs, lists, quotes and tables of the article, one paragraph per block', () => {
    const html = page(`<article><h1>Budget passes</h1><p>${prose(1)}</p><h2>What changes</h2>
      <ul><li>Bus fares fall by ten percent, from March.</li><li>Libraries open on Sundays again.</li></ul>
      <blockquote>“We listened to residents,” the mayor said.</blockquote>
      <table><tr><th>Item</th><th>Cost</th></tr><tr><td>Buses</td><td>2m</td></tr></table><p>${prose(2)}</p></article>`);
    expect(cleanHtml(html).text.split('\n\n')).toEqual([
      prose(1),
      'What changes',
      'Bus fares fall by ten percent, from March.',
      'Libraries open on Sundays again.',
      '“We listened to residents,” the mayor said.',
      'Item Cost',
      'Buses 2m',
      prose(2),
    ]);
  });

  it('does not repeat the headline as the first paragraph', () => {
    const cleaned = cleanHtml(page(`<h1>Budget passes</h1><p>${prose(1)}</p><p>${prose(2)}</p>`));
    expect(cleaned.headline).toBe('Budget passes');
    expect(cleaned.text.startsWith(prose(1))).toBe(true);
  });

  it('drops navigation, headers, footers, share bars, related links, comments and prompts', () => {
    const chrome = `<header><a href="/">Town News</a></header><nav><a href="/a">Politics</a><a href="/b">Sport</a></nav>`;
    const html = page(
      `<div class="share-bar"><a href="#">Facebook</a><a href="#">Twitter</a></div>
       <p>${prose(1)}</p><p>${prose(2)}</p>
       <div class="related-stories"><h3>Related</h3><ul><li><a href="/x">Council debates parking, again</a></li></ul></div>
       <div id="comments"><p>Great article, thanks for writing it, really informative and well put together.</p></div>
       <div class="newsletter-signup">Sign up for our newsletter, it is free and arrives every morning.</div>
       <div class="cookie-consent">We use cookies to improve your experience on this site, by continuing you accept.</div>
       <footer>© 2024 Town News. All rights reserved.</footer>`,
      chrome,
    );
    expect(cleanHtml(html).text).toBe(`${prose(1)}\n\n${prose(2)}`);
  });

  it('prefers the block of prose over a longer list of links', () => {
    const links = Array.from(
      { length: 40 },
      (_, i) => `<li><a href="/s${i}">Other story number ${i}, with a comma</a></li>`,
    ).join('');
    const html = `<html><body><div class="list"><ul>${links}</ul></div><div class="story"><p>${prose(1)}</p><p>${prose(2)}</p><p>${prose(3)}</p></div></body></html>`;
    expect(cleanHtml(html).text).toBe([prose(1), prose(2), prose(3)].join('\n\n'));
  });

  it('drops hidden elements and ads, keeps a wrapper whose class merely mentions ads', () => {
    const html = `<html><body><div class="section section--has-ads"><p>${prose(1)}</p>
      <div class="ad-slot">Advertisement</div><p style="display:none">Hidden text that no reader ever sees on the page.</p>
      <p>${prose(2)}</p></div></body></html>`;
    expect(cleanHtml(html).text).toBe(`${prose(1)}\n\n${prose(2)}`);
  });

  it('uses schema.org articleBody as evidence for the container', () => {
    const html = `<html><body><div><p>${prose(9)}</p></div><div itemprop="articleBody"><p>${prose(1)}</p><p>${prose(2)}</p></div></body></html>`;
    expect(cleanHtml(html).text).toContain(prose(1));
    expect(cleanHtml(html).text).not.toContain(prose(9));
  });

  it('decodes entities, normalises whitespace and turns <br><br> into a paragraph break', () => {
    const html = page(
      `<p>Caf&eacute;   owners\n\t said &ldquo;yes&rdquo; &amp; more, on Monday, after a long meeting.<br><br>Then they left for the evening, tired but content.</p>`,
    );
    expect(cleanHtml(html).text).toBe(
      'Café owners said “yes” & more, on Monday, after a long meeting.\n\nThen they left for the evening, tired but content.',
    );
  });

  it('drops repeated blocks (a mobile and a desktop copy)', () => {
    const html = page(`<p>${prose(1)}</p><p>${prose(2)}</p><p>${prose(1)}</p>`);
    expect(cleanHtml(html).text).toBe(`${prose(1)}\n\n${prose(2)}`);
  });

  it('keeps the article when a misused landmark wraps the whole page', () => {
    const html = `<html><body><header id="branding"><div><p>${prose(1)}</p><p>${prose(2)}</p></div></header></body></html>`;
    expect(cleanHtml(html).text).toBe(`${prose(1)}\n\n${prose(2)}`);
  });
});

describe('cleanHtml: the article around its body text', () => {
  const lead =
    'The council voted on Tuesday night to pass the budget, ending weeks of argument over bus fares and libraries.';

  it('keeps the lead in an article header and drops the site header', () => {
    const html = `<html><body><header class="site"><a href="/">Town News</a> <a href="/p">Politics</a></header>
      <article><header class="article-header"><h1>Budget passes</h1><p class="lead">${lead}</p></header>
      <div class="body"><p>${prose(1)}</p><p>${prose(2)}</p><p>${prose(3)}</p></div></article></body></html>`;
    expect(cleanHtml(html).text.split('\n\n')).toEqual([lead, prose(1), prose(2), prose(3)]);
  });

  it('takes the standfirst from a wrapper around the body text, not the labels and dates beside it', () => {
    const html = `<html><body><div class="wrap"><div class="intro"><p>${lead}</p></div>
      <span class="when">12.03.2024</span><div class="label">Also of interest</div>
      <div class="text"><p>${prose(1)}</p><p>${prose(2)}</p><p>${prose(3)}</p><p>${prose(4)}</p></div></div>
      <div class="other"><a href="/a">Another story entirely, about the weather</a></div></body></html>`;
    expect(cleanHtml(html).text.split('\n\n')).toEqual([lead, prose(1), prose(2), prose(3), prose(4)]);
  });

  it('reads "hidden" with a breakpoint as responsive, not hidden, and soft furniture with prose as content', () => {
    const html = `<html><body><div class="story"><p>${prose(1)}</p>
      <div class="hidden-xs"><p>${prose(2)}</p></div>
      <div class="hidden"><p>Text a reader never sees, kept in the markup for a script to reveal.</p></div>
      <div class="image-caption"><p>${prose(3)} It goes on for a while, as captions that tell the story do.</p></div>
      <div class="caption">Photo: Jane Doe</div><p>${prose(4)}</p></div></body></html>`;
    expect(cleanHtml(html).text.split('\n\n')).toEqual([
      prose(1),
      prose(2),
      `${prose(3)} It goes on for a while, as captions that tell the story do.`,
      prose(4),
    ]);
  });
});

describe('cleanHtml: captions and headings', () => {
  it('drops short figure captions and keeps a caption long enough to tell part of the story', () => {
    const slide =
      'Step two: fold the paper in half along the long edge, then open it again and fold each half towards the crease you made, so that the sheet is divided into four equal strips of the same width, ready for the next step.';
    const html =
      page(`<p>${prose(1)}</p><figure><img src="a.jpg"><figcaption>Photo: Jane Doe / Agency</figcaption></figure>
      <figure><img src="b.jpg"><figcaption>${slide} Press flat.</figcaption></figure><p>${prose(2)}</p>`);
    expect(cleanHtml(html).text.split('\n\n')).toEqual([prose(1), `${slide} Press flat.`, prose(2)]);
  });

  it('drops headings left with nothing under them', () => {
    const html = page(`<h2>What changes</h2><p>${prose(1)}</p><p>${prose(2)}</p>
      <h2>More on this</h2><ul><li><a href="/a">Council debates parking</a></li><li><a href="/b">Bus fares</a></li></ul>
      <h3>Share</h3>`);
    expect(cleanHtml(html).text.split('\n\n')).toEqual(['What changes', prose(1), prose(2)]);
  });
});

describe('cleanHtml: class and id evidence', () => {
  it('reads each class name as a whole: a content word qualifying a chrome word is chrome', () => {
    const bio =
      'Jane Doe has written about local politics for twenty years, and before that she taught history at the college.';
    const html = `<html><body><div class="entry-content"><p>${prose(1)}</p><p>${prose(2)}</p>
      <div class="post-author-bio"><p>${bio}</p></div></div></body></html>`;
    expect(cleanHtml(html).text).toBe(`${prose(1)}\n\n${prose(2)}`);
  });
});

describe('cleanHtml: pages that hide their article', () => {
  it('reads the article a script-rendered page puts in <noscript>, and drops tracking fallbacks', () => {
    const html = `<html><body><noscript><img src="/pixel.gif"></noscript><div id="app">Loading…</div>
      <noscript><div class="post"><p>${prose(1)}</p><p>${prose(2)}</p></div></noscript></body></html>`;
    expect(cleanHtml(html).text).toBe(`${prose(1)}\n\n${prose(2)}`);
  });

  it('does not count tags spelled inside scripts as nesting', () => {
    const spans = '<span>'.repeat(2000);
    const html = page(`<p>${prose(1)}</p><script>var t = "${spans}";</script><p>${prose(2)}</p>`);
    expect(cleanHtml(html).text).toBe(`${prose(1)}\n\n${prose(2)}`);
  });

  it('reads the page again without class names when they hid everything (a thread named "comment")', () => {
    const html = `<html><body><nav><a href="/">Forum</a></nav><div class="comment-first"><p>${prose(1)}</p>
      <p>${prose(2)}</p></div><div class="comment"><p>Me too, same problem here since the update.</p></div></body></html>`;
    expect(cleanHtml(html).text).toContain(prose(1));
  });
});

describe('isTimestampLine', () => {
  it('knows a line that is only a date or a time, in any language, from text that has numbers', async () => {
    const { isTimestampLine } = await import('./html/filter-blocks');
    for (const line of [
      '23.10.2018',
      '3:59 PM',
      'Aktualisiert: 03.04.2020 12:00',
      '05. Februar 2020',
      'May 5, 2014',
    ])
      expect(isTimestampLine(line), line).toBe(true);
    for (const line of ['6 mittelgroße Eier', '+81 158-23-2012', 'Ottostraße 14, 10115 Berlin', prose(1)])
      expect(isTimestampLine(line), line).toBe(false);
  });

  it('drops timestamp lines from the article', () => {
    const html = page(`<p>${prose(1)}</p><p>Published 12.03.2024, 09:30</p><p>${prose(2)}</p>`);
    expect(cleanHtml(html).text).toBe(`${prose(1)}\n\n${prose(2)}`);
  });

  it('keeps the timestamp line dropped before the first paragraph as a date hint', () => {
    const html = page(
      `<p>Stand: 12.03.2024 09:30</p><p>${prose(1)}</p><p>Updated 14.03.2024</p><p>${prose(2)}</p>`,
    );
    const cleaned = cleanHtml(html);
    expect(cleaned.text).toBe(`${prose(1)}\n\n${prose(2)}`);
    const lines = cleaned.dateHints.filter((hint) => hint.source === 'text:date-line');
    expect(lines).toEqual([{ source: 'text:date-line', value: 'Stand: 12.03.2024 09:30' }]);
  });
});

describe("cleanHtml: readers' comments inside the article container", () => {
  it('stops at the heading that opens the comments, whatever the markup calls them', () => {
    const html = page(`<p>${prose(1)}</p><p>${prose(2)}</p><h3>3 Comments</h3>
      <div class="c1"><p>Great piece, and I agree with every word of it, thank you for writing.</p></div>
      <h3>Leave a Reply</h3><p>Your email address will not be published, required fields are marked.</p>`);
    expect(cleanHtml(html).text).toBe(`${prose(1)}\n\n${prose(2)}`);
  });

  it('keeps a section headed "Commentary" or "Discussion", which is the article', () => {
    const html = page(`<p>${prose(1)}</p><h2>Discussion</h2><p>${prose(2)}</p>`);
    expect(cleanHtml(html).text).toBe(`${prose(1)}\n\nDiscussion\n\n${prose(2)}`);
  });
});

describe('cleanHtml: furniture lines', () => {
  it('drops "related" labels, loading prompts and picture credits in the languages seen most', () => {
    const html =
      page(`<p>${prose(1)}</p><p>Auch interessant</p><p>You may also like:</p><p>Wird geladen...</p>
      <p>Foto: Jane Doe / Agency</p><p>Crédits photos : Agence</p><p>Imprimer</p><p>Permalink</p><p>${prose(2)}</p>`);
    expect(cleanHtml(html).text).toBe(`${prose(1)}\n\n${prose(2)}`);
  });
});

describe('cleanHtml: leads and data', () => {
  it('names a lead, an intro or a standfirst as content', async () => {
    const { evidenceOf } = await import('./html/evidence');
    const cheerio = await import('cheerio');
    const $ = cheerio.load(
      '<div class="standfirst"></div><p id="article-intro"></p><div class="share-intro"></div>',
    );
    const [standfirst, intro, share] = $('body').children().toArray();
    expect(evidenceOf(standfirst as Element).content).toBe(true);
    expect(evidenceOf(intro as Element).content).toBe(true);
    expect(evidenceOf(share as Element)).toMatchObject({ chrome: true, content: false });
  });

  it('keeps a table named for its header row: it is data', () => {
    const html =
      page(`<p>${prose(1)}</p><table class="ingredients table-header"><tr><td>Flour</td><td>200 g</td></tr></table>
      <p>${prose(2)}</p>`);
    expect(cleanHtml(html).text.split('\n\n')).toEqual([prose(1), 'Flour 200 g', prose(2)]);
  });
});

describe('cleanHtml: memory', () => {
  it('keeps no class names (slices of the page source) once a page is cleaned', async () => {
    const { rememberedClassNames } = await import('./html/evidence');
    cleanHtml(page(`<div class="story-body with-a-long-class-name"><p>${prose(1)}</p></div>`));
    expect(rememberedClassNames()).toBe(0);
  });
});

describe('cleanHtml: standfirst from the description', () => {
  const standfirst = 'The council passed the budget after a night of debate, and bus fares fall from March.';
  const withMeta = (description: string, body: string) =>
    `<html><head><meta property="og:description" content="${description}"></head><body><div class="story">${body}</div></body></html>`;

  it('puts a standfirst the page left to scripts at the top', () => {
    const html = withMeta(standfirst, `<p>${prose(1)}</p><p>${prose(2)}</p>`);
    expect(cleanHtml(html).text.split('\n\n')).toEqual([standfirst, prose(1), prose(2)]);
  });

  it('does not repeat a description the body already says, nor take one cut off or too short', () => {
    const body = `<p>${prose(1)}</p><p>${prose(2)}</p>`;
    expect(cleanHtml(withMeta(prose(2), body)).text.split('\n\n')).toEqual([prose(1), prose(2)]);
    expect(cleanHtml(withMeta(`${standfirst.slice(0, 60)}…`, body)).text.split('\n\n')).toEqual([
      prose(1),
      prose(2),
    ]);
    expect(cleanHtml(withMeta('News from the town hall.', body)).text.split('\n\n')).toEqual([
      prose(1),
      prose(2),
    ]);
  });
});

describe('cleanHtml: paragraph continuity', () => {
  it('keeps a wrapper div of prose beside the winning container, not a wrapper of links', () => {
    const links =
      '<a href="/a">One story</a> <a href="/b">Another story</a> <a href="/c">A third story here</a>';
    const html = `<html><body><div class="page"><div class="story"><p>${prose(1)}</p><p>${prose(2)}</p><p>${prose(3)}</p></div>
      <div class="more"><p>${prose(4)}</p></div><div class="links">${links}</div></div></body></html>`;
    expect(cleanHtml(html).text.split('\n\n')).toEqual([prose(1), prose(2), prose(3), prose(4)]);
  });
});

describe('cleanHtml: the article declared in JSON-LD', () => {
  const declared = (body: string) =>
    `<script type="application/ld+json">${JSON.stringify({ '@type': 'NewsArticle', headline: 'Budget passes', articleBody: body })}</script>`;
  const fullText = [1, 2, 3, 4, 5, 6].map(prose).join('\n');

  it('takes the declared body when the markup shows a fraction of it (a page rendered by script)', () => {
    const html = `<html><head><title>Budget passes</title>${declared(fullText)}</head><body><div id="app"><p>${prose(1)}</p></div></body></html>`;
    expect(cleanHtml(html).text.split('\n\n')).toEqual([1, 2, 3, 4, 5, 6].map(prose));
  });

  it('reads markup inside the declared body as paragraphs', () => {
    const body = [1, 2, 3, 4, 5].map((n) => `<p>${prose(n)}</p>`).join('');
    const html = `<html><head>${declared(body)}</head><body><div id="app">Loading…</div></body></html>`;
    expect(cleanHtml(html).text.split('\n\n')).toEqual([1, 2, 3, 4, 5].map(prose));
  });

  it('keeps the page text when the markup already holds the article', () => {
    const article = [1, 2, 3, 4, 5, 6].map((n) => `<p>${prose(n)}</p>`).join('');
    const html = `<html><head>${declared([1, 2, 3].map(prose).join('\n'))}</head><body>${article}</body></html>`;
    expect(cleanHtml(html).text.split('\n\n')).toEqual([1, 2, 3, 4, 5, 6].map(prose));
  });
});

describe('cleanHtml: growing over the lead', () => {
  it('is not stopped by a "Read more" button between the lead and the rest of the text', () => {
    const html = page(`<div class="story-body">
      <div class="story-intro"><p><strong>${prose(1)}</strong></p></div>
      <p>${prose(2)}</p><p>${prose(3)}</p>
      <div id="read-more"><div id="read-more-link"><a href="">Read more</a></div>
        <div id="read-more-content">${[4, 5, 6, 7, 8, 9].map((n) => `<p>${prose(n)}</p>`).join('')}</div></div>
    </div><div class="teasers"><a href="/other">Another story entirely, with a long headline to read</a></div>`);
    expect(cleanHtml(html).text.split('\n\n')).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9].map(prose));
  });
});

describe('cleanHtml: calls to action inside the article', () => {
  it('drops subscribe, follow, download and support prompts, in several languages', () => {
    const prompts = [
      'Receive our monthly newsletter to stay on top of the latest articles.',
      'Follow The Courier on Twitter and Instagram @courier.',
      'For the latest stories download the Courier apps for iOS and Android.',
      'Mit unserem Newsletter auf dem Laufenden bleiben:',
      'Unterstütze das Magazin bereits mit 2,50!',
      'Para comentar debes registrarte y completar los datos.',
      'Abonnez-vous pour lire la suite.',
      'To view the full story, please subscribe to The Courier.',
    ];
    const html = page(
      `<p>${prose(1)}</p>${prompts.map((text) => `<p>${text}</p>`).join('')}<p>${prose(2)}</p>`,
    );
    expect(cleanHtml(html).text).toBe(`${prose(1)}\n\n${prose(2)}`);
  });

  it('keeps the article talking about registrations, downloads and newsletters', () => {
    const sentences = [
      'Arduino LLC filed to register the US trademark in April 2009, and it was granted in 2011.',
      'You can download the new release from the project site.',
      'The newsletter, founded in 1990, reached ten thousand readers by the end of the decade.',
    ];
    const html = page(
      `<p>${prose(1)}</p>${sentences.map((text) => `<p>${text}</p>`).join('')}<p>${prose(2)}</p>`,
    );
    expect(cleanHtml(html).text.split('\n\n')).toEqual([prose(1), ...sentences, prose(2)]);
  });
});
