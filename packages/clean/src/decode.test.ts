import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeBody } from './decode';

const utf8 = (text: string) => new TextEncoder().encode(text);

describe('decodeBody', () => {
  it('honours a byte-order mark over everything else', () => {
    const bytes = new Uint8Array([0xff, 0xfe, ...iconv.encode('<p>Grüße</p>', 'utf-16le')]);
    expect(decodeBody(bytes, 'text/html; charset=iso-8859-1')).toEqual({
      text: '<p>Grüße</p>',
      charset: 'utf-16le',
      charsetSource: 'bom',
    });
  });

  it('uses the transport charset before the meta declaration', () => {
    const bytes = iconv.encode('<meta charset="utf-8"><p>Grüße</p>', 'windows-1252');
    const decoded = decodeBody(bytes, 'text/html; charset=windows-1252');
    expect(decoded.text).toContain('Grüße');
    expect(decoded.charsetSource).toBe('header');
  });

  it('reads <meta charset> and http-equiv declarations in the first bytes', () => {
    const cyrillic = iconv.encode(
      '<html><head><meta charset="windows-1251"></head><p>Привет, мир</p>',
      'windows-1251',
    );
    expect(decodeBody(cyrillic)).toMatchObject({ charset: 'windows-1251', charsetSource: 'meta' });
    expect(decodeBody(cyrillic).text).toContain('Привет, мир');
    const latin = iconv.encode(
      '<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1"><p>Café</p>',
      'latin1',
    );
    expect(decodeBody(latin)).toMatchObject({ charset: 'windows-1252', charsetSource: 'meta' });
    expect(decodeBody(latin).text).toContain('Café');
  });

  it('falls back to UTF-8 when it is valid, else to a statistical guess', () => {
    expect(decodeBody(utf8('<p>naïve café</p>'))).toEqual({
      text: '<p>naïve café</p>',
      charset: 'utf-8',
      charsetSource: 'default',
    });
    const german = iconv.encode(
      '<p>Die Bürgerinnen und Bürger äußerten sich über die Größe der Straßen und die Öffnungszeiten der Ämter.</p>'.repeat(
        5,
      ),
      'windows-1252',
    );
    const decoded = decodeBody(german);
    expect(decoded.charsetSource).toBe('guess');
    expect(decoded.text).toContain('Bürgerinnen');
  });

  it('re-guesses a page that declares UTF-8 but is a legacy charset', () => {
    const text = `<p>${'Ein ganz normaler deutscher Satz über Straßen und Plätze. '.repeat(3)}</p>`;
    const decoded = decodeBody(iconv.encode(text, 'windows-1252'), 'text/html; charset=utf-8');
    expect(decoded.text).toContain('über Straßen');
    expect(decoded.charsetSource).toBe('guess');
  });

  it('decodes valid multi-byte UTF-8 as UTF-8 whatever a legacy declaration says', () => {
    const chinese = utf8('<meta charset="gb2312"><p>谷歌在2014年收购的人工智能公司开发出一款计算机。</p>');
    expect(decodeBody(chinese)).toMatchObject({ charset: 'utf-8', charsetSource: 'content' });
    expect(decodeBody(chinese).text).toContain('人工智能公司');
    const french = utf8('<p>Le café était fermé.</p>');
    expect(decodeBody(french, 'text/html; charset=ISO-8859-1')).toMatchObject({
      text: '<p>Le café était fermé.</p>',
      charsetSource: 'content',
    });
    // Plain ASCII keeps its declaration: nothing in the bytes contradicts it.
    expect(decodeBody(utf8('<p>plain</p>'), 'text/html; charset=windows-1252').charsetSource).toBe('header');
  });
});
