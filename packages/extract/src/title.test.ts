import { describe, expect, it } from 'vitest';
import { extractTitle, reconcileTitle, stripSiteName } from './title';

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

  it('does not take a heading that is only the site name', () => {
    expect(
      extractTitle({
        titleCandidates: [
          { source: 'meta:og:title', value: 'Ins neue Jahr' },
          { source: 'h1', value: 'Literaturblog' },
          { source: 'title', value: 'Ins neue Jahr | Literaturblog' },
        ],
      }),
    ).toBe('Ins neue Jahr');
    expect(
      reconcileTitle({
        titleCandidates: [
          { source: 'h1', value: 'Seelenfunk' },
          { source: 'title', value: 'Seelenfunk » Nummer zwei: Leo' },
        ],
        url: 'https://www.seelenfunk.example/leo',
      }),
    ).toEqual({ title: 'Nummer zwei: Leo', source: 'title' });
  });

  it('prefers the later of two headings the title contains (the first is the logo)', () => {
    expect(
      extractTitle({
        titleCandidates: [
          { source: 'h1', value: 'Stone Age & Co' },
          { source: 'h1', value: 'Tools of the Neanderthals' },
          { source: 'title', value: 'Tools of the Neanderthals | Stone Age & Co' },
        ],
      }),
    ).toBe('Tools of the Neanderthals');
  });

  it('takes the visible heading over a differently worded og:title when they share most words', () => {
    expect(
      extractTitle({
        titleCandidates: [
          {
            source: 'meta:og:title',
            value: 'Run Windows on Mac - Parallels Desktop 15 Virtual Machine for Mac',
          },
          { source: 'h1', value: 'Parallels Desktop 15 for Mac' },
        ],
      }),
    ).toBe('Parallels Desktop 15 for Mac');
    // A navigation heading shares no words with the declared title.
    expect(
      extractTitle({
        titleCandidates: [
          { source: 'meta:og:title', value: 'Aren’t we all …?' },
          { source: 'h1', value: 'Menu' },
        ],
      }),
    ).toBe('Aren’t we all …?');
  });

  it('drops a kicker glued before the headline', () => {
    expect(
      extractTitle({
        titleCandidates: [
          { source: 'meta:og:title', value: 'Car dealers expect a slow restart of business | MDR' },
          { source: 'h1', value: 'After the lockdown Car dealers expect a slow restart of business' },
        ],
        siteName: 'MDR',
      }),
    ).toBe('Car dealers expect a slow restart of business');
  });

  it('keeps a colon headline whole and the separators as written', () => {
    expect(stripSiteName('Brexit: the war of nerves goes on', null)).toBe(
      'Brexit: the war of nerves goes on',
    );
    expect(
      stripSiteName('Kim: the dictator is back - Trump is "happy" | Daily Example', 'Daily Example'),
    ).toBe('Kim: the dictator is back - Trump is "happy"');
  });
});
