// Sluice pages work without script; this file only adds conveniences. Loaded as a file so the
// Content-Security-Policy can forbid inline script.

// Buttons with data-confirm ask before they submit (remove a feed, merge stories).
document.addEventListener('submit', (event) => {
  const form = event.target;
  const question = form instanceof HTMLFormElement ? form.dataset.confirm : undefined;
  if (question && !window.confirm(question)) event.preventDefault();
});

// Pages with data-refresh on <main> (pipeline, feeds) reload themselves while visible and idle.
const main = document.getElementById('main');
const seconds = Number(main?.dataset.refresh ?? 0);
if (seconds > 0) {
  setInterval(() => {
    const typing =
      document.activeElement && ['INPUT', 'TEXTAREA', 'SELECT'].includes(document.activeElement.tagName);
    if (document.visibilityState === 'visible' && !typing) window.location.reload();
  }, seconds * 1000);
}
