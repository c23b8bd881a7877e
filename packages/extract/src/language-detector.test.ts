import { eld } from 'eld/small';
import { describe, expect, it } from 'vitest';
import { loadLanguageDetector } from './language-detector';

const SAMPLES = [
  'The government announced on Tuesday that the new bridge across the river will open next spring.',
  'Die Regierung kündigte am Dienstag an, dass die neue Brücke über den Fluss im Frühjahr eröffnet wird.',
  'Le gouvernement a annoncé mardi que le nouveau pont sur la rivière ouvrira au printemps prochain.',
  'El gobierno anunció el martes que el nuevo puente sobre el río se abrirá la próxima primavera.',
  'Правительство объявило во вторник, что новый мост через реку откроется следующей весной.',
  '政府は火曜日、川に架かる新しい橋が来年の春に開通すると発表した。',
  'bridge',
];

describe('the language detector read from the cached JSON tables', () => {
  it('answers exactly as eld/small does, language, scores and reliability', async () => {
    const detector = (await loadLanguageDetector()) as typeof eld;
    expect(detector).not.toBe(eld); // built from the JSON tables, not the fallback import
    for (const text of SAMPLES) {
      const ours = detector.detect(text);
      const theirs = eld.detect(text);
      expect(ours.language).toBe(theirs.language);
      expect(ours.isReliable()).toBe(theirs.isReliable());
      expect(ours.getScores()).toEqual(theirs.getScores());
    }
    expect(detector.detect(SAMPLES[1]!).language).toBe('de');
  });
});
