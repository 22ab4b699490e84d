import { describe, expect, it } from 'vitest';
import { AVAILABLE_AT_SQL } from '../../services/fleet/fleetRepo';
import { dbAt, explain } from './testHelpers';

const window = { start: '2025-06-02T01:00:00.000Z', startG: '2025-06-02T00:00:00.000Z', ownStartG: '2025-06-02T00:00:00.000Z', endG: '2025-06-03T00:00:00.000Z', shopGap: 60, now: '2025-06-01T00:00:00.000Z', excludeId: null, class: null, pickupLocation: 'L1' };

describe('migration 0190 live bookings by vehicle', () => {
  it('finds each free car’s last live booking from the live-bookings index, never by scanning bookings', () => {
    const db = dbAt(Infinity);
    const plan = explain(db, AVAILABLE_AT_SQL, window);
    expect(plan).toMatch(/SEARCH b USING (COVERING )?INDEX bookings_live_vehicle_return \(vehicle_id=\? AND return_at<\?\)/);
    // The availability checks inside still use their own indexes.
    expect(plan).toMatch(/bookings_vehicle_return/);
    expect(plan).toMatch(/bookings_out/);
    expect(plan).toMatch(/vehicle_downtime_vehicle/);
    expect(plan).not.toMatch(/SCAN b\b/);
  });
});
