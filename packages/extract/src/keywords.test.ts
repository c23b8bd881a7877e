import { describe, expect, it } from 'vitest';
import { extractKeywords } from './keywords';
import { summarize } from './summary';

describe('extractKeywords', () => {
  it('puts the most mentioned entities first, then frequent content words', () => {
    const text =
      'Drought hits farms. The drought cut harvests and farms lost water. Water prices rose as drought spread.';
    const keywords = extractKeywords(text, [{ type: 'place', name: 'Kenya', aliases: [], mentions: 3 }], 4);
    expect(keywords).toEqual(['Kenya', 'drought', 'farms', 'water']);
  });
});

describe('summarize', () => {
  it('takes the leading sentences of the first prose paragraph', () => {
    const text =
      'Headline Here\n\nPosted Monday\n\nThe council approved the budget on Monday after a long debate. Members voted nine to four. The mayor welcomed it.\n\nMore later.';
    expect(summarize(text, 120)).toBe(
      'The council approved the budget on Monday after a long debate. Members voted nine to four.',
    );
    expect(summarize('')).toBeNull();
  });
});
