import type { Migration } from '../migrate';

/**
 * Cancellation and no-show fees. `end_fee` is what a cancelled or no-show booking still owes
 * (its fee quote's total); NULL on bookings that ended before fees existed, which owe nothing.
 * A live booking owes its `total` as before.
 */
export const m0140EndFees: Migration = {
  version: 140,
  name: 'end-fees',
  up(db) {
    db.exec(`ALTER TABLE bookings ADD COLUMN end_fee INTEGER CHECK (end_fee IS NULL OR end_fee >= 0);`);
  },
};
