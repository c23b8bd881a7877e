import { describe, expect, it } from 'vitest';
import { extractAuthors, namesInByline } from './authors';

describe('extractAuthors', () => {
  it('takes JSON-LD authors first', () => {
    expect(
      extractAuthors({
        bylineHints: [
          { source: 'element:byline', value: 'By Someone Else | 3 min read' },
          { source: 'jsonld:author', value: 'Jane Roe' },
          { source: 'jsonld:author', value: 'Omar Khan' },
        ],
      }),
    ).toEqual({ byline: 'Jane Roe, Omar Khan', authors: ['Jane Roe', 'Omar Khan'] });
  });

  it('cleans bylines of boilerplate and splits co-authors', () => {
    expect(namesInByline('By Jane Roe and John Doe, Staff Writer | Reuters')).toEqual([
      'Jane Roe',
      'John Doe',
    ]);
    expect(namesInByline('Share on Facebook')).toEqual([]);
    expect(namesInByline('https://www.facebook.com/someone')).toEqual([]);
  });

  it('finds bylines written into the text', () => {
    expect(
      extractAuthors({ text: "Lead. VOA's David Gollust reports from the State Department." }).authors,
    ).toEqual(['David Gollust']);
    expect(extractAuthors({ text: 'Headline\n\nBy Maria Lopez\n\nBody text.' }).authors).toEqual([
      'Maria Lopez',
    ]);
    expect(extractAuthors({ text: 'Nothing here.' })).toEqual({ byline: null, authors: [] });
  });
});
