import { describe, expect, it } from 'vitest';
import { extractResolvedEntities } from './entities/extract-entities';
import { extractQuotes } from './quotes';

const quotesOf = (text: string) => extractQuotes(text, extractResolvedEntities(text));

describe('extractQuotes', () => {
  it('attributes quotes by name, title and role, including continuation paragraphs', () => {
    const text = [
      'Health Department spokeswoman Ruth Adeyemi briefed reporters on Friday.',
      '“We are seeing fewer cases every week,” Ms Adeyemi said.',
      '"The trend is clear and it is holding across every region we track."',
      'Opposition leader Tomas Varga disagreed. "The numbers are being massaged," he said.',
      '"Nobody should celebrate yet, not with winter coming," the spokeswoman said.',
    ].join('\n\n');
    expect(quotesOf(text)).toEqual([
      { text: 'We are seeing fewer cases every week', speaker: 'Ruth Adeyemi' },
      { text: 'The trend is clear and it is holding across every region we track.', speaker: 'Ruth Adeyemi' },
      { text: 'The numbers are being massaged', speaker: 'Tomas Varga' },
      { text: 'Nobody should celebrate yet, not with winter coming', speaker: 'Ruth Adeyemi' },
    ]);
  });

  it('reads "X said:" before the quote and drops short scare quotes', () => {
    const text =
      'Minister Pavel Novak said: "We will not sign this agreement in its current form." Talks saw "heated exchanges".';
    expect(quotesOf(text)).toEqual([
      { text: 'We will not sign this agreement in its current form.', speaker: 'Pavel Novak' },
    ]);
  });

  it('keeps unattributed statements with a null speaker', () => {
    expect(quotesOf('A sign read "no more war in our streets, ever again" outside.')).toEqual([
      { text: 'no more war in our streets, ever again', speaker: null },
    ]);
  });

  it('reads "quoted X as saying" before and after the quote', () => {
    const text = [
      'The state news agency IRNA quoted Foreign Minister Ali Rezaei as saying: "The talks were useful and we will return next month."',
      '"There is no deadline for an agreement," the agency later quoted Rezaei as saying.',
    ].join('\n\n');
    expect(quotesOf(text)).toEqual([
      { text: 'The talks were useful and we will return next month.', speaker: 'Ali Rezaei' },
      { text: 'There is no deadline for an agreement', speaker: 'Ali Rezaei' },
    ]);
  });
});
