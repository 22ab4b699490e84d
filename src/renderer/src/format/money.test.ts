import { describe, expect, it } from 'vitest';
import { majorText, parseAmount, parseMajor, showMoney } from './money';

describe('parseAmount', () => {
  it('turns typed major units into exact minor units', () => {
    expect(parseMajor('19.99', 'EUR')).toBe(1999);
    expect(parseMajor('0.29', 'EUR')).toBe(29);
    expect(parseMajor('1,5', 'EUR')).toBe(150);
    expect(parseMajor(' 120 ', 'EUR')).toBe(12000);
    expect(parseMajor('120.', 'EUR')).toBe(12000);
    expect(parseMajor('5000', 'JPY')).toBe(5000);
    expect(parseMajor('1.234', 'KWD')).toBe(1234);
    expect(parseMajor('999999999.99', 'EUR')).toBe(99999999999);
  });

  it('refuses negative, over-precise and non-numeric amounts with a reason', () => {
    expect(parseAmount('-5', 'EUR')).toEqual({ ok: false, problem: 'Amount cannot be negative' });
    expect(parseAmount('1.999', 'EUR')).toEqual({ ok: false, problem: 'EUR amounts have at most 2 decimals' });
    expect(parseAmount('10.5', 'JPY')).toEqual({ ok: false, problem: 'JPY has no smaller unit: enter a whole amount' });
    expect(parseAmount('', 'EUR')).toEqual({ ok: false, problem: 'Enter an amount' });
    const bad = parseAmount('€12', 'EUR');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.problem).toContain('12.50');
    expect(parseMajor('1e3', 'EUR')).toBeNull();
    expect(parseMajor('1.2.3', 'EUR')).toBeNull();
  });
});

describe('majorText', () => {
  it('round-trips with parseMajor', () => {
    for (const [minor, cur] of [[1999, 'EUR'], [5, 'EUR'], [0, 'EUR'], [5000, 'JPY'], [1234, 'KWD'], [7, 'KWD']] as const) {
      expect(parseMajor(majorText(minor, cur), cur)).toBe(minor);
    }
    expect(majorText(5, 'EUR')).toBe('0.05');
    expect(majorText(-250, 'EUR')).toBe('-2.50');
  });
});

describe('showMoney', () => {
  it('formats with the locale and survives a bad one', () => {
    expect(showMoney({ amount: 123456, currency: 'EUR' }, 'en-GB')).toBe('€1,234.56');
    expect(showMoney({ amount: 100, currency: 'EUR' }, 'not a locale!!')).toBe('€1.00');
  });
});
