/** Keys whose values never reach a log, whatever their content. */
const SECRET_KEYS = /pin|password|secret|token|api_?key|authorization|signature/i;
/** Stripe keys, webhook secrets, relay tokens, bearer headers and database passwords that slip into free text. */
const SECRET_TEXT = /\b(sk|rk|pk)_(test|live)_[A-Za-z0-9]+|\bwhsec_[A-Za-z0-9]+|\bkd[ra]_[A-Za-z0-9_-]+|\bBearer\s+[A-Za-z0-9._~+/-]+=*|postgres(ql)?:\/\/[^\s@]*@/g;

/** A copy of `value` safe to log: secret-named keys blanked, secret-looking text replaced. Used by main and the relay. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6) return '[deep]';
  if (typeof value === 'string') return value.replace(SECRET_TEXT, '[redacted]');
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEYS.test(k) ? '[redacted]' : redact(v, depth + 1);
    return out;
  }
  return value;
}
