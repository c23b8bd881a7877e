import type { EntityType } from '@sluice/contracts';
import { TIME_ZONE_OFFSETS } from '../dates/time-zones';
import {
  MEMBER_NOUNS,
  NOT_NAMES,
  ORG_CUES,
  PERSON_ROLES,
  PERSON_TITLES,
  PLACE_CUES,
  PLACE_PREPOSITIONS,
  PLACE_PREPOSITIONS_FOR_RUNS,
  PLACE_VERBS,
  RUN_SPLITTERS,
  SPEECH_VERBS,
  TITLE_QUALIFIERS,
} from './cues';
import { KNOWN_ORGANISATIONS, PLACES } from './gazetteer';
import { isCommonWord, isKnownFirstName, isKnownNameWord } from './lexicon';
import { type Token, tokenize } from './tokens';

/** One occurrence of a name in the text. `type` is null when only alias resolution can tell. */
export interface Mention {
  type: EntityType | null;
  /** The name as written, without titles, "the" or possessive ("Sean McCormack", "U.S.", "Iran"). */
  surface: string;
  /** Canonical form known from the gazetteer, if any. */
  canonical: string | null;
  start: number;
  end: number;
  /** Title and role words seen with this mention ("spokesman", "foreign minister"). */
  roles: string[];
  /** Written with an honorific or title ("Mr McCormack"), so surely a person. */
  titled: boolean;
  /** The form to list among aliases when it differs from `surface` ("Mr McCormack"). */
  seen?: string;
  /** An unknown single word used as the subject of a speech verb ("Lagarde added"): a person if nothing else. */
  speaker?: boolean;
}

const lower = (token: Token) => token.text.toLowerCase().replace(/\.$/, '');
const POSSESSIVE = /['’]s?$/;
const CONNECTORS = new Set([
  'of',
  'bin',
  'ibn',
  'van',
  'von',
  'de',
  'del',
  'der',
  'da',
  'di',
  'al',
  'el',
  'la',
  'le',
]);
/** Capitalised last words that make a run a place ("Red Sea", "Rocky Mountains", "Lake Chad" aside). */
const PLACE_HEADS = new Set([
  'sea',
  'ocean',
  'river',
  'mountains',
  'valley',
  'desert',
  'island',
  'islands',
  'peninsula',
  'strait',
  'province',
  'governorate',
  'oblast',
  'county',
  'district',
]);
/** Last words that make a run an organisation though they are no cue anywhere else ("Amnesty International"). */
const ORG_LAST_WORDS = new Set(['international', 'watch', 'worldwide', 'without borders']);
const CORPORATE_SUFFIXES = new Set(['inc', 'corp', 'ltd', 'llc', 'plc', 'co', 'ag', 'gmbh', 'sa', 'nv']);
const HONORIFICS = new Set(['mr', 'mrs', 'ms', 'dr', 'prof', 'sir', 'dame']);
const ACRONYM = /^(?:\p{Lu}\.){2,}$|^\p{Lu}[\p{Lu}\d&]{1,6}$/u;

function isTitleWord(word: string, next: string | undefined): boolean {
  if (word === 'prime' || TITLE_QUALIFIERS.has(word))
    return next !== undefined && (PERSON_TITLES.has(next) || next === 'minister');
  return PERSON_TITLES.has(word);
}

/** Runs of capitalised tokens, joined across "of"/name particles and abbreviation dots. */
function capitalisedRuns(tokens: Token[]): [number, number][] {
  const runs: [number, number][] = [];
  let i = 0;
  while (i < tokens.length) {
    if (!tokens[i]!.capitalised) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < tokens.length) {
      const token = tokens[j]!;
      if (token.capitalised && !POSSESSIVE.test(tokens[j - 1]!.text)) {
        j++;
      } else if (
        token.text === '.' &&
        /^(?:\p{Lu}|Mr|Mrs|Ms|Dr|Gen|Col|Lt|Sgt|Capt|Prof|Rev|Sen|Rep|Gov|Brig|Maj)$/u.test(
          tokens[j - 1]!.text,
        ) &&
        tokens[j + 1]?.capitalised
      ) {
        j++;
      } else if (
        CONNECTORS.has(token.text) &&
        tokens[j + 1]?.capitalised &&
        !POSSESSIVE.test(tokens[j - 1]!.text)
      ) {
        j++;
      } else break;
    }
    runs.push([i, j]);
    i = j;
  }
  return runs;
}

