/** A word or punctuation mark with its offsets in the text. */
export interface Token {
  text: string;
  start: number;
  end: number;
  /** Starts with a capital letter (or is a particle-prefixed name such as "al-Maliki"). */
  capitalised: boolean;
  /** Starts a sentence or paragraph. */
  sentenceStart: boolean;
}

const TOKEN =
  /(?:\p{Lu}\.){2,}|[\p{L}\p{N}][\p{L}\p{N}\p{M}'’]*(?:-[\p{L}\p{N}][\p{L}\p{N}\p{M}'’]*)*|\n\s*\n|[^\s\p{L}\p{N}]/gu;
const PARTICLE_NAME = /^(?:al|el|bin|ibn|abu|van|von|de|da|di|du|le|la|ul)-\p{Lu}/u;

/**
 * A hex colour or hash written in capitals ("B0C4DE", "FF8800", "3F2A"): six (or eight, or three
 * or four) hex digits, at least two of them letters and two numerals. Such a token names nothing,
 * so it never starts or joins a name. Model codes with one letter ("F16", "A380", "B52") stay
 * possible names.
 */
export function isHexCode(value: string): boolean {
  if (!/^(?:[0-9A-F]{3,4}|[0-9A-F]{6}|[0-9A-F]{8})$/.test(value)) return false;
  const numerals = value.replace(/[A-F]/g, '').length;
  return numerals >= 2 && value.length - numerals >= 2;
}

/** Splits text into word and punctuation tokens in one regex pass, marking capitals and sentence starts. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let sentenceStart = true;
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m !== null; m = TOKEN.exec(text)) {
    const value = m[0];
    if (value.startsWith('\n')) {
      sentenceStart = true;
      tokens.push({
        text: '\n',
        start: m.index,
        end: m.index + value.length,
        capitalised: false,
        sentenceStart: false,
      });
      continue;
    }
    const isWord = /[\p{L}\p{N}]/u.test(value[0]!);
    const capitalised = isWord && (/^\p{Lu}/u.test(value) || PARTICLE_NAME.test(value)) && !isHexCode(value);
    tokens.push({
      text: value,
      start: m.index,
      end: m.index + value.length,
      capitalised,
      sentenceStart: sentenceStart && isWord,
    });
    if (isWord) sentenceStart = false;
    else if (value === '.' || value === '!' || value === '?' || value === ':') {
      // "Mr." and initials ("J.") do not end a sentence.
      const previous = tokens[tokens.length - 2];
      if (
        !(
          value === '.' &&
          previous &&
          /^(?:\p{Lu}|Mr|Mrs|Ms|Dr|Gen|Col|Lt|Sgt|Capt|Prof|Rev|Sen|Rep|Gov|St|Jr|Sr)$/u.test(previous.text)
        )
      ) {
        sentenceStart = true;
      }
    }
  }
  return tokens;
}
