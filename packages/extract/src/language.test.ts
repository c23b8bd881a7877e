import { describe, expect, it } from 'vitest';
import { detectLanguage, primaryLanguage } from './language';

const ENGLISH =
  'The United States has rejected holding higher-level talks with Iran, one day after their ambassadors met.';
const GERMAN =
  'Die Bundesregierung hat am Mittwoch beschlossen, die Hilfen für die betroffenen Regionen deutlich aufzustocken.';

describe('detectLanguage', () => {
  it('detects the language of the text', () => {
    expect(detectLanguage(ENGLISH)).toBe('en');
    expect(detectLanguage(GERMAN)).toBe('de');
  });

  it('keeps a plausible declaration and overrides a contradicted one', () => {
    expect(detectLanguage(ENGLISH, 'en-GB')).toBe('en');
    expect(detectLanguage(GERMAN, 'en')).toBe('de');
  });

  it('falls back to the declaration for short text, and null without either', () => {
    expect(detectLanguage('Hi', 'fr-FR')).toBe('fr');
    expect(detectLanguage('', null)).toBeNull();
    expect(primaryLanguage('not a tag!')).toBeNull();
  });
});
