import type { Migration } from '../migrate';

/**
 * Damage marked on the car's diagram at each hand-over: [{x, y, note}] in the diagram's own
 * 0–1000 coordinates, so check-in can show what is new since check-out. And bookings made by
 * class: `car_assigned` 0 while the car held for it is only a placeholder, given at pickup.
 */
export const m0150DamageMarks: Migration = {
  version: 150,
  name: 'damage-marks',
  up(db) {
    db.exec(`
      ALTER TABLE handovers ADD COLUMN marks_json TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(marks_json));
      ALTER TABLE bookings ADD COLUMN car_assigned INTEGER NOT NULL DEFAULT 1 CHECK (car_assigned IN (0, 1));
    `);
  },
};
