/**
 * Page furniture recognised line by line, in HTML blocks and in plain text alike: generic
 * vocabulary in the languages the pipeline meets most, never keyed on a site.
 */

/**
 * Short lines that are page furniture in any site: sharing and printing prompts, "read more",
 * comment counters, copyright notices, subscription and sign-in prompts. Generic vocabulary only.
 */
const FURNITURE_LINE =
  /^(?:advertisement|advertisements?|anzeige|werbung|publicit[ée]|sponsored|share(?: this| on \w+| article| story)?:?|teilen|tweet|print(?: this)?|drucken|imprimer|imprimir|stampa|permalink|permalien|e-?mail(?: this)?|read more|weiterlesen|mehr(?: lesen| zum thema)?|more|related(?: articles| stories| posts| content)?:?|see also:?|comments?|\d+ comments?|no comments(?: yet)?|kommentare?|leave a (?:comment|reply)|subscribe.*|sign (?:up|in).*|log ?in.*|register|follow us.*|click here.*|loading\W*|skip to .*|back to top|top of page|nach oben|next(?: article| post| page)?|previous(?: article| post| page)?|zur[üu]ck|weiter|tags?:.*|share this:?|like this:?|gef[äa]llt mir:?|(?:photo|image|foto|bild|video|credit|quelle|source):.*|cr[ée]dits? (?:photos?|images?) ?:.*|©.*|\(c\) .*|copyright .*|all rights reserved.*|alle rechte vorbehalten.*|cookies?.*|we use cookies.*|close|schlie[ßs]en|menu|men[üu]|search|suche|home|startseite|(?:das )?(?:k[öo]nnte (?:sie|dich) )?auch interessant|das k[öo]nnte (?:sie|dich) auch interessieren:?|you (?:may|might) also like:?|read (?:also|next|more):?|lesen sie (?:auch|mehr):?|weitere (?:informationen|infos|artikel|beitr[äa]ge|themen|nachrichten)(?: zum thema)?:?|[äa]hnliche (?:beitr[äa]ge|artikel):?|verwandte (?:artikel|themen|beitr[äa]ge):?|mehr (?:interessantes|dazu|zum thema.*):?|empfohlen f[üu]r dich|recommended(?: for you)?|most (?:read|popular)|meistgelesen|newsletter.*|wird geladen\W*|lade weitere inhalte|load more|bild anzeigen|rezept drucken|print recipe|gef[äa]llt mir|quelle:.*|fotos?:.*|credits?:.*|imagen:.*|kuva:.*|\(foto:[^)]*\)|- ?anzeige ?-|alle angaben ohne gew[äa]hr\.?)$/i;

/** Lines this long or longer are text, whatever words they start with. */
const MAX_FURNITURE_CHARS = 120;

/** Longest block read as a call to action; longer ones are the article talking about such things. */
const MAX_CALL_TO_ACTION_CHARS = 220;

/**
 * Calls to action that sites put inside the article: subscribe, sign up, follow us, download
 * the app, support us, share this. Phrased to the reader (imperatives, "our", "please"), in the
 * languages the pipeline meets most, so that an article about a newsletter or an app is not one.
 */
const CALL_TO_ACTION = new RegExp(
  [
    String.raw`\b(?:subscribe|sign up|register|log in|download|follow|join|support|donate)\b[^.!?]{0,40}?\b(our|us|now|today|the app|apps?|on (?:twitter|facebook|instagram|x|telegram|whatsapp))\b`,
    String.raw`\b(?:receive|get|sign up for|subscribe to) (?:our|the) (?:\w+ )?newsletter\b`,
    String.raw`\balready an? (?:subscriber|member)\b`,
    String.raw`\bto (?:view|read|continue reading) the (?:full|whole|rest of the) (?:story|article)\b`,
    String.raw`\b(?:mit unserem|unser(?:en)?|zum) newsletter\b`,
    String.raw`\b(?:jetzt|hier) (?:abonnieren|anmelden|registrieren|herunterladen)\b`,
    String.raw`\b(?:folgen sie uns|folge uns|unterstütze|unterstützen sie)\b`,
    String.raw`\b(?:den |diesen )?artikel (?:mit anderen )?teilen\b`,
    String.raw`\b(?:abonnez-vous|inscrivez-vous|suivez-nous|t[ée]l[ée]chargez (?:notre|l'application))\b`,
    String.raw`\b(?:suscr[íi]bete|reg[íi]strate|s[íi]guenos|debes registrarte)\b`,
  ].join('|'),
  'i',
);

export function isFurnitureLine(text: string): boolean {
  return text.length < MAX_FURNITURE_CHARS && FURNITURE_LINE.test(text);
}

export function isCallToAction(text: string): boolean {
  if (text.length > MAX_CALL_TO_ACTION_CHARS) return false;
  const match = CALL_TO_ACTION.exec(text);
  // "register the US trademark" addresses no reader.
  return match !== null && match[1] !== 'US';
}

/**
 * A heading that opens the readers' comments, in the languages the pipeline meets most: what
 * follows it is the comment section (which comes last), not the article.
 */
const COMMENTS_HEADING =
  /^(?:\d+\s+)?(?:comments|responses|leave a (?:comment|reply)|post a comment|add a comment|join the discussion|kommentare|kommentar (?:verfassen|schreiben)|schreibe einen kommentar|leserkommentare|commentaires|laisser un commentaire|comentarios|deja un comentario|commenti|lascia un commento|reacties|komentarze|coment[áa]rios)(?:\s*\(\d+\))?\s*:?$/i;

/** Whether a heading or short line opens the readers' comments ("12 Comments", "Leave a reply"). */
export function opensComments(text: string): boolean {
  return COMMENTS_HEADING.test(text);
}
