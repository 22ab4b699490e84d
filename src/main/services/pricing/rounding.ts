/**
 * Integer money arithmetic for the pricing engine.
 *
 * Rounding rule: half away from zero ("commercial rounding"), applied once per line.
 * Why not banker's rounding: a quote rounds at most a handful of times (tax, a percentage
 * discount, a fuel line in litres), so banker's statistical benefit is negligible, while
 * half-up is what a renter or a clerk gets when checking a receipt with a calculator and what
 * most European VAT rules describe. "Away from zero" makes a negative line (a discount) the
 * exact mirror of the same positive line, so the sign never changes which way a figure rounds.
 */

/** round(n * mul / div) half away from zero, exact for any safe-integer inputs. div > 0. */
export function mulDivRound(n: number, mul: number, div: number): number {
  if (div <= 0 || !Number.isSafeInteger(div)) throw new RangeError(`Divisor must be a positive integer, got ${div}`);
  const product = n * mul;
  if (Number.isSafeInteger(product)) {
    let q = Math.trunc(product / div);
    let r = product - q * div; // exact: |q * div| <= |product| < 2^53
    // Float division can land one off near an integer; correct so 0 <= |r| < div with r's sign = product's.
    if (product >= 0 ? r < 0 : r > 0) { q -= Math.sign(product); r += Math.sign(product) * div; }
    if (Math.abs(r) >= div) { q += Math.sign(product); r -= Math.sign(product) * div; }
    if (2 * Math.abs(r) >= div) return q + Math.sign(product);
    return q === 0 ? 0 : q; // normalise -0
  }
  // Only reached for very large figures; BigInt keeps it exact.
  const p = BigInt(n) * BigInt(mul);
  const d = BigInt(div);
  const neg = p < 0n;
  const abs = neg ? -p : p;
  let q = abs / d;
  if (2n * (abs - q * d) >= d) q += 1n;
  const out = Number(neg ? -q : q);
  if (!Number.isSafeInteger(out)) throw new RangeError('Amount is too large to price');
  return out;
}

/** a * b that refuses to lose precision. */
export function mulExact(a: number, b: number): number {
  const p = a * b;
  if (!Number.isSafeInteger(p)) throw new RangeError('Amount is too large to price');
  return p;
}
