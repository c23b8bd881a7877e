import { describe, expect, it } from 'vitest';
import { extractDates } from './extract-dates';

const fetchedAt = '2024-06-01T12:00:00Z';

describe('extractDates', () => {
  it('prefers JSON-LD datePublished over element text and reports the source', () => {
    const result = extractDates({
      hints: [
        { source: 'element:date', value: '3 March 2024' },
        { source: 'jsonld:datePublished', value: '2024-03-02T09:00:00+01:00' },
        { source: 'jsonld:dateModified', value: '2024-03-05T09:00:00+01:00' },
      ],
      text: '',
      fetchedAt,
    });
    expect(result).toEqual({
      publishedAt: '2024-03-02T09:00:00+01:00',
      publishedAtSource: 'jsonld:datePublished',
      modifiedAt: '2024-03-05T09:00:00+01:00',
    });
  });

  it('trusts a full date in the URL path', () => {
    const result = extractDates({
      hints: [{ source: 'meta:date', value: '2024-05-30' }],
      text: '',
      url: 'https://example.com/news/2024/02/17/story.html',
      fetchedAt,
    });
    expect(result.publishedAt).toBe('2024-02-17');
    expect(result.publishedAtSource).toBe('url');
  });

  it('rejects dates after the fetch time and before 1995', () => {
    const result = extractDates({
      hints: [
        { source: 'jsonld:datePublished', value: '2030-01-01' },
        { source: 'meta:article:published_time', value: '1970-01-01T00:00:00Z' },
        { source: 'element:date', value: 'Posted 12 May 2024' },
      ],
      text: '',
      fetchedAt,
    });
    expect(result.publishedAt).toBe('2024-05-12');
    expect(result.publishedAtSource).toBe('element:date');
  });

  it('falls back to a dateline in the text, then to chrono-node', () => {
    expect(
      extractDates({
        hints: [],
        text: 'Headline\n\nPosted Thu Jul 26, 2007 5:14am AEST\n\nBody.',
        fetchedAt,
      }),
    ).toEqual({
      publishedAt: '2007-07-26T05:14:00+10:00',
      publishedAtSource: 'text',
      modifiedAt: null,
    });
    const viaChrono = extractDates({
      hints: [],
      text: 'Headline\n\nFriday, the fifth of March 2021\n\nBody.',
      fetchedAt,
    });
    expect(viaChrono.publishedAt?.slice(0, 10)).toBe('2021-03-05');
    expect(viaChrono.publishedAtSource).toBe('chrono');
  });

  it('does not take a date the body mentions for an event as the publication date', () => {
    const text = [
      'The plan to build an Islamic centre two blocks from Ground Zero has divided the city this summer.',
      'The towers fell on September 11, 2001, killing nearly 3,000 people, and relatives have led protests.',
    ].join('\n\n');
    const result = extractDates({
      hints: [{ source: 'page:prose', value: 'September 11, 2001, killing nearly 3,000' }],
      text,
      fetchedAt: '2010-07-03T10:00:00Z',
    });
    expect(result).toEqual({ publishedAt: null, modifiedAt: null, publishedAtSource: 'mentions-only' });
    const viaChrono = extractDates({
      hints: [],
      text: 'It happened on Friday, the fifth of March 2021, in Paris.',
      fetchedAt,
    });
    expect(viaChrono).toEqual({ publishedAt: null, modifiedAt: null, publishedAtSource: 'mentions-only' });
    // A publishing label makes the same sentence a stamp.
    const labelled = extractDates({
      hints: [],
      text: `${text}\n\nThis article was first published on July 2, 2010 and has since been shared thousands of times online.`,
      fetchedAt: '2010-07-03T10:00:00Z',
    });
    expect(labelled.publishedAt).toBe('2010-07-02');
    expect(labelled.publishedAtSource).toBe('text');
  });

  it('accepts a mentioned date when the URL places the document in that month', () => {
    const result = extractDates({
      hints: [{ source: 'page:prose', value: 'July 2, 2010, the commission said' }],
      text: 'The landmarks commission met on July 2, 2010, the commission said in a statement on its website.',
      url: 'https://example.com/2010/07/mosque-vote.html',
      fetchedAt: '2024-01-01T00:00:00Z',
    });
    expect(result.publishedAt).toBe('2010-07-02');
    expect(result.publishedAtSource).toBe('page:prose');
  });

  it("uses the feed's date when the page has none, and to settle a page that contradicts itself", () => {
    const feed = { publishedAt: '2010-07-02T14:30:00Z', updatedAt: '2010-07-03T08:00:00Z' };
    const undated = extractDates({ hints: [], text: 'No date here.', feed, fetchedAt });
    expect(undated).toMatchObject({
      publishedAt: '2010-07-02T14:30:00Z',
      publishedAtSource: 'feed:published',
    });
    const onlyUpdated = extractDates({ hints: [], text: '', feed: { updatedAt: feed.updatedAt }, fetchedAt });
    expect(onlyUpdated.publishedAtSource).toBe('feed:updated');
    // A page that only says when it was modified makes no publication claim; the feed does.
    const modifiedOnly = extractDates({
      hints: [{ source: 'meta:article:modified_time', value: '2011-01-05T10:00:00Z' }],
      text: '',
      feed,
      fetchedAt,
    });
    expect(modifiedOnly).toEqual({
      publishedAt: '2010-07-02T14:30:00Z',
      publishedAtSource: 'feed:published',
      modifiedAt: '2011-01-05T10:00:00Z',
    });
    // The page's own evidence comes first when it agrees with itself.
    const dated = extractDates({
      hints: [{ source: 'jsonld:datePublished', value: '2010-06-30T09:00:00Z' }],
      text: '',
      feed,
      fetchedAt,
    });
    expect(dated.publishedAt).toBe('2010-06-30T09:00:00Z');
    // JSON-LD and the dateline disagree: the feed says which day the publisher meant.
    const contradictory = [
      { source: 'jsonld:datePublished', value: '2010-06-30T09:00:00Z' },
      { source: 'text:dateline', value: 'Friday 2 July 2010 15.30 BST' },
    ];
    const settled = extractDates({ hints: contradictory, text: '', feed, fetchedAt });
    expect(settled.publishedAt).toBe('2010-07-02T15:30:00+01:00');
    expect(settled.publishedAtSource).toBe('text:dateline');
    expect(extractDates({ hints: contradictory, text: '', fetchedAt }).publishedAt).toBe(
      '2010-06-30T09:00:00Z',
    );
  });

  it('returns nulls for nonsense', () => {
    expect(
      extractDates({
        hints: [{ source: 'meta:date', value: 'yesterday-ish' }],
        text: 'no dates 99/99/9999',
        fetchedAt: 'garbage',
      }),
    ).toEqual({ publishedAt: null, modifiedAt: null, publishedAtSource: 'none' });
  });

  it('reads unix timestamps in meta tags', () => {
    const result = extractDates({
      hints: [{ source: 'meta:article:published_time', value: '1700000000' }],
      text: '',
      fetchedAt,
    });
    expect(result.publishedAt).toBe('2023-11-14T22:13:20Z');
  });

  it('reads a UTC instant on the local day when the page states the same instant locally', () => {
    const result = extractDates({
      hints: [
        { source: 'jsonld:datePublished', value: '2023-11-09T02:11:03+00:00' },
        { source: 'time:datetime', value: '2023-11-08T21:11:03-05:00' },
      ],
      text: '',
      fetchedAt,
    });
    expect(result.publishedAt).toBe('2023-11-08T21:11:03-05:00');
    expect(result.publishedAtSource).toBe('jsonld:datePublished');
    // A local wall-clock time with the same minutes carries the zone it implies.
    const wallClock = extractDates({
      hints: [
        { source: 'jsonld:datePublished', value: '2019-10-18T22:04:00Z' },
        { source: 'element:date', value: '19. Oktober 2019 00:04 Uhr' },
      ],
      text: '',
      fetchedAt,
    });
    expect(wallClock.publishedAt).toBe('2019-10-19T00:04:00+02:00');
  });

  it('keeps the UTC day without local evidence, or when the local reading is the same day', () => {
    const alone = extractDates({
      hints: [
        { source: 'jsonld:datePublished', value: '2023-11-09T04:59:25Z' },
        { source: 'page:text', value: 'November 8, 2023' },
      ],
      text: '',
      fetchedAt,
    });
    expect(alone.publishedAt).toBe('2023-11-09T04:59:25Z');
    const sameDay = extractDates({
      hints: [
        { source: 'jsonld:datePublished', value: '2019-10-19T03:00:00.000Z' },
        { source: 'time:text', value: '19.10.2019, 05:00 Uhr' },
        { source: 'time:text', value: '18.10.2019, 20:00 Uhr' },
      ],
      text: '',
      fetchedAt,
    });
    expect(sameDay.publishedAt).toBe('2019-10-19T03:00:00Z');
  });

  it('reads a whole-hour UTC instant just before midnight as the next day the page shows', () => {
    const result = extractDates({
      hints: [
        { source: 'meta:article:published_time', value: '2021-11-04T23:00Z' },
        { source: 'element:date', value: '5. November 2021' },
      ],
      text: '',
      fetchedAt,
    });
    expect(result.publishedAt).toBe('2021-11-05');
  });

  it('takes the declared date the page shows when the declared publication date is shown nowhere', () => {
    const republished = extractDates({
      hints: [
        { source: 'jsonld:datePublished', value: '2021-01-01T11:00:00Z' },
        { source: 'jsonld:dateModified', value: '2023-04-01T10:00:00Z' },
        { source: 'element:published', value: '01.04.2023' },
      ],
      text: '',
      fetchedAt,
    });
    expect(republished.publishedAt).toBe('2023-04-01T10:00:00Z');
    expect(republished.publishedAtSource).toBe('jsonld:dateModified');
    // When the page shows the declared publication date anywhere, it stands.
    const shown = extractDates({
      hints: [
        { source: 'jsonld:datePublished', value: '2021-01-01T11:00:00Z' },
        { source: 'jsonld:dateModified', value: '2023-04-01T10:00:00Z' },
        { source: 'element:date', value: '01.04.2023' },
        { source: 'page:text', value: '1 January 2021' },
      ],
      text: '',
      fetchedAt,
    });
    expect(shown.publishedAt).toBe('2021-01-01T11:00:00Z');
  });

  it('lets a generic meta date that the page never shows yield to an earlier shown date', () => {
    const result = extractDates({
      hints: [
        { source: 'meta:date', value: '2020-02-12' },
        { source: 'element:date', value: '05.02.2020 - Redaktion' },
      ],
      text: '',
      fetchedAt,
    });
    expect(result.publishedAt).toBe('2020-02-05');
    expect(result.publishedAtSource).toBe('element:date');
  });

  it('prefers a time-stamped page-text date and skips spans of days', () => {
    const result = extractDates({
      hints: [
        { source: 'page:text', value: '28.01.2022 – 29.01.2022' },
        { source: 'page:text', value: '31.05.2021 (links) und die' },
        { source: 'page:text', value: '14.01.2022 um 09:25' },
      ],
      text: '',
      fetchedAt,
    });
    expect(result.publishedAt).toBe('2022-01-14T09:25:00');
    expect(result.publishedAtSource).toBe('page:text');
  });

  it('reads a dateline opening the main text, unless it names an update or a span', () => {
    const weak = [{ source: 'page:text', value: '28.02.2017 gekündigt)' }];
    const lead = extractDates({
      hints: weak,
      text: 'Erstellt am: 30.01.2022 18:36 / sk\n\nDer Norweger gewann.',
      fetchedAt,
    });
    expect(lead.publishedAt).toBe('2022-01-30T18:36:00');
    expect(lead.publishedAtSource).toBe('text:lead');
    const update = extractDates({
      hints: weak,
      text: 'Article mis à jour le 7 janvier 2020.\n\nS’il fallait…',
      fetchedAt,
    });
    expect(update.publishedAtSource).toBe('page:text');
    const span = extractDates({
      hints: weak,
      text: '2020年7月11日(土)～12日(日)に開催された競走',
      fetchedAt,
    });
    expect(span.publishedAtSource).toBe('page:text');
    const prose = extractDates({
      hints: weak,
      text: 'Am 22. Oktober 2019 erscheint die Platinum Edition mit einer Menge neuen Inhalten.',
      fetchedAt,
    });
    expect(prose.publishedAtSource).toBe('page:text');
    // Declared dates still outrank the lead.
    const declared = extractDates({
      hints: [{ source: 'jsonld:datePublished', value: '2022-01-29T10:00:00+01:00' }],
      text: 'Berlin, 30.01.2022\n\nText.',
      fetchedAt,
    });
    expect(declared.publishedAtSource).toBe('jsonld:datePublished');
  });

  it('reads the date-only line the cleaner lifted out of the text as the lead', () => {
    const result = extractDates({
      hints: [
        { source: 'page:text', value: '28.02.2017 gekündigt)' },
        { source: 'text:date-line', value: 'Stand: 30.01.2022 18:36 Uhr' },
      ],
      text: 'Der Norweger gewann am 3. Januar 2022.',
      fetchedAt,
    });
    expect(result.publishedAt).toBe('2022-01-30T18:36:00');
    expect(result.publishedAtSource).toBe('text:lead');
  });

  it('lets a generic meta date yield to the dateline over the article, not a named one', () => {
    const text = '27.01.2022\n\nDer Riesling feiert Geburtstag.';
    const generic = extractDates({
      hints: [{ source: 'meta:date', value: '2021-12-20T11:02:44+01:00' }],
      text,
      fetchedAt,
    });
    expect(generic.publishedAtSource).toBe('text:lead');
    expect(generic.publishedAt).toBe('2022-01-27');
    const named = extractDates({
      hints: [{ source: 'meta:article:published_time', value: '2021-12-20T11:02:44+01:00' }],
      text,
      fetchedAt,
    });
    expect(named.publishedAtSource).toBe('meta:article:published_time');
  });
});
