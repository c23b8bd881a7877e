import type { Element } from 'domhandler';

/** Tags that never hold article text. */
export const DROP_TAGS = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'svg',
  'math',
  'iframe',
  'object',
  'embed',
  'canvas',
  'button',
  'input',
  'select',
  'textarea',
  'option',
  'link',
  'dialog',
  'head',
  'title',
  'video',
  'audio',
  'map',
  'area',
  'form-footer',
]);

/** Landmarks that are page chrome when used as intended (and, misused, sometimes wrap the page). */
export const CHROME_TAGS = new Set(['nav', 'aside', 'footer', 'header', 'menu']);

const DROP_ROLES = new Set([
  'navigation',
  'banner',
  'contentinfo',
  'complementary',
  'menu',
  'menubar',
  'dialog',
  'alertdialog',
  'toolbar',
  'tablist',
]);

/**
 * Class and id words of page chrome that is never the article however much text it holds:
 * navigation, sharing, related links, comments, cookie and subscription prompts, ads.
 */
const CHROME_WORDS = new Set([
  'nav',
  'navbar',
  'navigation',
  'menu',
  'menubar',
  'submenu',
  'megamenu',
  'footer',
  'sidebar',
  'share',
  'shares',
  'sharing',
  'sharebar',
  'sharethis',
  'addthis',
  'social',
  'socials',
  'related',
  'relatedposts',
  'comments',
  'comment',
  'commentlist',
  'disqus',
  'respond',
  'replies',
  'cookie',
  'cookies',
  'consent',
  'gdpr',
  'newsletter',
  'subscribe',
  'subscription',
  'paywall',
  'advert',
  'advertisement',
  'advertising',
  'ads',
  'ad',
  'adsense',
  'adslot',
  'dfp',
  'sponsor',
  'sponsored',
  'breadcrumb',
  'breadcrumbs',
  'crumbs',
  'pagination',
  'pager',
  'popup',
  'modal',
  'overlay',
  'tagcloud',
  'topbar',
  'toolbar',
  'outbrain',
  'taboola',
  'recommended',
  'recommendations',
  'trending',
  'popular',
  'mostread',
  'skip',
  'skiplink',
  'rss',
  'login',
  'signup',
  'signin',
  'search',
  'tooltip',
  'lightbox',
  'sidebox',
  'promo',
  'promotion',
  'author',
  'bio',
  'copyright',
  'legal',
  'disclaimer',
  'hidden',
  'hide',
  'invisible',
]);

/**
 * Class and id words of things that are usually furniture but sometimes frame part of the
 * article (a header with the lead, a caption that tells the story, a slider of steps): chrome
 * only when the element says little.
 */
const SOFT_CHROME_WORDS = new Set([
  'header',
  'masthead',
  'banner',
  'tags',
  'byline',
  'meta',
  'postmeta',
  'categories',
  'print',
  'teaser',
  'teasers',
  'readmore',
  'sr',
  'screenreader',
  'offscreen',
  'toc',
  'dateline',
  'timestamp',
  'caption',
  'credit',
  'credits',
  'follow',
  'feedback',
  'rating',
  'ratings',
  'gallery',
  'slider',
  'carousel',
  'thumbnails',
  'thumbs',
]);

/** Words that qualify "hidden" as responsive (hidden on small screens only): not hidden. */
const BREAKPOINT_WORDS = new Set([
  'xs',
  'sm',
  'md',
  'lg',
  'xl',
  'xxl',
  'mobile',
  'desktop',
  'tablet',
  'phone',
  'print',
  'small',
  'medium',
  'large',
  'screen',
]);

const HIDING_WORDS = new Set(['hidden', 'hide', 'invisible']);

/** Class and id words of article containers. */
const CONTENT_WORDS = new Set([
  'article',
  'articlebody',
  'content',
  'contents',
  'body',
  'main',
  'post',
  'entry',
  'story',
  'text',
  'blog',
  'prose',
  'richtext',
  'hentry',
  'single',
  'page',
  'column',
  'detail',
  'details',
  'news',
  'inhalt',
  'artikel',
  'beitrag',
  'haupt',
  'maincontent',
  'postbody',
  'storybody',
  'entrycontent',
  'lead',
  'intro',
  'abstract',
  'standfirst',
]);

const NEGATING_WORDS = new Set(['has', 'with', 'no', 'non', 'not', 'without']);

/**
 * The words of each name in a class or id attribute, one list per name. BEM modifiers
 * (`section--has-ads`) and words after has/with/no describe what an element contains, not what
 * it is, so they are left out.
 */