function stripPossessive(text: string): string {
  return text.replace(/['’]s$/, '').replace(/['’]$/, '');
}

interface Context {
  text: string;
  tokens: Token[];
  out: Mention[];
  /** Only gazetteer names: for languages whose capitalisation the English rules cannot read. */
  gazetteerOnly: boolean;
}

function emit(
  ctx: Context,
  type: EntityType | null,
  words: Token[],
  canonical: string | null,
  roles: string[],
  titled = false,
): void {
  if (words.length === 0) return;
  const first = words[0]!;
  const last = words[words.length - 1]!;
  const surface = stripPossessive(ctx.text.slice(first.start, last.end)).replace(/\s+/g, ' ');
  if (surface.length < 2) return;
  ctx.out.push({ type, surface, canonical, start: first.start, end: last.end, roles, titled });
}

/** Longest run of words at `from` (up to 5) that the gazetteer knows as a place or organisation. */
function gazetteerPrefix(
  words: Token[],
  from: number,
): { length: number; type: EntityType; canonical: string } | null {
  for (let length = Math.min(5, words.length - from); length >= 1; length--) {
    const slice = words.slice(from, from + length);
    if (slice.some((w) => w.text === '.')) continue;
    const name = stripPossessive(slice.map((w) => w.text).join(' ')).toLowerCase();
    const place = PLACES.get(name);
    if (place) return { length, type: 'place', canonical: place.canonical };
    const org = KNOWN_ORGANISATIONS.get(name);
    if (org) return { length, type: 'organization', canonical: org };
  }
  return null;
}

function previousWord(ctx: Context, index: number, skipComma: boolean): Token | null {
  let k = index - 1;
  if (skipComma && ctx.tokens[k]?.text === ',') k--;
  const token = ctx.tokens[k];
  return token && /[\p{L}]/u.test(token.text[0]!) ? token : null;
}

