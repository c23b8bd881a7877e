import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cleanText } from './clean-text';

const seedsDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../shared/seeds');
const present = existsSync(resolve(seedsDir, 'index.json'));
if (!present) console.log(`seeds tests skipped: ${seedsDir} is absent`);

/** Per seed: its headline, its dateline, and the lines that are page chrome (from reading the files). */
const EXPECTED: Record<string, { headline: string; dateline: string; chrome: string[] }> = {
  '000': {
    headline: 'US rejects high-level talks with Iran',
    dateline: 'Posted Thu Jul 26, 2007 5:14am AEST',
    chrome: [],
  },
  '001': {
    headline: 'US Rejects Iranian Proposal for Higher-Level Talks on Iraq',
    dateline: '25 July 2007',
    chrome: [
      'The Largest Security-Cleared Career Network for Defense and Intelligence Jobs - JOIN NOW',
      'Weapons of Mass Destruction (WMD)',
      'Join the mailing list',
      'One Billion Americans: The Case for Thinking Bigger - by Matthew Yglesias',
    ],
  },
  '002': {
    headline: 'Iran Ready to Consider Higher Level Talks with US over Iraq',
    dateline: '25 July 2007',
    chrome: [
      'The Largest Security-Cleared Career Network for Defense and Intelligence Jobs - JOIN NOW',
      'Weapons of Mass Destruction (WMD)',
      'Join the mailing list',
      'One Billion Americans: The Case for Thinking Bigger - by Matthew Yglesias',
    ],
  },
  '003': {
    headline: 'US wants fresh Iran talks on Iraq',
    dateline: 'Last Updated: Tuesday, 17 July 2007, 16:28 GMT 17:28 UK',
    chrome: [
      'BBC Home',
      'Explore the BBC',
      'BBC News',
      'Launch consoleBBC NEWS CHANNEL',
      'US warns Iran over arming Iraqis',
      '28 May 07 | Middle East',
      'The BBC is not responsible for the content of external internet sites',
      "Has China's housing bubble burst?",
      "How the world's oldest clove tree defied an empire",
      'Why Royal Ballet principal Sergei Polunin quit',
      'Americas Africa Europe Middle East South Asia Asia Pacific',
    ],
  },
  '004': {
    headline: 'US Ready For Another Meeting With Iran',
    dateline: '',
    chrome: ['Accessibility links', 'Breaking News', 'News', 'XS', 'SM', 'MD', 'LG'],
  },
};

const squash = (text: string) => text.replace(/[\s\u00a0]+/g, ' ').trim();

describe.skipIf(!present)('cleanText on the seed articles', () => {
  const index = present
    ? (JSON.parse(readFileSync(resolve(seedsDir, 'index.json'), 'utf8')) as Array<{
        file: string;
        title: string;
      }>)
    : [];
  for (const seed of index) {
    const expected = EXPECTED[seed.file.slice(0, 3)];
    if (!expected) throw new Error(`no expectations written for seed ${seed.file}`);
    const raw = readFileSync(resolve(seedsDir, seed.file), 'utf8');
    const lines = raw.split('\n').map(squash).filter(Boolean);
    const cleaned = cleanText(raw);
    const body = cleaned.text.split('\n\n').map(squash);

    it(`${seed.file}: finds the headline and lifts it out of the body`, () => {
      expect(cleaned.headline).toBe(expected.headline);
      expect(seed.title.toLowerCase()).toBe(expected.headline.toLowerCase());
      expect(cleaned.titleCandidates).toContainEqual({ source: 'text:headline', value: expected.headline });
      expect(body).not.toContain(expected.headline);
    });

    it(`${seed.file}: finds the dateline and lifts it out of the body`, () => {
      if (expected.dateline) {
        expect(cleaned.dateHints).toContainEqual({ source: 'text:dateline', value: expected.dateline });
        expect(body).not.toContain(expected.dateline);
      } else {
        expect(cleaned.dateHints).toEqual([]);
      }
    });

    it(`${seed.file}: keeps every article paragraph and drops every chrome line`, () => {
      const chrome = new Set(expected.chrome.map(squash));
      const article = lines.filter(
        (line) => !chrome.has(line) && line !== expected.headline && line !== expected.dateline,
      );
      expect(body).toEqual(article);
      for (const line of chrome) expect(cleaned.text).not.toContain(line);
    });
  }
});
