import { describe, expect, it } from 'vitest';
import type { AuditRow } from '../../core/audit';
import { balanceDue, describeAudit } from './bookingView';

describe('balance due', () => {
  it('is what is left to take on a live booking', () => {
    expect(balanceDue('reserved', 30960, 0, 0)).toBe(30960);
    expect(balanceDue('returned', 30960, 30960, 0)).toBe(0);
    expect(balanceDue('returned', 30960, 30960, 1000)).toBe(1000);
  });
  it('is nothing on a cancelled or no-show booking, and negative when money was taken', () => {
    expect(balanceDue('cancelled', 45120, 0, 0)).toBe(0);
    expect(balanceDue('no_show', 45120, 0, 0)).toBe(0);
    expect(balanceDue('cancelled', 45120, 10000, 0)).toBe(-10000);
  });
});

describe('booking history', () => {
  const row = (action: string, after: object): AuditRow => ({
    seq: 1, id: 'A1', at: '2025-06-02T07:00:00.000Z', install_id: 'I', actor_id: null, actor_role: null, action,
    entity_type: 'booking', entity_id: 'B1', before_json: null, after_json: JSON.stringify(after), personal_digest: null, prev_hash: '', hash: '',
  });
  it('shows odometer readings grouped as the shop\'s locale writes numbers, like the rest of the screen', () => {
    expect(describeAudit(row('booking.check_out', { odometer: 90090, fuelEighths: 8 }), 'Europe/Amsterdam', 'en-GB')).toBe('Checked out at 90,090 on the odometer, fuel 8/8');
    expect(describeAudit(row('booking.check_in', { odometer: 90590, fuelEighths: 6 }), 'Europe/Amsterdam', 'de-DE')).toBe('Returned at 90.590 on the odometer, fuel 6/8');
  });
});