/** Classifies the words of one capitalised run (already split at possessives and stop words). */
function classifyRun(
  ctx: Context,
  words: Token[],
  startIndex: number,
  endIndex: number,
  afterThe: boolean,
): void {
  let i = 0;
  while (i < words.length) {
    const rest = words.slice(i).filter((w) => w.text !== '.');
    if (rest.length === 0) return;
    const gazetteer = gazetteerPrefix(words, i);
    if (gazetteer) {
      // "Apple Inc": a company suffix after a known organisation belongs to its name.
      const suffix = words[i + gazetteer.length];
      if (gazetteer.type === 'organization' && suffix && CORPORATE_SUFFIXES.has(lower(suffix))) {
        emit(ctx, 'organization', words.slice(i, i + gazetteer.length + 1), null, []);
        i += gazetteer.length + 1;
        continue;
      }
      emit(ctx, gazetteer.type, words.slice(i, i + gazetteer.length), gazetteer.canonical, []);
      i += gazetteer.length;
      continue;
    }
    if (ctx.gazetteerOnly) {
      i++;
      continue;
    }
    // Titles: "Foreign Minister Manouchehr Mottaki", "Brig Gen Kevin J Bergner", "Mr McCormack".
    const roles: string[] = [];
    // A portfolio or qualifier may precede the title ("Environment Minister Steven Guilbeault").
    let k = i;
    const titleAt = words.findIndex(
      (w, index) =>
        index >= i && isTitleWord(lower(w), words[index + 1] ? lower(words[index + 1]!) : undefined),
    );
    if (
      titleAt > i &&
      titleAt < words.length - 1 &&
      !words.slice(i, titleAt).some((w) => ORG_CUES.has(lower(w)))
    ) {
      k = titleAt;
    }
    const titleStart = k;
    while (k < words.length) {
      const word = lower(words[k]!);
      const next = words[k + 1] ? lower(words[k + 1]!) : undefined;
      const parts = word.split('-');
      if (words[k]!.text === '.' && roles.length > 0) k++;
      else if (word === 'of' && roles.length > 0 && k + 2 < words.length) {
        // "Secretary of State Antony Blinken", "Chief of Staff ..."
        roles.push(`of ${lower(words[k + 1]!)}`);
        k += 2;
      } else if (isTitleWord(word, next) || (parts.length > 1 && parts.every((p) => PERSON_TITLES.has(p)))) {
        roles.push(word);
        k++;
      } else break;
    }
    if (roles.length > 0 && k < words.length) {
      const name = words.slice(k).filter((w) => w.text !== '.');
      if (
        !name.some((w) => ORG_CUES.has(lower(w))) &&
        !words.slice(i, k).some((w) => ORG_CUES.has(lower(w)))
      ) {
        emit(ctx, 'person', name, null, [roles.join(' ')], true);
        const honorific = words.slice(titleStart, k).filter((w) => w.text !== '.');
        if (honorific.length === 1 && HONORIFICS.has(lower(honorific[0]!))) {
          const mention = ctx.out[ctx.out.length - 1]!;
          mention.seen = stripPossessive(ctx.text.slice(words[titleStart]!.start, mention.end)).replace(
            /\s+/g,
            ' ',
          );
        }
        return;
      }
    }
    const nextToken = ctx.tokens[endIndex];
    const nextWord = nextToken && /^\p{Ll}/u.test(nextToken.text) ? nextToken.text.toLowerCase() : null;
    const isLastPossessive = POSSESSIVE.test(words[words.length - 1]!.text);
    const lastWord = lower(rest[rest.length - 1]!);
    if (rest.length >= 2 && PLACE_HEADS.has(lastWord) && !rest.some((w) => ORG_CUES.has(lower(w)))) {
      emit(ctx, 'place', rest, null, []);
      return;
    }
    if (
      (rest.length >= 2 && ORG_LAST_WORDS.has(lastWord)) ||
      rest.some((w) => ORG_CUES.has(lower(w)) && /^\p{Lu}/u.test(w.text))
    ) {
      emit(ctx, 'organization', rest, null, []);
      return;
    }
    if (nextWord && !isLastPossessive && PLACE_CUES.has(nextWord)) {
      emit(ctx, 'place', rest, null, []);
      return;
    }
    const previous = i === 0 ? previousWord(ctx, startIndex, true) : null;
    const role =
      previous && PERSON_ROLES.has(previous.text.toLowerCase()) ? previous.text.toLowerCase() : null;
    if (rest.length === 1 && ACRONYM.test(stripPossessive(rest[0]!.text))) {
      const acronym = stripPossessive(rest[0]!.text);
      if (TIME_ZONE_OFFSETS.has(acronym) || (isCommonWord(acronym) && acronym.length > 3)) return;
      // "(WMD)" after a name abbreviates it: an alias of the organisation just before, else not a name.
      if (ctx.tokens[startIndex - 1]?.text === '(' && ctx.tokens[endIndex]?.text === ')') {
        const before = ctx.out[ctx.out.length - 1];
        if (before?.type === 'organization' && ctx.text.slice(before.end, rest[0]!.start).trim() === '(') {
          emit(ctx, 'organization', rest, before.canonical ?? before.surface, []);
        }
        return;
      }
      // An acronym that only modifies a plural noun ("EFP networks") is a thing, not an organisation.
      if (
        nextWord &&
        /s$/.test(nextWord) &&
        nextWord !== 'news' &&
        !SPEECH_VERBS.has(nextWord) &&
        !MEMBER_NOUNS.has(nextWord)
      )
        return;
      emit(ctx, 'organization', rest, null, []);
      return;
    }
    if (rest.length >= 2) {
      const nameWords = rest.filter((w) => !CONNECTORS.has(w.text));
      const before = ctx.tokens[startIndex - 1];
      if (
        before &&
        PLACE_PREPOSITIONS_FOR_RUNS.has(before.text.toLowerCase()) &&
        role === null &&
        !isKnownFirstName(nameWords[0]!.text) &&
        !(nextWord !== null && SPEECH_VERBS.has(nextWord)) &&
        !isLastPossessive &&
        !rest.some((w) => w.text === 'of')
      ) {
        emit(ctx, 'place', rest, null, []);
        return;
      }
      const personLike =
        (!afterThe || role !== null) &&
        (role !== null ||
          isKnownFirstName(nameWords[0]!.text) ||
          (nextWord !== null && SPEECH_VERBS.has(nextWord)) ||
          (nameWords.length <= 4 &&
            nameWords.some((w) => isKnownNameWord(w.text)) &&
            !rest.some((w) => w.text === 'of')));
      if (personLike && nameWords.length <= 5) emit(ctx, 'person', rest, null, role ? [role] : []);
      else if (
        (nextWord && !isLastPossessive && MEMBER_NOUNS.has(nextWord)) ||
        (afterThe && nextWord && SPEECH_VERBS.has(nextWord))
      ) {
        emit(ctx, 'organization', rest, null, []);
      }
      return;
    }
    // A single unknown word: an organisation when members of it are mentioned ("Hezbollah fighter"),
    // a person when a role precedes it, otherwise left for alias resolution.
    const single = rest[0]!;
    const before = ctx.tokens[startIndex - 1];
    // At a sentence start only a word that is neither an ordinary word nor a given name ("Hezbollah
    // fighters fired", not "Local officials said").
    if (
      nextWord &&
      !isLastPossessive &&
      MEMBER_NOUNS.has(nextWord) &&
      (single.sentenceStart
        ? /s$/.test(nextWord) &&
          !isCommonWord(single.text) &&
          !isKnownFirstName(single.text) &&
          !/(?:tion|sion|ment|ity|ness|ism|ing|ist|ive|al|ary|ory|ic|ed)$/i.test(single.text)
        : !isKnownNameWord(single.text))
    ) {
      emit(ctx, 'organization', rest, null, []);
    } else if (role) {
      emit(ctx, 'person', rest, null, [role]);
    } else if (
      before &&
      (PLACE_PREPOSITIONS.has(before.text) || PLACE_VERBS.has(before.text.toLowerCase())) &&
      !isKnownNameWord(single.text) &&
      !isLastPossessive
    ) {
      emit(ctx, 'place', rest, null, []);
    } else {
      emit(ctx, null, rest, null, []);
      if (!afterThe && nextWord && SPEECH_VERBS.has(nextWord)) ctx.out[ctx.out.length - 1]!.speaker = true;
    }
    return;
  }
}

