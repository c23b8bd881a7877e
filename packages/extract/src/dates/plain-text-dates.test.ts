import { cleanDocument } from '@sluice/clean';
import { describe, expect, it } from 'vitest';
import { extractDocument } from '../extract-document';

const headline = 'Proposed Islamic centre near Ground Zero divides New York';
const body = [
  'The plan to build an Islamic community centre two blocks from the site of the World Trade Center has divided the city, with opponents saying it disrespects the victims of the attacks.',
  "The towers fell on September 11, 2001, killing nearly 3,000 people. Relatives of the victims have led protests at the site in recent weeks, while supporters point to the constitution's guarantee of religious freedom.",
  'The landmarks commission is expected to rule on the building next month. The mayor has said that the government should not decide which places of worship may be built where.',
];

function datesOf(text: string, options: { lang?: string } = {}) {
  const cleaned = cleanDocument({ body: text, contentType: 'text/plain' });
  const document = extractDocument({
    id: 'a'.repeat(32),
    cleaned: { ...cleaned, lang: options.lang ?? cleaned.lang },
    fetchedAt: '2026-12-01T12:00:00Z',
  });
  return { publishedAt: document.publishedAt, source: document.publishedAtSource, title: document.title };
}

describe('plain text: the date line near the headline', () => {
  it.each([
    ['2010-07-02', '2010-07-02'],
    ['July 2, 2010', '2010-07-02'],
    ['2 July 2010', '2010-07-02'],
    ['Friday 2 July 2010 14.30 BST', '2010-07-02T14:30:00+01:00'],
    ['Published: 2010-07-02 09:15 EDT', '2010-07-02T09:15:00-04:00'],
    ['2010-07-02T09:15:00+02:00', '2010-07-02T09:15:00+02:00'],
    ['NEW YORK, July 2, 2010 (Reuters) -', '2010-07-02'],
    ['WASHINGTON — July 2, 2010', '2010-07-02'],
  ])('reads "%s" under the headline as %s, not the 2001 date in the body', (line, expected) => {
    const dates = datesOf([headline, line, ...body].join('\n\n'));
    expect(dates).toEqual({ publishedAt: expected, source: 'text:dateline', title: headline });
  });

  it('also reads the date line above the headline', () => {
    expect(datesOf(['2010-07-02', headline, ...body].join('\n\n')).publishedAt).toBe('2010-07-02');
  });

  it('reads 07/02/2010 in the order of the declared language', () => {
    const text = [headline, '07/02/2010', ...body].join('\n\n');
    expect(datesOf(text, { lang: 'en-US' }).publishedAt).toBe('2010-07-02');
    expect(datesOf(text, { lang: 'en-GB' }).publishedAt).toBe('2010-02-07');
    expect(datesOf(text, { lang: 'fr' }).publishedAt).toBe('2010-02-07');
  });

  it('leaves an undated article undated, saying why, instead of taking a date its body mentions', () => {
    expect(datesOf([headline, ...body].join('\n\n'))).toEqual({
      publishedAt: null,
      source: 'mentions-only',
      title: headline,
    });
  });
});

describe('an HTML page without publishing signals', () => {
  it('is undated rather than dated by the event its body mentions', () => {
    const html = `<html><head><title>${headline}</title></head><body><article><h1>${headline}</h1>${body
      .map((p) => `<p>${p}</p>`)
      .join('')}</article></body></html>`;
    const cleaned = cleanDocument({
      body: html,
      contentType: 'text/html',
      url: 'https://news.example/centre',
    });
    const document = extractDocument({ id: 'b'.repeat(32), cleaned, fetchedAt: '2026-12-01T12:00:00Z' });
    expect([document.publishedAt, document.publishedAtSource]).toEqual([null, 'mentions-only']);
  });
});
