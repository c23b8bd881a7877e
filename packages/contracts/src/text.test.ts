import { describe, expect, it } from 'vitest';
import { normalizeStrings, normalizeText } from './text';

describe('normalizeText', () => {
  it('removes soft hyphens so a hyphenated word matches its plain spelling', () => {
    expect(normalizeText('Deutsch\u00ADland steht fest an der Sei\u00ADte')).toBe(
      'Deutschland steht fest an der Seite',
    );
  });

  it('removes zero-width spaces, byte-order marks and bidirectional marks', () => {
    expect(normalizeText('\uFEFFnews\u200Broom \u200Fright\u202Eto\u202C left\u2060')).toBe(
      'newsroom rightto left',
    );
  });

  it('composes to NFC', () => {
    const decomposed = 'Cafe\u0301 Zu\u0308rich';
    expect(normalizeText(decomposed)).toBe('Café Zürich');
    expect(normalizeText(decomposed)).toHaveLength('Café Zürich'.length);
  });

  it('keeps the joiners that spell Persian words and emoji', () => {
    expect(normalizeText('می\u200Cخواهم')).toBe('می\u200Cخواهم');
    expect(normalizeText('👩\u200D💻')).toBe('👩\u200D💻');
  });

  it('normalises every string of a nested value and leaves other values alone', () => {
    const value = {
      title: 'Sei\u00ADte',
      tags: ['a\u200Bb'],
      count: 2,
      when: null,
      nested: { x: 'e\u0301' },
    };
    expect(normalizeStrings(value)).toEqual({
      title: 'Seite',
      tags: ['ab'],
      count: 2,
      when: null,
      nested: { x: 'é' },
    });
  });
});
