import { describe, expect, it } from 'vitest';
import {
  findUnstorableText,
  removeUnstorableCharacters,
  scrubUnstorableText,
  unstorableCharacterIn,
} from './text-safety';

describe('text the index can store', () => {
  it('names a NUL character or a lone surrogate, and accepts ordinary text and emoji pairs', () => {
    expect(unstorableCharacterIn('a\u0000b')).toBe('a NUL character at offset 1');
    expect(unstorableCharacterIn('ab\uD800c')).toBe('a lone UTF-16 surrogate at offset 2');
    expect(unstorableCharacterIn('x\uDC00')).toBe('a lone UTF-16 surrogate at offset 1');
    expect(unstorableCharacterIn('Zürich 😀 – ok')).toBeNull();
  });

  it('removes NUL characters and replaces lone surrogates, leaving pairs alone', () => {
    expect(removeUnstorableCharacters('a\u0000b\uD800c😀')).toBe('ab\uFFFDc😀');
    expect(removeUnstorableCharacters('plain')).toBe('plain');
  });

  it('finds the first unstorable string in a nested value, with its path', () => {
    expect(findUnstorableText({ title: 'ok', entities: [{ name: 'A' }, { name: 'B\u0000' }] })).toBe(
      'entities[1].name: a NUL character at offset 1',
    );
    expect(findUnstorableText({ meta: { 'k\uDFFF': 'v' } })).toBe(
      'meta.(a key): a lone UTF-16 surrogate at offset 1',
    );
    expect(findUnstorableText({ text: 'fine', n: 3, list: [null, true] })).toBeNull();
  });

  it('scrubs every string and key of a nested value', () => {
    const scrubbed = scrubUnstorableText({ text: 'a\u0000', jsonLd: [{ 'h\u0000': '\uD800' }], n: 1 });
    expect(scrubbed).toEqual({ text: 'a', jsonLd: [{ h: '\uFFFD' }], n: 1 });
    expect(findUnstorableText(scrubbed)).toBeNull();
  });
});
