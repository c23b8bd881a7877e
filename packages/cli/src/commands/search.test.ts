import { describe, expect, it } from 'vitest';
import { formatHit, terminalSnippet } from './search';
import { formatStorySummary } from './stories';

describe('search and stories output', () => {
  it('turns the API snippet into terminal text and lays out a hit', () => {
    expect(terminalSnippet('a <mark>budget</mark> &amp; &lt;tax&gt;')).toBe('a *budget* & <tax>');
    const text = formatHit(
      {
        id: 'abc',
        title: 'Senate passes budget',
        url: 'https://x.example/a',
        source: 'x.example',
        publishedAt: '2024-03-01T09:00:00.000Z',
        storyId: null,
        snippet: 'the <mark>budget</mark> bill',
        score: 0.5,
      },
      1,
    );
    expect(text).toContain('1. *Senate passes budget*');
    expect(text).toContain('x.example · 2024-03-01 · score 0.500');
    expect(text).toContain('the *budget* bill');
  });

  it('summarises a story on a few lines', () => {
    const text = formatStorySummary({
      id: 's1',
      headline: 'Budget story',
      firstSeenAt: '2024-03-01T09:00:00.000Z',
      lastSeenAt: '2024-03-02T10:30:00.000Z',
      documentCount: 4,
      sourceCount: 2,
      sources: ['a', 'b'],
      topEntities: [{ name: 'Senate', documents: 3 }],
    });
    expect(text).toContain('4 documents · 2 sources · 2024-03-01 09:00 → 2024-03-02 10:30');
    expect(text).toContain('about: Senate');
  });
});
