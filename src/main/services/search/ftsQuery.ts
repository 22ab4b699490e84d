/**
 * Turns what a clerk types into a safe FTS5 MATCH expression. Every term becomes quoted text
 * ("smi"*), so FTS syntax in the input (quotes, "-", "AND", "NEAR(", "*", ":") is only ever
 * text, and a query can never fail to parse. Terms are ANDed.
 *
 * - "KD-7F3" / "kd7f3": the booking index stores the code after "KD-", so the prefix is dropped.
 * - A query of only digits and phone punctuation ("+44 7700 900", "07700-900123") is also tried
 *   as one run of digits against the phone column, leading zeros (trunk prefix) removed; the
 *   index holds every suffix of a number, so it matches wherever the digits sit.
 */
const MAX_TERMS = 8;

function quote(text: string, prefix: boolean): string {
  return `"${text.replace(/"/g, '""')}"${prefix ? '*' : ''}`;
}

/**
 * One term. Plain words are prefixes ("jans"*), but a single character would expand to most of
 * the index, so it must match a whole token. A term with inner punctuation ("GH-12", "jan.j")
 * is the phrase of its parts (emails, refs) or their compact form (plates and licences are
 * indexed compact too: "GH12"*); a phrase ending in one character is not a prefix, for the
 * same reason.
 */
function termQuery(term: string): string {
  const parts = term.match(/[\p{L}\p{N}]+/gu) ?? [];
  if (parts.length <= 1) return quote(term, (parts[0] ?? '').length > 1);
  const last = parts[parts.length - 1] ?? '';
  return `(${quote(parts.join(' '), last.length > 1)} OR ${quote(parts.join(''), true)})`;
}

function hasWordChar(s: string): boolean {
  return /[\p{L}\p{N}]/u.test(s);
}

export function buildFtsQuery(raw: string, opts: { refColumn?: boolean } = {}): string | null {
  const text = raw.normalize('NFKC').trim();
  if (text === '') return null;
  const terms: string[] = [];
  for (let term of text.split(/\s+/).slice(0, MAX_TERMS)) {
    if (opts.refColumn !== false) {
      const m = /^kd-?([0-9a-z]{1,5})$/i.exec(term);
      if (m?.[1]) term = m[1];
      else if (/^kd-?$/i.test(term)) continue;
    }
    if (hasWordChar(term)) terms.push(termQuery(term));
  }
  const words = terms.length > 0 ? terms.join(' AND ') : null;

  let phone: string | null = null;
  if (/^[\d\s+()./-]+$/.test(text)) {
    const digits = text.replace(/\D/g, '').replace(/^0+/, '');
    if (digits.length >= 3) phone = `phone : ${quote(digits, true)}`;
  }
  if (phone && words) return `(${phone}) OR (${words})`;
  return phone ?? words;
}
