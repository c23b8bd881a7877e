import { describe, expect, it } from 'vitest';
import { cleanText } from './clean-text';

const article = [
  'The council approved the new budget on Tuesday after a debate that ran late into the night.',
  'Bus fares will fall by ten percent from March, and libraries will open on Sundays again.',
  'Transport',
  'The mayor said the savings came from merging two depots, a plan first proposed in 2019.',
  'Opposition members said the cuts to road repairs would cost more in the long run.',
];

describe('cleanText on a page flattened to text', () => {
  it('keeps the article and leaves out prose in a sidebar or footer that menus cut off from it', () => {
    const page = [
      'Home',
      'News',
      'Sport',
      'Weather',
      'Council passes budget',
      ...article,
      'Share this',
      'Most read',
      'Storm closes coastal road',
      'School wins robotics prize',
      'Local bakery celebrates 100 years',
      'Football club signs new coach',
      'Town News has covered the valley since 1921 and is owned by its readers, who elect the board.',
      'Contact us',
      'Privacy',
      '© 2024 Town News',
    ].join('\n\n');
    const cleaned = cleanText(page);
    expect(cleaned.text.split('\n\n')).toEqual(article);
    expect(cleaned.headline).toBe('Council passes budget');
  });

  it('drops furniture and calls to action inside the article, in several languages', () => {
    const page = [
      article[0],
      'Receive our monthly newsletter to stay on top of the latest news.',
      article[1],
      'Weitere Artikel zum Thema',
      article[3],
    ].join('\n\n');
    expect(cleanText(page).text.split('\n\n')).toEqual([article[0], article[1], article[3]]);
  });
});

describe('cleanText in scripts written without spaces', () => {
  it('reads Chinese sentences as prose', () => {
    const paragraphs = [
      '市议会周二批准了新的预算，辩论一直持续到深夜。公共汽车票价将从三月起下降百分之十。',
      '市长表示，节省下来的资金来自合并两个车库，这一计划最早于二零一九年提出。',
    ];
    const page = ['首页', '新闻', '体育', ...paragraphs, '相关新闻', '版权所有'].join('\n\n');
    expect(cleanText(page).text.split('\n\n')).toEqual(paragraphs);
  });
});

describe('cleanText headline on a flattened page', () => {
  it('skips bylines, dates, breadcrumbs and credits above the article, and prefers the line the lead echoes', () => {
    const page = [
      'Home » News » Local',
      'Weather warning for the coast',
      'Council passes budget after late debate',
      'Veröffentlicht am 10. Februar 2019 von Heiko',
      'By Jane Doe',
      'Photo: Town News',
      ...article,
    ].join('\n\n');
    expect(cleanText(page).headline).toBe('Council passes budget after late debate');
  });
});

describe('cleanText with readers comments', () => {
  it('takes the article before the comments heading, even when the comments are longer', () => {
    const comments = Array.from(
      { length: 8 },
      (_, n) =>
        `Reader ${n} wrote that the budget debate was long overdue and that the fares should fall further.`,
    );
    const page = ['Council passes budget', ...article.slice(0, 2), '12 Comments', ...comments].join('\n\n');
    expect(cleanText(page).text.split('\n\n')).toEqual(article.slice(0, 2));
  });
});

describe('cleanText datelines in other languages and forms', () => {
  it.each([
    ['Veröffentlicht am 10. Februar 2019, 14:05 Uhr'],
    ['Publié le 3 mars 2020 à 10h12'],
    ['12 de marzo de 2020'],
    ['Pubblicato il 5 maggio 2021 alle 09:30'],
    ['2010-07-02'],
    ['2010-07-02T09:15:00+02:00'],
    ['07/02/2010'],
    ['Published: 2010-07-02 09:15 EDT'],
    ['NEW YORK, July 2, 2010 (Reuters) -'],
    ['WASHINGTON — July 2, 2010'],
  ])('lifts "%s" out of the body as the dateline', (dateline) => {
    const cleaned = cleanText(['Council passes budget', dateline, ...article].join('\n\n'));
    expect(cleaned.dateHints).toContainEqual({ source: 'text:dateline', value: dateline });
    expect(cleaned.text).not.toContain(dateline);
    expect(cleaned.headline).toBe('Council passes budget');
  });
});
