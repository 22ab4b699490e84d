import { describe, expect, it } from 'vitest';
import { pickupFlag } from './board';

const now = Date.parse('2025-06-02T10:00:00Z');

describe("today's board flags", () => {
  it('flags a reserved pickup past its time as late, and past two hours as a no-show candidate', () => {
    expect(pickupFlag({ status: 'reserved', pickupAt: '2025-06-02T10:30:00Z' }, now)).toBeNull();
    expect(pickupFlag({ status: 'reserved', pickupAt: '2025-06-02T09:35:00Z' }, now)).toEqual({ kind: 'late', text: 'Late 25 min' });
    expect(pickupFlag({ status: 'reserved', pickupAt: '2025-06-02T07:50:00Z' }, now)).toEqual({ kind: 'no-show', text: 'No-show? 2 h 10 min late' });
  });
  it('never flags a booking already picked up', () => {
    expect(pickupFlag({ status: 'checked_out', pickupAt: '2025-06-02T07:00:00Z' }, now)).toBeNull();
  });
});
