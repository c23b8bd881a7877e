import { describe, expect, it } from 'vitest';
import { extractEntities } from './extract-entities';

const find = (text: string, name: string) => extractEntities(text).find((e) => e.name === name);

describe('extractEntities', () => {
  it('merges surnames and honorifics into the full name', () => {
    const text =
      'Trade Minister Alicia Ferreira arrived on Monday. Ferreira said the deal was close. Later Ms Ferreira left.';
    expect(find(text, 'Alicia Ferreira')).toEqual({
      type: 'person',
      name: 'Alicia Ferreira',
      aliases: ['Ferreira', 'Ms Ferreira'],
      mentions: 3,
    });
  });

  it('treats U.S., US and the United States as one place and strips possessives', () => {
    const us = find(
      "The United States and the U.S. Navy disagree. US officials said Iran's offer was late.",
      'United States',
    );
    expect(us?.type).toBe('place');
    expect(us?.aliases).toEqual(expect.arrayContaining(['U.S.', 'US']));
    expect(us?.mentions).toBe(3);
    expect(find("Iran's offer", 'Iran')?.aliases).toEqual([]);
  });

  it('merges hyphen and space variants of a name', () => {
    const person = find(
      'Envoy Karim Abdel-Rahim spoke. Later, envoy Karim Abdel Rahim left.',
      'Karim Abdel-Rahim',
    );
    expect(person?.aliases).toEqual(['Karim Abdel Rahim']);
    expect(person?.mentions).toBe(2);
  });

  it('recognises organisations by cue words, members and news-agency context', () => {
    const text =
      'The Finance Ministry and the Green Party objected. Three Zarqawi fighters were held, the state news agency SANA said.';
    const types = Object.fromEntries(extractEntities(text).map((e) => [e.name, e.type]));
    expect(types).toMatchObject({
      'Finance Ministry': 'organization',
      'Green Party': 'organization',
      Zarqawi: 'organization',
      SANA: 'organization',
    });
  });

  it('maps demonyms to countries and ignores sentence-opening words', () => {
    const entities = extractEntities('Relations remain tense. Iraqi troops entered Mosul.');
    expect(entities.map((e) => e.name).sort()).toEqual(['Iraq', 'Mosul']);
  });

  it('keeps only gazetteer names for languages the rules do not cover', () => {
    const entities = extractEntities('Die Regierung in Berlin hat Gespräche mit Frankreich abgelehnt.', {
      lang: 'de',
    });
    expect(entities.map((e) => e.name)).toEqual(['Berlin']);
  });

  it('ties acronyms to the organisation they abbreviate', () => {
    const defined = extractEntities(
      'The Press Freedom Committee (PFC) said 12 reporters were held. PFC urged their release.',
    );
    expect(defined).toEqual([
      { type: 'organization', name: 'Press Freedom Committee', aliases: ['PFC'], mentions: 3 },
    ]);
    const initials = extractEntities(
      'The National Transportation Safety Board opened an inquiry. NTSB investigators arrived on Friday.',
    );
    expect(initials.map((e) => [e.name, e.aliases, e.mentions])).toEqual([
      ['National Transportation Safety Board', ['NTSB'], 2],
    ]);
    // Initials of things that are not bodies stay out.
    expect(extractEntities('Iraq had no Weapons of Mass Destruction (WMD) left.').map((e) => e.name)).toEqual(
      ['Iraq'],
    );
  });

  it('reads group names opening a sentence, place head nouns and a body named by its head noun', () => {
    const types = Object.fromEntries(
      extractEntities(
        'Hezbollah fighters crossed the Red Sea coast. Opposition leaders objected. The European Commission fined it, a Commission spokeswoman said.',
      ).map((e) => [e.name, [e.type, e.mentions]]),
    );
    expect(types).toEqual({
      Hezbollah: ['organization', 1],
      'Red Sea': ['place', 1],
      'European Commission': ['organization', 2],
    });
    expect(find('Hundreds of families fled from Goma overnight.', 'Goma')?.type).toBe('place');
  });

  it('returns nothing for empty text', () => {
    expect(extractEntities('')).toEqual([]);
  });

  it('reads names after place prepositions and place verbs as places, not people', () => {
    const text =
      'Rockets were fired from Beit Hanoun overnight. Troops entered Kherson on Friday, and the minister toured Mosul.';
    expect(find(text, 'Beit Hanoun')?.type).toBe('place');
    expect(find(text, 'Kherson')?.type).toBe('place');
    expect(find(text, 'Mosul')?.type).toBe('place');
  });

  it('keeps a person after those prepositions when the name starts with a given name', () => {
    const text = 'The letter from Ryan Crocker arrived. Pressure on Sean McCormack grew, McCormack said.';
    expect(find(text, 'Ryan Crocker')?.type).toBe('person');
    expect(find(text, 'Sean McCormack')?.type).toBe('person');
  });
});

describe('hex codes are not names', () => {
  it('leaves a colour such as B0C4DE out and keeps model codes', async () => {
    const { isHexCode } = await import('./tokens');
    const names = extractEntities(
      'The page was styled in B0C4DE and FF8800 by Maria Lopez, who flew an Airbus A380 to Madrid on Monday.',
    ).map((entity) => entity.name);
    expect(names).not.toContain('B0C4DE');
    expect(names).not.toContain('FF8800');
    expect(names).toContain('Maria Lopez');
    expect(isHexCode('B0C4DE')).toBe(true);
    expect(isHexCode('3F2A')).toBe(true);
    expect(isHexCode('A380')).toBe(false);
    expect(isHexCode('F16')).toBe(false);
    expect(isHexCode('NATO')).toBe(false);
  });
});
