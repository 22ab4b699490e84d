import { describe, expect, it } from 'vitest';
import { actionsFor, fuelLabel, licenceExpiredOn, lineQuantity } from './labels';

describe('labels', () => {
  it('offers only the actions a status allows', () => {
    expect(actionsFor('reserved')).toContain('checkOut');
    expect(actionsFor('reserved')).not.toContain('checkIn');
    expect(actionsFor('checked_out')).toEqual(['checkIn', 'extend']);
    expect(actionsFor('returned')).toEqual(['close']);
    expect(actionsFor('cancelled')).toEqual([]);
  });

  it('says fuel as a clerk would', () => {
    expect([0, 1, 2, 4, 6, 7, 8].map(fuelLabel)).toEqual(['Empty', '1/8', '1/4', '1/2', '3/4', '7/8', 'Full']);
  });

  it('shows scaled quantities exactly', () => {
    expect(lineQuantity(3, 1)).toBe('3');
    expect(lineQuantity(12500, 1000)).toBe('12.5');
    expect(lineQuantity(5, 1000)).toBe('0.005');
    expect(lineQuantity(2000, 1000)).toBe('2');
  });

  it('treats a licence as valid through its expiry date', () => {
    expect(licenceExpiredOn('2025-06-02', '2025-06-02')).toBe(false);
    expect(licenceExpiredOn('2025-06-01', '2025-06-02')).toBe(true);
  });
});
