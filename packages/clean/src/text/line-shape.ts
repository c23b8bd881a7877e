/** What a line of plain text looks like: the features the line classifier reads. */
export interface LineShape {
  text: string;
  words: number;
  /** Ends like a sentence: full stop, question or exclamation mark, possibly inside quotes. */
  sentenceEnd: boolean;
  /** Share of words that start with a capital letter. */
  capitalRatio: number;
  /** A run of running text: several words ending like a sentence, or long enough to be one. */
  prose: boolean;
}

const SENTENCE_END = /[.!?…。](?:["'”’»)\]]*)$/;

/** Characters of scripts written without spaces between words. */
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/gu;
/** Such characters per word, roughly (Chinese words average under two characters). */
const UNSPACED_CHARS_PER_WORD = 2;

export function shapeOf(text: string): LineShape {
  const tokens = text.split(/\s+/).filter((token) => /[\p{L}\p{N}]/u.test(token));
  // A Chinese or Japanese sentence is one "token": its characters stand in for the words.
  const unspaced = text.match(UNSPACED)?.length ?? 0;
  const words =
    unspaced > 0 ? Math.max(tokens.length, Math.round(unspaced / UNSPACED_CHARS_PER_WORD)) : tokens.length;
  let capitals = 0;
  for (const token of tokens) if (/^["'“‘(]?\p{Lu}/u.test(token)) capitals++;
  const sentenceEnd = SENTENCE_END.test(text);
  return {
    text,
    words,
    sentenceEnd,
    capitalRatio: words > 0 ? capitals / words : 0,
    prose: (sentenceEnd && words >= 6) || words >= 25,
  };
}
