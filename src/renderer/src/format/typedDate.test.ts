import { describe, expect, it } from 'vitest';
import { datePattern, formatTypedDate, parseTypedDate, parseTypedTime } from './typedDate';

describe('typed dates in the shop locale', () => {
  it('writes and reads day/month/year in en-GB, month/day/year in en-US', () => {
    expect(formatTypedDate('2025-11-30', 'en-GB')).toBe('30/11/2025');
    expect(datePattern('en-GB')).toBe('dd/mm/yyyy');
    expect(parseTypedDate('30/11/2025', 'en-GB')).toBe('2025-11-30');
    expect(parseTypedDate('3-6-25', 'en-GB')).toBe('2025-06-03');
    expect(formatTypedDate('2025-11-30', 'en-US')).toBe('11/30/2025');
    expect(parseTypedDate('11/30/2025', 'en-US')).toBe('2025-11-30');
    expect(formatTypedDate('2025-11-30', 'de-DE')).toBe('30.11.2025');
  });
  it('refuses what is not a date', () => {
    for (const bad of ['', '31/02/2025', '13/13/2025', '1/2', 'tomorrow', '30/11/202']) expect(parseTypedDate(bad, 'en-GB'), bad).toBeNull();
  });
  it('reads times on the 24-hour clock', () => {
    expect(parseTypedTime('9:05')).toBe('09:05');
    expect(parseTypedTime('1905')).toBe('19:05');
    expect(parseTypedTime('19.30')).toBe('19:30');
    expect(parseTypedTime('7')).toBe('07:00');
    for (const bad of ['24:00', '12:60', '7pm', '']) expect(parseTypedTime(bad), bad).toBeNull();
  });
});
