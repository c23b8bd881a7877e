import type { ExtractedDocument } from '@sluice/contracts';

/** Test-only: an ExtractedDocument with defaults, overridden field by field. */
export function extractedDocument(overrides: Partial<ExtractedDocument> & { id: string }): ExtractedDocument {
  return {
    url: `https://example.com/${overrides.id}`,
    canonicalUrl: null,
    source: 'example.com',
    siteName: null,
    title: 'Untitled',
    text: 'Empty.',
    description: null,
    byline: null,
    authors: [],
    publishedAt: '2024-05-01T10:00:00Z',
    modifiedAt: null,
    publishedAtSource: null,
    lang: 'en',
    entities: [],
    quotes: [],
    keywords: [],
    summary: null,
    fingerprints: null,
    fetchedAt: '2024-05-01T11:00:00Z',
    extractedAt: '2024-05-01T11:00:01Z',
    ...overrides,
  };
}

/** Test-only: a 32-hex document id from a short label. */
export const testId = (label: string) => Buffer.from(label).toString('hex').padEnd(32, '0').slice(0, 32);
