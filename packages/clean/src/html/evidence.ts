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
  'meta',
  'nav',
  'aside',
  'footer',
  'header',
  'dialog',
  'menu',
  'head',
  'title',
  'video',
  'audio',
  'map',
  'area',
  'form-footer',
]);

const DROP_ROLES = new Set([
  'navigation',
  'banner',
  'contentinfo',
  'complementary',
  'menu',
  'menubar',
  'search',
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
  'widget',
  'widgets',
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
  'more',
  'readmore',
  'extra',
  'sr',
  'screenreader',
  'offscreen',
  'jump',
  'toc',
  'dateline',
  'timestamp',
  'date',
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
  'vote',
  'poll',
  'app',
  'download',
  'alert',
  'notice',
  'signin',
  'account',
  'search',
  'lang',
  'language',
  'shop',
  'cart',
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

function wordsOf(element: Element): string[] {
  const attributes = element.attribs;
  const value = `${attributes.class ?? ''} ${attributes.id ?? ''}`;
  if (value.length <= 1) return [];
  return value
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/);
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
