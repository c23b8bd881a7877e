import type { Quote } from '@sluice/contracts';
import { PERSON_TITLES, SPEECH_VERBS } from './entities/cues';
import { nameKey, type ResolvedEntity } from './entities/resolve';

const QUOTE = /["“„«]([^"“”„«»]{2,2000}?)["”“»]/g;
const VERBS = [...SPEECH_VERBS].filter((v) => v !== 'according').join('|');
/** `," Mr McCormack told reporters` / `," the spokesman said` */
const SPEAKER_AFTER = new RegExp(`^\\s*[,.!?…]*\\s*([^."“”]{1,70}?)\\s+(?:${VERBS})\\b`, 'iu');
/** `," said Mr McCormack` */
const SPEAKER_AFTER_INVERTED = new RegExp(`^\\s*[,.!?…]*\\s*(?:${VERBS})\\s+([^."“”,;:]{1,70})`, 'iu');
/** `Mr Mottaki said: "` / `McCormack said, "` */
const SPEAKER_BEFORE = new RegExp(`([^."“”:;]{1,80}?)\\s+(?:${VERBS})\\s*(?:that\\s*)?[:,]?\\s*$`, 'iu');
/** `," IRNA quoted Mottaki as saying` */
const QUOTED_AS_AFTER =
  /^\s*[,.!?…]*\s*[^."“”]{0,80}?\bquoted\s+([^."“”]{1,70}?)\s+as\s+(?:saying|telling|stating|adding)\b/iu;
/** `IRNA quoted Mottaki as saying: "` */
const QUOTED_AS_BEFORE =
  /\bquoted\s+([^."“”:;]{1,80}?)\s+as\s+(?:saying|stating|adding|telling\s+[^."“”:;]{1,40}?)\s*(?:that\s*)?[:,]?\s*$/iu;
const PRONOUN = /^(?:he|she)$/i;
/** Scare quotes ("heated exchanges") are not statements: unattributed quotes need this many words. */
const MIN_UNATTRIBUTED_WORDS = 5;

function stripTitles(phrase: string): string {
  const words = phrase
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^(?:the|an?|our|their|his|her)\s+/i, '')
    .split(' ');
  while (words.length > 1 && PERSON_TITLES.has(words[0]!.toLowerCase().replace(/\.$/, ''))) words.shift();
  return words.join(' ');
}

interface Speaker {
  name: string;
}

function lastPersonBefore(
  people: ResolvedEntity[],
  position: number,
  predicate: (e: ResolvedEntity) => boolean,
): Speaker | null {
  let best: { name: string; at: number } | null = null;
  for (const person of people) {
    if (!predicate(person)) continue;
    for (const [start] of person.positions) {
      if (start < position && (!best || start > best.at)) best = { name: person.name, at: start };
    }
  }
  return best ? { name: best.name } : null;
}

/** Resolves a speaker phrase to a person entity: by name or alias, by role ("the spokesman"), or by pronoun. */
function resolveSpeaker(phrase: string, people: ResolvedEntity[], position: number): Speaker | null {
  const trimmed = phrase.replace(/\s+/g, ' ').trim();
  if (!trimmed || trimmed.split(' ').length > 8) return null;
  const bare = stripTitles(trimmed.replace(/^.*\b(?:and|but|while|as)\s+/i, ''));
  const key = nameKey(bare);
  const named = people.find(
    (p) =>
      nameKey(p.name) === key ||
      p.aliases.some((a) => nameKey(a) === key) ||
      nameKey(p.name).endsWith(` ${key}`),
  );
  if (named) return { name: named.name };
  // A name inside a longer phrase ("State Department spokesman Sean McCormack").
  const inside = people.find((p) => ` ${nameKey(trimmed)} `.includes(` ${nameKey(p.name)} `));
  if (inside) return { name: inside.name };
  if (PRONOUN.test(trimmed)) return lastPersonBefore(people, position, () => true);
  const role = /^the\s+(?:[\p{L}-]+\s+)?([\p{L}-]+)$/iu.exec(trimmed)?.[1]?.toLowerCase();
  if (role)
    return lastPersonBefore(people, position, (p) => p.roles.some((r) => r.split(' ').includes(role)));
  return null;
}

/**
 * Direct quotations (straight, curly and guillemet quotes) with their speaker resolved to a person
 * entity where the text says who spoke: `"...," Mr X said`, `X said: "..."`, `"...," the spokesman
 * said`, `IRNA quoted X as saying: "..."` / `"...," IRNA quoted X as saying`. A paragraph that is only a quote continues the previous paragraph's attributed speaker.
 */
export function extractQuotes(text: string, entities: readonly ResolvedEntity[]): Quote[] {
  const people = entities.filter((e) => e.type === 'person');
  const quotes: Quote[] = [];
  let offset = 0;
  let previousSpeaker: string | null = null;
  for (const paragraph of text.split(/\n\s*\n/)) {
    const start = offset;
    offset += paragraph.length + 2;
    let paragraphSpeaker: string | null = null;
    const found: { text: string; speaker: string | null; continues: boolean }[] = [];
    QUOTE.lastIndex = 0;
    for (let m = QUOTE.exec(paragraph); m !== null; m = QUOTE.exec(paragraph)) {
      const inner = m[1]!
        .replace(/\s+/g, ' ')
        .trim()
        .replace(/\s*[,;]$/, '');
      const after = paragraph.slice(m.index + m[0].length, m.index + m[0].length + 120);
      const before = paragraph.slice(Math.max(0, m.index - 120), m.index);
      const phrase =
        QUOTED_AS_AFTER.exec(after)?.[1] ??
        QUOTED_AS_BEFORE.exec(before)?.[1] ??
        SPEAKER_AFTER.exec(after)?.[1] ??
        SPEAKER_AFTER_INVERTED.exec(after)?.[1] ??
        SPEAKER_BEFORE.exec(before)?.[1] ??
        null;
      const speaker = phrase ? resolveSpeaker(phrase, people, start + m.index) : null;
      if (speaker) paragraphSpeaker = speaker.name;
      const whole = paragraph.trim().startsWith(m[0].trim()[0]!) && m.index <= paragraph.search(/\S/);
      found.push({ text: inner, speaker: speaker?.name ?? null, continues: whole && !phrase });
    }
    for (const quote of found) {
      // Later quotes in an attributed paragraph, and quote-only paragraphs after one, keep that speaker.
      const words = quote.text.split(' ').length;
      const inherited =
        words >= MIN_UNATTRIBUTED_WORDS
          ? (paragraphSpeaker ?? (quote.continues ? previousSpeaker : null))
          : null;
      const speaker = quote.speaker ?? inherited;
      if (!speaker && words < MIN_UNATTRIBUTED_WORDS) continue;
      quotes.push({ text: quote.text, speaker });
    }
    previousSpeaker =
      found.length > 0
        ? (paragraphSpeaker ?? (found.every((q) => q.continues) ? previousSpeaker : null))
        : null;
  }
  return quotes;
}
