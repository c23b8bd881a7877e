/**
 * Generic vocabulary of page furniture flattened into text: navigation words, sign-up and
 * mailing-list prompts, share and print widgets, accessibility links, screen-size pickers,
 * disclaimers about external links. Matched against whole short lines only.
 */
const CHROME_LINE = new RegExp(
  [
    '^(?:home|news|menu|search|sections?|more|top stories|latest|breaking news|most (?:read|popular|viewed))$',
    '\\b(?:join|sign up|signup|subscribe|register|log ?in|sign in)\\b.*\\b(?:now|today|free|newsletter|mailing list|list)\\b',
    '^(?:join|sign up for|subscribe to) (?:the|our) (?:mailing list|newsletter)',
    '^(?:accessibility|skip) (?:links?|to (?:main )?content|navigation)',
    '^(?:share|print|e-?mail|tweet|comments?)(?: this(?: story| article| page)?)?$',
    '^(?:launch|open) (?:console|player|video|gallery)',
    '^explore\\b',
    '\\bnot responsible for the content of external\\b',
    '^(?:advertisement|sponsored|related (?:stories|articles|links|content)|see also|read more|also in the news)\\b',
    '^(?:xs|sm|md|lg|xl|small|medium|large|text size|font size|[aA]\\+?|[aA]-)$',
    '^(?:©|\\(c\\)|copyright)\\b',
    '\\ball rights reserved\\b',
    '\\bjavascript\\b.*\\b(?:enable|disabled|required)\\b',
  ].join('|'),
  'i',
);

export function isChromeLine(line: string): boolean {
  return line.length <= 160 && CHROME_LINE.test(line);
}

/** A teaser for another story: "Headline / 28 May 07 | Section" style link lines. */
export function isTeaserLine(line: string): boolean {
  return /\s\|\s*[\p{Lu}][\p{L} ]{1,30}$/u.test(line) && line.length < 80;
}
