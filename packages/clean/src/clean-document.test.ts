import { describe, expect, it } from 'vitest';
import { cleanDocument } from './clean-document';
import { DocumentRejectedError } from './errors';
import { sniffFormat } from './sniff';

const ARTICLE = `<!doctype html><html lang="en"><head><title>Rates rise | Daily</title></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Rates rise</h1>
<p>The central bank raised its main rate by a quarter point on Tuesday, the third rise this year.</p>
<p>Officials said inflation, which has stayed above target for months, left them little choice.</p>
</article></body></html>`;

function rejection(run: () => unknown): DocumentRejectedError {
  try {
    run();
  } catch (error) {
    if (error instanceof DocumentRejectedError) return error;
    throw error;
  }
  throw new Error('expected a DocumentRejectedError');
}

describe('cleanDocument', () => {
  it('cleans HTML bytes end to end and records the charset', () => {
    const cleaned = cleanDocument({
      body: new TextEncoder().encode(ARTICLE),
      contentType: 'text/html; charset=utf-8',
    });
    expect(cleaned.format).toBe('html');
    expect(cleaned.headline).toBe('Rates rise');
    expect(cleaned.text).toBe(
      'The central bank raised its main rate by a quarter point on Tuesday, the third rise this year.\n\n' +
        'Officials said inflation, which has stayed above target for months, left them little choice.',
    );
    expect(cleaned).toMatchObject({ charset: 'utf-8', charsetSource: 'header' });
  });

  it('cleans a plain-text string without a content type', () => {
    const cleaned = cleanDocument({
      body: 'Rates rise\n\nThe central bank raised its main rate by a quarter point on Tuesday, the third rise this year.',
    });
    expect(cleaned.format).toBe('text');
    expect(cleaned.headline).toBe('Rates rise');
  });

  it('rejects an empty body', () => {
    expect(rejection(() => cleanDocument({ body: new Uint8Array() }))).toMatchObject({
      code: 'empty',
      message: 'body is empty',
    });
    expect(rejection(() => cleanDocument({ body: '  \n ' })).code).toBe('empty');
  });

  it('rejects binary bytes, naming what they look like', () => {
    const png = new Uint8Array([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52,
    ]);
    const error = rejection(() => cleanDocument({ body: png, contentType: 'text/html' }));
    expect(error.code).toBe('binary');
    expect(error.message).toBe('body looks binary (PNG image signature)');
    const noise = new Uint8Array(4096).map((_, i) => (i * 7) % 32);
    expect(rejection(() => cleanDocument({ body: noise })).message).toMatch(
      /^body looks binary \(\d+% control bytes\)$/,
    );
  });

  it('rejects invalid UTF-8 declared as UTF-8', () => {
    const garbage = new Uint8Array(2000).map((_, i) => (i % 3 === 0 ? 0xc3 : i % 3 === 1 ? 0x28 : 0xff));
    const error = rejection(() => cleanDocument({ body: garbage, contentType: 'text/plain; charset=utf-8' }));
    expect(error.code).toBe('invalid-encoding');
    expect(error.message).toMatch(/^body is not valid utf-8 \(\d+% of characters undecodable\)$/);
  });

  it('rejects 100,000 nested divs quickly and without overflowing the stack', () => {
    const html = `<html><body>${'<div>'.repeat(100_000)}deep${'</div>'.repeat(100_000)}</body></html>`;
    const started = performance.now();
    const error = rejection(() => cleanDocument({ body: html, contentType: 'text/html' }));
    expect(error).toMatchObject({ code: 'too-deep', message: 'HTML nests deeper than 1000 elements' });
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('rejects truncated HTML with no content, but cleans a truncated article', () => {
    const empty =
      '<html><head><title>x</title><script>var a = 1;</script></head><body><div class="nav"><a href="/">Ho';
    const error = rejection(() => cleanDocument({ body: empty, contentType: 'text/html' }));
    expect(error.code).toBe('no-content');
    expect(error.message).toMatch(/^no main content found in \d+ bytes of HTML$/);
    const truncated = ARTICLE.slice(0, ARTICLE.indexOf('left them') + 4);
    expect(cleanDocument({ body: truncated, contentType: 'text/html' }).text).toContain(
      'the third rise this year.',
    );
  });

  it('rejects bodies over 5 MB', () => {
    const error = rejection(() => cleanDocument({ body: new Uint8Array(5 * 1024 * 1024 + 1).fill(0x61) }));
    expect(error).toMatchObject({ code: 'too-large', message: 'body is 5.0 MB, over the 5.0 MB limit' });
  });
});

describe('sniffFormat', () => {
  it('tells HTML from text by content type and content', () => {
    expect(sniffFormat(ARTICLE)).toBe('html');
    expect(sniffFormat('Just words.\n\nMore words.', 'text/html')).toBe('text');
    expect(sniffFormat('<p>a</p><p>b</p><div>c</div>')).toBe('html');
    expect(sniffFormat('Plain text that mentions a < b and c > d.')).toBe('text');
    expect(sniffFormat(ARTICLE, 'text/plain')).toBe('html');
  });
});

describe('sniffing a page given without a content type', () => {
  const bigStyle = `<style type="text/css">${'.c{color:red;margin:0 auto}\n'.repeat(400)}</style>`;
  const page = `${bigStyle}\n<script type="text/javascript">var a = 1;</script>\n<title>Bridge reopens</title>\n${ARTICLE}`;

  it('reads a page opening with a style block over 8 KB as HTML, on its first markup', () => {
    expect(bigStyle.length).toBeGreaterThan(8192);
    expect(sniffFormat(page)).toBe('html');
    expect(sniffFormat(`\n  <!-- generated -->\n${page}`)).toBe('html');
    expect(sniffFormat(`<script>${'x=1;'.repeat(3000)}</script><p>a</p>`)).toBe('html');
  });

  it('cleans it as HTML: no script as title, no stylesheet as text', () => {
    const cleaned = cleanDocument({ body: Buffer.from(page) });
    expect(cleaned.format).toBe('html');
    expect(cleaned.text).not.toContain('color:red');
    expect(cleaned.text).not.toContain('var a');
  });

  it('still reads prose that mentions a tag as text', () => {
    expect(sniffFormat('Use the <style> element for CSS.\n\nThen more prose follows here.')).toBe('text');
    expect(sniffFormat('The p tag <p> starts a paragraph.')).toBe('text');
  });
});

describe('cleanDocument: the text form Sluice indexes', () => {
  it('drops soft hyphens (raw or as &shy;) and composes accents in the text, title and signals', () => {
    const html = `<html><head><title>Deutsch&shy;land steht fest an der Sei\u00ADte</title>
<meta property="og:site_name" content="Cafe\u0301 Zeitung"></head><body><article>
<h1>Deutsch&shy;land steht fest an der Sei\u00ADte</h1>
<p>Die Bundes&shy;regierung hat am Montag erklärt, dass Deutsch\u00ADland weiterhin fest an der Seite seiner Partner steht und die Zusammen\u200Barbeit ausbauen will.</p>
<p>Der Minister sagte in Berlin, man werde die Hilfe im kommenden Jahr verdoppeln und mit den Nachbarn abstimmen.</p>
</article></body></html>`;
    const cleaned = cleanDocument({ body: html, contentType: 'text/html' });
    const everything = JSON.stringify(cleaned);
    expect(everything).not.toMatch(/[\u00AD\u200B]/);
    expect(cleaned.text).toContain('Deutschland weiterhin fest');
    expect(cleaned.text).toContain('Bundesregierung');
    expect(everything).toContain('Deutschland steht fest an der Seite');
    expect(everything).toContain('Café Zeitung');
  });
});
