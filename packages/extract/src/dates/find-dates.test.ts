import { describe, expect, it } from 'vitest';
import { findDates, formatFoundDate } from './find-dates';

const first = (text: string, monthFirst = false) => {
  const found = findDates(text, { monthFirst })[0];
  return found ? formatFoundDate(found) : null;
};

describe('findDates', () => {
  it('reads datelines with time and zone abbreviations', () => {
    expect(first('Posted Thu Jul 26, 2007 5:14am AEST')).toBe('2007-07-26T05:14:00+10:00');
    expect(first('Last Updated: Tuesday, 17 July 2007, 16:28 GMT 17:28 UK')).toBe('2007-07-17T16:28:00Z');
    expect(first('Published 3 May 2016 at 10:20 p.m. EDT')).toBe('2016-05-03T22:20:00-04:00');
  });

  it('reads ISO 8601 with offsets', () => {
    expect(first('2019-03-04T10:20:30+0100')).toBe('2019-03-04T10:20:30+01:00');
    expect(first('2020-08-25T00:23:33.312Z')).toBe('2020-08-25T00:23:33Z');
    expect(first('2020-06-29')).toBe('2020-06-29');
  });

  it('reads month names in several languages', () => {
    expect(first('am 26. Juli 2007 um 17.30 Uhr')).toBe('2007-07-26T17:30:00');
    expect(first('le 3 février 2019')).toBe('2019-02-03');
    expect(first('26 de julio de 2007')).toBe('2007-07-26');
    expect(first('1 марта 2017')).toBe('2017-03-01');
    expect(first('12 października 2018')).toBe('2018-10-12');
    expect(first('2007年7月26日')).toBe('2007-07-26');
  });

  it('reads numeric dates by locale and by impossible values', () => {
    expect(first('04.03.2019 - 14:22')).toBe('2019-03-04T14:22:00');
    expect(first('03/04/2019', true)).toBe('2019-03-04');
    expect(first('03/04/2019', false)).toBe('2019-04-03');
    expect(first('25/12/2019', true)).toBe('2019-12-25');
    expect(first('2019/12/25')).toBe('2019-12-25');
  });

  it('ignores impossible dates and bare numbers', () => {
    expect(first('31 February 2019')).toBeNull();
    expect(first('2019-13-45')).toBeNull();
    expect(first('call 555-1234 or 12345678')).toBeNull();
  });

  it('reads Arabic month names, paired Levantine/Egyptian names and non-ASCII digits', () => {
    const ymd = (text: string) =>
      findDates(text, { limit: 1 }).map((d) => `${d.year}-${d.month}-${d.day}`)[0] ?? null;
    expect(ymd('الأربعاء، 07 أكتوبر 2020 - 12:09 م')).toBe('2020-10-7');
    expect(ymd('تم نشره الجمعة 24 نيسان / أبريل 2020 09:22 مساءً')).toBe('2020-4-24');
    expect(ymd('١٥ كانون الأول ٢٠١٩')).toBe('2019-12-15');
    expect(ymd('প্রকাশ ২০২০-০২-১৮')).toBe('2020-2-18');
  });
});
