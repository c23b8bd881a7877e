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

/** Class and id words of page chrome: navigation, sharing, related links, comments, prompts, ads. */
const CHROME_WORDS = new Set([
  'nav',
  'navbar',
  'navigation',
  'menu',
  'menubar',
  'submenu',
  'megamenu',
  'footer',
  'header',
  'masthead',
  'sidebar',
  'sidebox',
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
  'promo',
  'promotion',
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
  'banner',
  'hidden',
  'hide',
  'invisible',
  'tags',
  'byline',
  'author',
  'bio',
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
  'copyright',
  'legal',
  'disclaimer',
  'crumbs',
  'follow',
  'feedback',
  'rating',
  'ratings',
  'signin',
  'search',
  'tooltip',
  'lightbox',
  'gallery',
  'slider',
  'carousel',
  'thumbnails',
  'thumbs',
]);

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
]);

/**
 * Words of the class and id attributes. BEM modifiers (`section--has-ads`) and words after
 * has/with/no describe what an element contains, not what it is, so they are left out.
 */
function wordsOf(element: Element): string[] {
  const attributes = element.attribs;
  const value = `${attributes.class ?? ''} ${attributes.id ?? ''}`;
  if (value.length <= 1) return [];
  const words: string[] = [];
  for (const name of value.split(/\s+/)) {
    if (!name) continue;
    const base = name.split('--')[0] as string;
    const parts = base
      .replace(/([a-z])([A-Z])/g, '$1 $2')
      .toLowerCase()
      .split(/[^a-z0-9]+/);
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] as string;
      if (part === 'has' || part === 'with' || part === 'no') {
        i++;
        continue;
      }
      if (part) words.push(part);
    }
  }
  return words;
}

export interface Evidence {
  chrome: boolean;
  content: boolean;
}

/** What the class and id attributes say about an element. */
export function evidenceOf(element: Element): Evidence {
  let chrome = false;
  let content = false;
  for (const word of wordsOf(element)) {
    if (CHROME_WORDS.has(word)) chrome = true;
    else if (CONTENT_WORDS.has(word)) content = true;
  }
  const itemprop = element.attribs.itemprop;
  if (itemprop === 'articleBody' || itemprop === 'text' || itemprop === 'reviewBody') content = true;
  return { chrome, content };
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
