import type { CleanedDocument } from '@sluice/contracts';
import { ExtractedDocumentSchema } from '@sluice/contracts';
import { describe, expect, it } from 'vitest';
import { extractDocument } from './extract-document';

const base: CleanedDocument = {
  format: 'html',
  text: '',
  titleCandidates: [],
  dateHints: [],
  bylineHints: [],
  meta: {},
  jsonLd: [],
};
const fetchedAt = '2024-06-01T12:00:00Z';
const run = (cleaned: Partial<CleanedDocument>, extra: { url?: string } = {}) =>
  ExtractedDocumentSchema.parse(
    extractDocument({ id: 'doc', cleaned: { ...base, ...cleaned }, fetchedAt, ...extra }),
  );

describe('extractDocument', () => {
  it('extracts every field from a cleaned HTML document', () => {
    const doc = run(
      {
        text: 'The Foreign Ministry said on Tuesday that talks with Iran would resume in Geneva.\n\n"We expect progress," Foreign Minister Anna Berg told reporters in Geneva.',
        titleCandidates: [
          { source: 'meta:og:title', value: 'Talks with Iran to resume | Daily Example' },
          { source: 'title', value: 'Talks with Iran to resume | Daily Example' },
        ],
        dateHints: [{ source: 'jsonld:datePublished', value: '2024-05-14T08:30:00+02:00' }],
        bylineHints: [{ source: 'meta:author', value: 'By Lena Roe' }],
        meta: { description: 'Talks resume next week.' },
        canonicalUrl: 'https://daily.example/world/talks?utm_source=rss#top',
        lang: 'en',
        siteName: 'Daily Example',
      },
      { url: 'https://daily.example/world/talks?utm_source=rss' },
    );
    expect(doc).toMatchObject({
      title: 'Talks with Iran to resume',
      publishedAt: '2024-05-14T08:30:00+02:00',
      publishedAtSource: 'jsonld:datePublished',
      authors: ['Lena Roe'],
      byline: 'Lena Roe',
      canonicalUrl: 'https://daily.example/world/talks',
      description: 'Talks resume next week.',
      lang: 'en',
      siteName: 'Daily Example',
    });
    expect(doc.entities).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'place', name: 'Iran' }),
        expect.objectContaining({ type: 'place', name: 'Geneva', mentions: 2 }),
        expect.objectContaining({ type: 'person', name: 'Anna Berg' }),
        expect.objectContaining({ type: 'organization', name: 'Foreign Ministry' }),
      ]),
    );
    expect(doc.quotes).toEqual([{ text: 'We expect progress', speaker: 'Anna Berg' }]);
    expect(doc.summary).toMatch(/^The Foreign Ministry said/);
    expect(doc.fingerprints?.simhash).toMatch(/^[0-9a-f]{16}$/);
    expect(doc.fingerprints?.minhash).toHaveLength(128);
  });

  it('returns null and empty fields for empty input without throwing', () => {
    const doc = run({});
    expect(doc).toMatchObject({
      title: null,
      publishedAt: null,
      lang: null,
      entities: [],
      quotes: [],
      summary: null,
      fingerprints: null,
    });
  });

  it('survives nonsense dates, unsupported languages and huge text', () => {
    const nonsense = run({
      text: 'ཀ་ཁ་ག་ང་ཅ་ཆ་ཇ་ཉ་ཏ་ཐ་ད་ན་པ་ཕ་བ་མ་ཙ་ཚ་ཛ་ཝ་ཞ་ཟ་འ་ཡ་ར་ལ་ཤ་ས་ཧ་ཨ',
      dateHints: [{ source: 'meta:date', value: '99/99/9999 32:61' }],
      lang: 'xx-nonsense!',
    });
    expect(nonsense.publishedAt).toBeNull();
    expect(nonsense.entities).toEqual([]);
    const huge = 'Officials in Baghdad met again. '.repeat(200_000);
    const doc = run({ text: huge });
    expect(doc.entities.find((e) => e.name === 'Baghdad')?.mentions).toBeGreaterThan(1000);
  });

  it('never reports a publication date after the fetch time', () => {
    const doc = run({ dateHints: [{ source: 'jsonld:datePublished', value: '2031-01-01T00:00:00Z' }] });
    expect(doc.publishedAt).toBeNull();
  });

  describe("with the feed item's hints", () => {
    const hints = {
      publishedAt: '2024-05-14T06:30:00Z',
      updatedAt: null,
      title: 'Talks with Iran to resume next week',
      author: 'Lena Roe',
      categories: ['World', 'Diplomacy'],
    };
    const text =
      'The Foreign Ministry said on Tuesday that talks with Iran would resume in Geneva next week.';

    it("fills in the date, title and author a page lacks, and adds the feed's categories", () => {
      const doc = ExtractedDocumentSchema.parse(
        extractDocument({ id: 'doc', cleaned: { ...base, text }, hints, fetchedAt }),
      );
      expect(doc).toMatchObject({
        title: 'Talks with Iran to resume next week',
        publishedAt: '2024-05-14T06:30:00Z',
        publishedAtSource: 'feed:published',
        authors: ['Lena Roe'],
      });
      expect(doc.keywords).toEqual(expect.arrayContaining(['World', 'Diplomacy']));
    });

    it("reads the page's numeric dates in the order of the feed's language", () => {
      const cleaned = {
        ...base,
        format: 'text' as const,
        text,
        dateHints: [{ source: 'text:dateline', value: '07/02/2010' }],
      };
      const british = extractDocument({
        id: 'doc',
        cleaned,
        hints: { categories: [], lang: 'en-gb' },
        fetchedAt,
      });
      const american = extractDocument({
        id: 'doc',
        cleaned,
        hints: { categories: [], lang: 'en-us' },
        fetchedAt,
      });
      expect([british.publishedAt, american.publishedAt]).toEqual(['2010-02-07', '2010-07-02']);
    });

    it("keeps the page's own evidence when it has some", () => {
      const doc = extractDocument({
        id: 'doc',
        cleaned: {
          ...base,
          text,
          titleCandidates: [{ source: 'meta:og:title', value: 'Iran talks resume' }],
          dateHints: [{ source: 'jsonld:datePublished', value: '2024-05-13T08:00:00+02:00' }],
          bylineHints: [{ source: 'meta:author', value: 'Ann Quay' }],
        },
        hints,
        fetchedAt,
      });
      expect(doc).toMatchObject({
        title: 'Iran talks resume',
        publishedAt: '2024-05-13T08:00:00+02:00',
        authors: ['Ann Quay'],
      });
    });
  });
});
