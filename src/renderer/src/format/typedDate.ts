/**
 * Dates and times typed as the shop writes them. A native `<input type=date|time>` shows the
 * browser's own locale (MM/DD and AM/PM on an en-US machine, whatever the shop's settings say),
 * so the counter uses text fields read and written here, in the shop's locale, 24-hour.
 */

type Order = ('d' | 'm' | 'y')[];

const orders = new Map<string, { order: Order; sep: string }>();

/** The order of day, month and year in the locale ("en-GB": d/m/y; "en-US": m/d/y; "sv-SE": y-m-d). */
function dateOrder(locale: string): { order: Order; sep: string } {
  const hit = orders.get(locale);
  if (hit) return hit;
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat(locale, { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' }).formatToParts(new Date(Date.UTC(2025, 10, 30)));
  } catch {
    parts = new Intl.DateTimeFormat('en-GB', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' }).formatToParts(new Date(Date.UTC(2025, 10, 30)));
  }
  const order = parts.filter((p) => p.type === 'day' || p.type === 'month' || p.type === 'year').map((p) => (p.type === 'day' ? 'd' : p.type === 'month' ? 'm' : 'y')) as Order;
  const sep = parts.find((p) => p.type === 'literal')?.value.trim() || '/';
  const found = { order, sep };
  orders.set(locale, found);
  return found;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** "30/11/2025" for "2025-11-30" in en-GB; "" for anything that is not a date. */
export function formatTypedDate(iso: string, locale: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return '';
  const { order, sep } = dateOrder(locale);
  const by = { y: m[1], m: m[2], d: m[3] };
  return order.map((k) => by[k]).join(sep);
}

/** What the clerk should type, for the placeholder: "dd/mm/yyyy". */
export function datePattern(locale: string): string {
  const { order, sep } = dateOrder(locale);
  return order.map((k) => (k === 'y' ? 'yyyy' : k + k)).join(sep);
}

/** "30/11/2025", "30-11-25", "30.11.2025" in en-GB order → "2025-11-30"; null if not a real date. */
export function parseTypedDate(text: string, locale: string): string | null {
  const nums = text.trim().split(/[^\d]+/).filter(Boolean);
  if (nums.length !== 3) return null;
  const { order } = dateOrder(locale);
  const by: Record<string, number> = {};
  order.forEach((k, i) => (by[k] = Number(nums[i])));
  let y = by.y ?? NaN;
  const mo = by.m ?? NaN;
  const d = by.d ?? NaN;
  const yText = nums[order.indexOf('y')] ?? '';
  if (yText.length === 2) y += 2000;
  else if (yText.length !== 4) return null;
  if (!(mo >= 1 && mo <= 12 && d >= 1 && d <= 31)) return null;
  const t = new Date(Date.UTC(y, mo - 1, d));
  if (t.getUTCDate() !== d) return null;
  return `${pad(y, 4)}-${pad(mo)}-${pad(d)}`;
}

/** "9:5", "09:05", "0905", "9.05" → "09:05"; 24-hour; null if not a time of day. */
export function parseTypedTime(text: string): string | null {
  const t = text.trim();
  const m = /^(\d{1,2})[:.h ]?(\d{2})$/.exec(t) ?? /^(\d{1,2})$/.exec(t);
  if (!m) return null;
  const h = Number(m[1]);
  const mi = Number(m[2] ?? 0);
  if (h > 23 || mi > 59) return null;
  return `${pad(h)}:${pad(mi)}`;
}
