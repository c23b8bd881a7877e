import { describe, expect, it } from 'vitest';
import {
  documentIdForContent,
  documentIdForRaw,
  documentIdForUrl,
  normalizeDocumentUrl,
} from './document-id';

describe('document ids', () => {
  it('ignores fragments, tracking parameters, parameter order and host case', () => {
    const base = documentIdForUrl('https://news.example/world/story?id=7&page=2');
    expect(documentIdForUrl('https://NEWS.example/world/story?page=2&id=7#comments')).toBe(base);
    expect(documentIdForUrl('https://news.example/world/story?id=7&page=2&utm_source=rss&fbclid=abc')).toBe(
      base,
    );
    expect(documentIdForUrl('https://news.example/world/story?id=8&page=2')).not.toBe(base);
  });

  it('is 32 hex digits and differs between URL and content ids', () => {
    expect(documentIdForUrl('https://a.example/')).toMatch(/^[0-9a-f]{32}$/);
    expect(documentIdForContent('https://a.example/')).not.toBe(documentIdForUrl('https://a.example/'));
  });

  it('hashes the decoded bytes of a raw document, whatever its transfer encoding', () => {
    const text = 'Grüße aus Köln';
    expect(documentIdForRaw({ body: text, encoding: 'utf8' })).toBe(
      documentIdForRaw({ body: Buffer.from(text).toString('base64'), encoding: 'base64' }),
    );
    expect(() => documentIdForRaw({ body: '', encoding: 'utf8' })).toThrow(/empty/);
  });

  it('refuses what is not an http(s) URL', () => {
    expect(() => normalizeDocumentUrl('ftp://files.example/a')).toThrow(/http/);
    expect(() => normalizeDocumentUrl('not a url')).toThrow();
  });
});