/** Splits "US-led", "anti-US", "Iran-Iraq" into their place parts; other hyphenated names stay whole. */
function splitHyphenatedPlaces(ctx: Context, token: Token): boolean {
  if (!token.text.includes('-')) return false;
  const parts = stripPossessive(token.text).split('-');
  const placeParts = parts.map((p) => PLACES.get(p.toLowerCase()));
  if (!placeParts.some(Boolean)) return false;
  let offset = token.start;
  parts.forEach((part, index) => {
    const place = placeParts[index];
    if (place)
      ctx.out.push({
        type: 'place',
        surface: part,
        canonical: place.canonical,
        start: offset,
        end: offset + part.length,
        roles: [],
        titled: false,
      });
    offset += part.length + 1;
  });
  return true;
}

/** Lower-case words an organisation's name may contain that its acronym skips ("Committee to Protect Journalists"). */
const NAME_FUNCTION_WORDS = new Set([
  'of',
  'for',
  'to',
  'and',
  'the',
  'on',
  'in',
  'de',
  'du',
  'des',
  'la',
  'el',
  '&',
]);

/** The letters of an acronym token ("U.N." → "UN", "IAEA's" → "IAEA"), or null when it is no acronym. */
function acronymOf(text: string): string | null {
  const bare = stripPossessive(text);
  return ACRONYM.test(bare) && !/\d/.test(bare) ? bare.replace(/\./g, '') : null;
}

