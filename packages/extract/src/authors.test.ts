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

  it('strips labels, dates and comment headings, and keeps initials', () => {
    expect(namesInByline('Post author By Helga Brandt')).toEqual(['Helga Brandt']);
    expect(namesInByline('Eingestellt von Maria Weber')).toEqual(['Maria Weber']);
    expect(namesInByline('Von Tomas Berger Fr, 18. Oktober 2019')).toEqual(['Tomas Berger']);
    expect(namesInByline('von lupa am 26/10/13, 03:48 pm')).toEqual(['lupa']);
    expect(namesInByline('Interview: Julia Brandt')).toEqual(['Julia Brandt']);
    expect(namesInByline('Peter Lang sagt:')).toEqual([]);
    expect(namesInByline('Perry Bacon Jr.')).toEqual(['Perry Bacon Jr.']);
    expect(namesInByline('By Ann Lee, Bo Chan and Cy Diaz')).toEqual(['Ann Lee', 'Bo Chan', 'Cy Diaz']);
  });

  it('takes one-word handles only where the source says they are the author', () => {
    expect(extractAuthors({ bylineHints: [{ source: 'rel:author', value: 'gnaddrig' }] }).authors).toEqual([
      'gnaddrig',
    ]);
    expect(
      extractAuthors({ bylineHints: [{ source: 'element:byline', value: 'von Creeny' }] }).authors,
    ).toEqual(['Creeny']);
    expect(
      extractAuthors({ bylineHints: [{ source: 'element:byline', value: 'Newsletter' }] }).authors,
    ).toEqual([]);
  });

  it('keeps an outlet as the byline but not among the authors', () => {
    expect(
      extractAuthors({
        bylineHints: [
          { source: 'jsonld:author', value: 'CBS News' },
          { source: 'element:byline', value: 'By Jane Roe' },
        ],
      }),
    ).toEqual({ byline: 'Jane Roe', authors: ['Jane Roe'] });
    expect(extractAuthors({ bylineHints: [{ source: 'jsonld:author', value: 'CBS News' }] })).toEqual({
      byline: 'CBS News',
      authors: [],
    });
    expect(
      extractAuthors({
        bylineHints: [
          { source: 'meta:author', value: 'Federal Department of Economy, Education and Research' },
        ],
      }),
    ).toEqual({ byline: 'Federal Department of Economy, Education and Research', authors: [] });
    expect(extractAuthors({ bylineHints: [{ source: 'element:byline', value: 'By Reuters' }] })).toEqual({
      byline: 'Reuters',
      authors: [],
    });
    expect(
      extractAuthors({
        bylineHints: [{ source: 'meta:author', value: 'Autowoche' }],
        url: 'https://www.autowoche.example/a/1',
      }),
    ).toEqual({ byline: 'Autowoche', authors: [] });
  });
});
