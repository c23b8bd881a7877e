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
      text: 'It happened on Friday, the fifth of March 2021, in Paris.',
      fetchedAt,
    });
    expect(viaChrono.publishedAt?.slice(0, 10)).toBe('2021-03-05');
    expect(viaChrono.publishedAtSource).toBe('chrono');
  });

  it('returns nulls for nonsense', () => {
    expect(
      extractDates({
        hints: [{ source: 'meta:date', value: 'yesterday-ish' }],
        text: 'no dates 99/99/9999',
        fetchedAt: 'garbage',
      }),
    ).toEqual({ publishedAt: null, modifiedAt: null, publishedAtSource: null });
  });

  it('reads unix timestamps in meta tags', () => {
    const result = extractDates({
      hints: [{ source: 'meta:article:published_time', value: '1700000000' }],
      text: '',
      fetchedAt,
    });
    expect(result.publishedAt).toBe('2023-11-14T22:13:20Z');
  });
});