/** Words naming a body that, with an acronym defined after them, make the name an organisation. */
const BODY_WORDS = new Set([
  'programme',
  'program',
  'centre',
  'center',
  'initiative',
  'project',
  'mission',
  'observatory',
]);

/** Initials of a name's capitalised words, hyphenated parts after the first skipped ("Co-operation" → C). */
function initialsOf(surface: string): string {
  return surface
    .split(/\s+/)
    .filter((w) => !NAME_FUNCTION_WORDS.has(w.toLowerCase()))
    .map((w) => w[0] ?? '')
    .join('')
    .toUpperCase();
}

/** Whether `[from, to)` holds mentions other than untyped or organisation ones (a person or place named there). */
function mentionAt(out: Mention[], start: number, end: number): Mention | undefined {
  return out.find((m) => m.start === start && m.end === end);
}

/**
 * Ties acronyms to the names they abbreviate within the document: "Committee to Protect Journalists
 * (CPJ)" makes the whole name one organisation and every later "CPJ" its alias; an acronym spelling the
 * initials of an organisation named in the text ("NTSB" after "National Transportation Safety Board")
 * joins it too. Acronyms the gazetteer knows keep their own meaning unless the text defines them.
 */
function linkAcronyms(ctx: Context): void {
  const { tokens, text } = ctx;
  let out = ctx.out;
  const expansions = new Map<string, { type: EntityType; name: string }>();
  const overlaps = (m: Mention, start: number, end: number) => m.start < end && m.end > start;
  // 1. Definitions: "... Full Name (ACR)".
  for (let i = 1; i + 2 < tokens.length; i++) {
    if (tokens[i]!.text !== '(' || tokens[i + 2]!.text !== ')') continue;
    const acronym = acronymOf(tokens[i + 1]!.text);
    if (!acronym || acronym.length < 2) continue;
    let matched = -1;
    let letters = '';
    for (let k = i - 1; k >= 0 && i - k <= 12; k--) {
      const word = tokens[k]!;
      if (NAME_FUNCTION_WORDS.has(word.text.toLowerCase()) && letters.length > 0) continue;
      if (!word.capitalised || !/[\p{L}]/u.test(word.text[0]!)) break;
      letters = word.text[0]!.toUpperCase() + letters;
      if (letters.length > acronym.length || !acronym.endsWith(letters)) break;
      if (letters === acronym) {
        matched = k;
        break;
      }
    }
    if (matched < 0) continue;
    const start = tokens[matched]!.start;
    const end = tokens[i - 1]!.end;
    const surface = text.slice(start, end).replace(/\s+/g, ' ');
    const existing = mentionAt(out, start, end);
    // Only names of bodies: "Weapons of Mass Destruction (WMD)" spells its initials too.
    const spanWords = tokens.slice(matched, i).map(lower);
    const named =
      (existing?.type != null && existing.type !== 'person') ||
      spanWords.some((w) => ORG_CUES.has(w) || ORG_LAST_WORDS.has(w) || BODY_WORDS.has(w)) ||
      out.some((m) => m.type === 'organization' && m.start >= start && m.end <= end);
    if (!named) continue;
    const type: EntityType = existing?.type ?? 'organization';
    const name = existing?.canonical ?? surface;
    const acronymToken = tokens[i + 1]!;
    out = out.filter((m) => !overlaps(m, start, end) && !overlaps(m, acronymToken.start, acronymToken.end));
    out.push({ type, surface, canonical: existing?.canonical ?? null, start, end, roles: [], titled: false });
    out.push({
      type,
      surface: acronymToken.text,
      canonical: name,
      start: acronymToken.start,
      end: acronymToken.end,
      roles: [],
      titled: false,
    });
    expansions.set(acronym, { type, name });
  }
  // 2. Initials of organisations named in full.
  for (const m of out) {
    if (m.type !== 'organization' || !/\s/.test(m.surface)) continue;
    const initials = initialsOf(m.surface);
    if (initials.length < 3 || expansions.has(initials)) continue;
    const lowered = initials.toLowerCase();
    if (PLACES.has(lowered) || KNOWN_ORGANISATIONS.has(lowered)) continue;
    expansions.set(initials, { type: 'organization', name: m.canonical ?? m.surface });
  }
  // 3. Every other use of a known acronym.
  if (expansions.size > 0) {
    for (const token of tokens) {
      const acronym = token.capitalised ? acronymOf(token.text) : null;
      const expansion = acronym ? expansions.get(acronym) : undefined;
      if (!expansion) continue;
      const here = out.find((m) => overlaps(m, token.start, token.end));
      if (here && here.canonical === expansion.name) continue;
      if (here && here.end - here.start !== token.end - token.start) continue;
      out = out.filter((m) => m !== here);
      out.push({
        type: expansion.type,
        surface: stripPossessive(token.text),
        canonical: expansion.name,
        start: token.start,
        end: token.start + stripPossessive(token.text).length,
        roles: [],
        titled: false,
      });
    }
  }
  ctx.out = out;
}

