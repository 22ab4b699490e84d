import type { Page } from '@playwright/test';

/**
 * What a clerk with a screen reader or a finger on a touch screen would trip over: controls
 * without an accessible name, and targets smaller than 44 × 44 px (a checkbox or radio counts
 * with the label wrapped around it, which is what the finger actually hits).
 *
 * The check runs in the page; it is plain JavaScript text because the test project compiles
 * without the DOM library.
 */
const CHECK = `(() => {
  const unnamed = [];
  const small = [];
  const describe = (el) => el.outerHTML.replace(/\\s+/g, ' ').slice(0, 140);
  const textOf = (ids) => ids.split(/\\s+/).map((id) => document.getElementById(id)?.textContent ?? '').join(' ').trim();
  for (const el of document.querySelectorAll('button, input, select, textarea, [role="option"], [role="combobox"], canvas')) {
    if (el.getClientRects().length === 0 || (el.tagName === 'INPUT' && el.type === 'hidden')) continue;
    const labelled = el.getAttribute('aria-labelledby');
    const labels = el.labels ? Array.from(el.labels) : [];
    const name =
      el.getAttribute('aria-label')?.trim() ||
      (labelled ? textOf(labelled) : '') ||
      labels.map((l) => l.textContent ?? '').join(' ').trim() ||
      (el.tagName === 'BUTTON' || el.getAttribute('role') === 'option' ? (el.textContent ?? '').trim() : '') ||
      el.getAttribute('title')?.trim() ||
      '';
    if (!name) unnamed.push(describe(el));
    const isBox = el.tagName === 'INPUT' && (el.type === 'checkbox' || el.type === 'radio');
    const target = isBox ? (el.closest('label') ?? el) : el;
    const r = target.getBoundingClientRect();
    if (el.tagName !== 'CANVAS' && (r.height < 43.5 || r.width < 43.5)) small.push(Math.round(r.width) + '×' + Math.round(r.height) + ' ' + describe(el));
  }
  return { unnamed, small };
})()`;

export async function controlProblems(page: Page): Promise<{ unnamed: string[]; small: string[] }> {
  return page.evaluate<{ unnamed: string[]; small: string[] }>(CHECK);
}
