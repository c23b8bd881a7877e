import { describe, expect, it } from 'vitest';
import { formatHit, terminalSnippet } from './search';
import { formatSpan, formatStoryDetail, formatStorySummary } from './stories';

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
      lastSeenAt: '2026-12-01T10:30:00.000Z',
      publishedSpan: { from: '2024-03-01T09:00:00.000Z', to: '2024-03-02T10:30:00.000Z' },
      undatedDocuments: 1,
      documentCount: 4,
      sourceCount: 2,
      sources: ['a', 'b'],
      topEntities: [{ name: 'Senate', documents: 3 }],
    });
    // The span is the dated documents' only; the undated one is counted, not spanned.
    expect(text).toContain('4 documents · 2 sources · 2024-03-01 09:00 → 2024-03-02 10:30 (+1 undated)');
    expect(text).not.toContain('2026-12-01');
    expect(text).toContain('about: Senate');
  });

  it('marks undated documents on a story timeline', () => {
    const story = {
      id: 's1',
      headline: 'Budget story',
      firstSeenAt: '2024-03-01T09:00:00.000Z',
      lastSeenAt: '2026-12-01T10:30:00.000Z',
      publishedSpan: { from: '2024-03-01T09:00:00.000Z', to: '2024-03-01T09:00:00.000Z' },
      undatedDocuments: 1,
      documentCount: 2,
      sourceCount: 1,
      sources: ['a'],
      topEntities: [],
      entities: [],
      timeline: [
        {
          id: 'd1',
          title: 'Senate passes budget',
          source: 'a',
          at: '2024-03-01T09:00:00.000Z',
          dateKnown: true,
          duplicateOf: null,
        },
        {
          id: 'd2',
          title: 'Budget explainer',
          source: 'a',
          at: '2026-12-01T10:30:00.000Z',
          dateKnown: false,
          duplicateOf: null,
        },
      ],
    };
    const lines = formatStoryDetail(story).split('\n');
    expect(lines.find((line) => line.includes('Senate passes budget'))).not.toContain('undated');
    expect(lines.find((line) => line.includes('Budget explainer'))).toContain('2026-12-01 10:30');
    expect(lines.find((line) => line.includes('Budget explainer'))).toContain('(undated: first seen)');
    expect(formatSpan({ publishedSpan: null, undatedDocuments: 2 })).toBe('no dated documents (+2 undated)');
    expect(lines).not.toContain('  repairs:');
  });

  it('shows the repair history and the merged id a user asked for', () => {
    const text = formatStoryDetail({
      id: 'survivor',
      headline: 'Budget story',
      firstSeenAt: '2024-03-01T09:00:00.000Z',
      lastSeenAt: '2024-03-02T09:00:00.000Z',
      publishedSpan: null,
      undatedDocuments: 0,
      documentCount: 3,
      sourceCount: 1,
      sources: ['a'],
      topEntities: [],
      entities: [],
      timeline: [],
      resolvedFrom: 'fragment-1',
      history: [
        {
          action: 'absorbed',
          otherStoryId: 'fragment-1',
          documentId: null,
          probability: 0.934,
          at: '2024-03-02T10:00:00.000Z',
        },
        {
          action: 'detached',
          otherStoryId: 'newstory',
          documentId: 'doc-7',
          probability: 0.05,
          at: '2024-03-02T11:00:00.000Z',
        },
      ],
    });
    expect(text).toContain('(story fragment-1 was merged into this one)');
    expect(text).toContain('  repairs:');
    expect(text).toContain('2024-03-02 10:00  merged from story fragment-1 (p 0.93)');
    expect(text).toContain('2024-03-02 11:00  detached document doc-7 into story newstory (p 0.05)');
  });
});
