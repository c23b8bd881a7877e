import { describe, expect, it } from 'vitest';
import { extractTitle, stripSiteName } from './title';

describe('extractTitle', () => {
  it('uses an <h1> that the declared titles confirm', () => {
    expect(
      extractTitle({
        titleCandidates: [
          { source: 'meta:og:title', value: 'Talks stall in Baghdad | Example News' },
          { source: 'h1', value: 'Talks stall in Baghdad' },
          { source: 'title', value: 'Talks stall in Baghdad | Example News' },
        ],
        siteName: 'Example News',
      }),
    ).toBe('Talks stall in Baghdad');
  });

  it('strips the site name from og:title when the h1 is unrelated', () => {
    expect(
      extractTitle({
        titleCandidates: [
          { source: 'meta:og:title', value: 'Iran ready for talks - Example News' },
          { source: 'h1', value: 'Menu' },
        ],
        siteName: 'Example News',
      }),
    ).toBe('Iran ready for talks');
  });

  it('uses the plain-text headline, and null when there is nothing', () => {
    expect(extractTitle({ headline: 'US rejects high-level talks with Iran' })).toBe(
      'US rejects high-level talks with Iran',
    );
    expect(extractTitle({})).toBeNull();
  });

  it('drops a short site segment even without a known site name', () => {
    expect(stripSiteName('A very long headline about the talks in Baghdad | BBC', null)).toBe(
      'A very long headline about the talks in Baghdad',
    );
    expect(stripSiteName('Iran: the talks', null, [])).toBe('Iran: the talks');
  });
});
