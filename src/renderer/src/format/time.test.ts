import { describe, expect, it } from 'vitest';
import { addDays, dayStart, fromLocalInput, shopDate, showDate, showDateTime, showTime, toLocalInput } from './time';

describe('shop time', () => {
  it('reads a datetime-local value as shop time, whatever the machine zone', () => {
    expect(fromLocalInput('2025-06-02T09:00', 'Europe/Amsterdam')).toBe('2025-06-02T07:00:00.000Z');
    expect(fromLocalInput('2025-01-15T09:00', 'Europe/Amsterdam')).toBe('2025-01-15T08:00:00.000Z');
    expect(fromLocalInput('2025-06-02T09:00', 'Asia/Tokyo')).toBe('2025-06-02T00:00:00.000Z');
    expect(fromLocalInput('2025-06-02T09:00', 'UTC')).toBe('2025-06-02T09:00:00.000Z');
  });

  it('round-trips through the input format, across a daylight-saving change', () => {
    for (const iso of ['2025-03-30T00:30:00.000Z', '2025-03-30T01:30:00.000Z', '2025-10-26T02:30:00.000Z', '2025-12-31T23:59:00.000Z']) {
      expect(fromLocalInput(toLocalInput(iso, 'Europe/Amsterdam'), 'Europe/Amsterdam')).toBe(iso);
    }
  });

  it('refuses incomplete or impossible values', () => {
    expect(fromLocalInput('', 'UTC')).toBeNull();
    expect(fromLocalInput('2025-06-02', 'UTC')).toBeNull();
    expect(fromLocalInput('2025-02-30T10:00', 'UTC')).toBeNull();
    expect(fromLocalInput('2025-06-02T25:00', 'UTC')).toBeNull();
  });

  it('knows the shop day and its start', () => {
    expect(shopDate('2025-06-01T23:30:00Z', 'Europe/Amsterdam')).toBe('2025-06-02');
    expect(dayStart('2025-06-02', 'Europe/Amsterdam')).toBe('2025-06-01T22:00:00.000Z');
    expect(addDays('2025-02-28', 1)).toBe('2025-03-01');
  });

  it('formats for a clerk', () => {
    expect(showTime('2025-06-02T07:05:00Z', 'Europe/Amsterdam', 'en-GB')).toBe('09:05');
    expect(showDateTime('2025-06-02T07:05:00Z', 'Europe/Amsterdam', 'en-GB')).toMatch(/^Mon,? 2 Jun 2025, 09:05$/);
    expect(showDate('2025-06-02', 'en-GB')).toBe('2 Jun 2025');
  });
});