function namesOf(value: string): string[][] {
  const names: string[][] = [];
  for (const name of value.split(/\s+/)) {
    if (!name) continue;
    const parts = partsOf(name);
    const responsive = parts.some((part) => BREAKPOINT_WORDS.has(part));
    const words: string[] = [];
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] as string;
      if (NEGATING_WORDS.has(part)) {
        i++;
        continue;
      }
      if (responsive && HIDING_WORDS.has(part)) continue;
      words.push(part);
    }
    if (words.length > 0) names.push(words);
  }
  return names;
}

/**
 * The lower-case ASCII words of one class name, up to its BEM modifier (`--`): split at every
 * other character and where a lower-case letter meets an upper-case one (`articleBody`). One
 * pass, no regular expression: pages carry thousands of these.
 */
function partsOf(name: string): string[] {
  const parts: string[] = [];
  let word = '';
  let previousLower = false;
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (code === 45 && name.charCodeAt(i + 1) === 45) break; // '--'
    const lower = code >= 97 && code <= 122;
    const upper = code >= 65 && code <= 90;
    if (lower || upper || (code >= 48 && code <= 57)) {
      if (upper && previousLower && word) {
        parts.push(word);
        word = '';
      }
      word += upper ? String.fromCharCode(code + 32) : name[i];
      previousLower = lower;
    } else {
      if (word) parts.push(word);
      word = '';
      previousLower = false;
    }
  }
  if (word) parts.push(word);
  return parts;
}

export interface Evidence {
  /** Named as chrome that is never the article. */
  chrome: boolean;
  /** Named as furniture that now and then frames part of the article. */
  softChrome: boolean;
  /**
   * Named as the article's container by a name that is about content alone: `entry-content`
   * is, `post-author-bio` (content words qualifying a chrome word) is not.
   */
  content: boolean;
}

const NO_EVIDENCE: Evidence = { chrome: false, softChrome: false, content: false };

/** What one class or id attribute says, each name read as a whole. */
function attributeEvidence(value: string): Evidence {
  let chrome = false;
  let softChrome = false;
  let content = false;
  for (const words of namesOf(value)) {
    let nameChrome = false;
    let nameSoft = false;
    let nameContent = false;
    for (const word of words) {
      if (CHROME_WORDS.has(word)) nameChrome = true;
      else if (SOFT_CHROME_WORDS.has(word)) nameSoft = true;
      else if (CONTENT_WORDS.has(word)) nameContent = true;
    }
    if (nameChrome) chrome = true;
    else if (nameSoft) softChrome = true;
    else if (nameContent) content = true;
  }
  return chrome || softChrome || content ? { chrome, softChrome, content } : NO_EVIDENCE;
}

/**
 * Class attributes repeat across a page: each is read once. The keys are slices of the page's
 * source, which they keep alive, so the cache lives for one page: `forgetClassNames` empties it
 * before the next.
 */
const classCache = new Map<string, Evidence>();
const CLASS_CACHE_LIMIT = 20_000;

export function forgetClassNames(): void {
  classCache.clear();
}

/** How many class attributes the cache holds (for tests). */
export function rememberedClassNames(): number {
  return classCache.size;
}

function classEvidence(value: string): Evidence {
  let evidence = classCache.get(value);
  if (evidence === undefined) {
    if (classCache.size >= CLASS_CACHE_LIMIT) classCache.clear();
    evidence = attributeEvidence(value);
    classCache.set(value, evidence);
  }
  return evidence;
}

/** What the class and id attributes (and a schema.org itemprop) say about an element. */
export function evidenceOf(element: Element): Evidence {
  const attributes = element.attribs;
  const className = attributes.class;
  const id = attributes.id;
  const itemprop = attributes.itemprop;
  if (!className && !id && !itemprop) return NO_EVIDENCE;
  const byClass = className ? classEvidence(className) : NO_EVIDENCE;
  const byId = id ? attributeEvidence(id) : NO_EVIDENCE;
  const marked = itemprop === 'articleBody' || itemprop === 'text' || itemprop === 'reviewBody';
  if (byId === NO_EVIDENCE && !marked) return byClass;
  return {
    chrome: byClass.chrome || byId.chrome,
    softChrome: byClass.softChrome || byId.softChrome,
    content: byClass.content || byId.content || marked,
  };
}

/** Hidden from readers, or a landmark role that is never the article. */
export function isHiddenOrChromeRole(element: Element): boolean {
  const attributes = element.attribs;
  if (attributes.hidden !== undefined) return true;
  if (attributes['aria-hidden'] === 'true') return true;
  const role = attributes.role;
  if (role && DROP_ROLES.has(role.toLowerCase())) return true;
  const style = attributes.style;
  if (style && /display\s*:\s*none|visibility\s*:\s*hidden/i.test(style)) return true;
  return false;
}
