import type { SampleArticle } from './articles';

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The article as a news site would serve it: navigation, share bar, related links, footer. */
export function renderSampleHtml(
  article: SampleArticle,
  options: { variant?: number; url?: string } = {},
): string {
  const variant = options.variant ?? 0;
  const title = escapeHtml(article.headline);
  const related = [
    'Council approves new cycle lanes',
    'Weekend weather: showers clearing',
    'Letters to the editor',
  ]
    .map((text, index) => `<li><a href="/news/related-${variant}-${index}">${text}</a></li>`)
    .join('');
  const body = article.paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`).join('\n        ');
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>${title} | ${escapeHtml(article.source)}</title>
  <meta property="og:title" content="${title}">
  <meta property="og:site_name" content="${escapeHtml(article.source)}">
  <meta property="article:published_time" content="${article.publishedAt}">
  <meta name="author" content="${escapeHtml(article.author)}">
  ${options.url ? `<link rel="canonical" href="${escapeHtml(options.url)}">` : ''}
</head>
<body>
  <div class="cookie-banner">We use cookies to improve your experience. <button>Accept all</button></div>
  <header class="site-header">
    <a class="logo" href="/">${escapeHtml(article.source)}</a>
    <nav><ul><li><a href="/news">News</a></li><li><a href="/business">Business</a></li><li><a href="/culture">Culture</a></li><li><a href="/sport">Sport</a></li><li><a href="/subscribe">Subscribe</a></li></ul></nav>
  </header>
  <main>
    <article>
      <h1>${title}</h1>
      <div class="byline">By <a rel="author" href="/authors/${article.slug}">${escapeHtml(article.author)}</a> · <time datetime="${article.publishedAt}">${article.publishedAt.slice(0, 10)}</time></div>
      <div class="share-bar"><a href="#">Share on Facebook</a> <a href="#">Share on X</a> <a href="#">Email</a></div>
      <div class="article-body">
        ${body}
      </div>
      <aside class="newsletter">Get the morning briefing in your inbox. <a href="/newsletter">Sign up now</a></aside>
    </article>
    <section class="related"><h2>More from ${escapeHtml(article.source)}</h2><ul>${related}</ul></section>
  </main>
  <footer><p>© 2026 ${escapeHtml(article.source)}. All rights reserved.</p><a href="/privacy">Privacy</a> <a href="/terms">Terms</a></footer>
</body>
</html>`;
}
