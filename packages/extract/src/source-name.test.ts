import { describe, expect, it } from 'vitest';
import { sourceName } from './source-name';

describe('sourceName', () => {
  it('prefers the source the submitter gave', () => {
    expect(sourceName('Coast Weekly', 'Foxy Folksy', 'https://www.foxyfolksy.com/a')).toBe('Coast Weekly');
  });

  it("falls back to the page's declared site name, then its host", () => {
    expect(sourceName(null, ' Foxy  Folksy ', 'https://www.foxyfolksy.com/a')).toBe('Foxy Folksy');
    expect(sourceName(null, null, 'https://www.foxyfolksy.com/a')).toBe('foxyfolksy.com');
    expect(sourceName('  ', '', 'https://news.example.org/x')).toBe('news.example.org');
  });

  it('is null only with nothing to go on', () => {
    expect(sourceName(null, null, null)).toBeNull();
    expect(sourceName(undefined, undefined, 'not a url')).toBeNull();
  });
});
