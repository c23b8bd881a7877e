import { describe, expect, it } from 'vitest';
import { normalizeCanonicalUrl } from './canonical-url';

describe('normalizeCanonicalUrl', () => {
  it('drops tracking parameters and fragments and sorts the query', () => {
    expect(normalizeCanonicalUrl('HTTPS://News.Example.com:443/a/b/?utm_source=x&b=2&a=1&fbclid=z#top')).toBe(
      'https://news.example.com/a/b?a=1&b=2',
    );
  });

  it('resolves relative links against the page and rejects non-web URLs', () => {
    expect(normalizeCanonicalUrl('/story?id=7', 'https://example.com/x/y')).toBe(
      'https://example.com/story?id=7',
    );
    expect(normalizeCanonicalUrl('javascript:void(0)')).toBeNull();
    expect(normalizeCanonicalUrl('not a url')).toBeNull();
    expect(normalizeCanonicalUrl('')).toBeNull();
  });
});