/**
 * Every name mention in the text, found by rules over capitalised runs: gazetteer places and
 * organisations (with demonyms), titles and roles for people, cue words for organisations and places,
 * acronyms, possessives and hyphenated compounds. Mentions of unknown type are resolved later.
 */
export function findMentions(text: string, options: { gazetteerOnly?: boolean } = {}): Mention[] {
  const tokens = tokenize(text);
  const ctx: Context = { text, tokens, out: [], gazetteerOnly: options.gazetteerOnly ?? false };
  for (const [runStart, runEnd] of capitalisedRuns(tokens)) {
    let segmentStart = runStart;
    const flush = (end: number) => {
      let from = segmentStart;
      // Leading stop words ("The", "In", "But") are not part of the name.
      let afterThe = from > 0 && lower(tokens[from - 1]!) === 'the';
      while (from < end && (NOT_NAMES.has(lower(tokens[from]!)) || tokens[from]!.text === '.')) {
        if (lower(tokens[from]!) === 'the') afterThe = true;
        from++;
      }
      // "Shares of Samsung Electronics": a sentence-opening common word and its "of" are not the name.
      if (
        from + 2 < end &&
        tokens[from]!.sentenceStart &&
        tokens[from + 1]!.text === 'of' &&
        isCommonWord(tokens[from]!.text)
      ) {
        from += 2;
      }
      let to = end;
      while (to > from && (NOT_NAMES.has(lower(tokens[to - 1]!)) || CONNECTORS.has(tokens[to - 1]!.text)))
        to--;
      if (to > from) {
        // A lone capitalised word opening a sentence is usually just a word ("Raising", "Ties").
        const only = tokens[from]!;
        const known = PLACES.has(only.text.toLowerCase()) || KNOWN_ORGANISATIONS.has(only.text.toLowerCase());
        const lone = to - from === 1 && only.sentenceStart && isCommonWord(only.text) && !known;
        if (!lone) classifyRun(ctx, tokens.slice(from, to), from, to, afterThe);
      }
      segmentStart = end;
    };
    for (let k = runStart; k < runEnd; k++) {
      const token = tokens[k]!;
      if (RUN_SPLITTERS.has(lower(token)) && k > segmentStart) {
        flush(k);
        segmentStart = k + 1;
      } else if (splitHyphenatedPlaces(ctx, token)) {
        flush(k);
        segmentStart = k + 1;
      } else if (POSSESSIVE.test(token.text) && token.text.length > 2) {
        flush(k + 1);
      }
    }
    if (segmentStart < runEnd) flush(runEnd);
  }
  if (!ctx.gazetteerOnly) linkAcronyms(ctx);
  return ctx.out.sort((a, b) => a.start - b.start);
}
