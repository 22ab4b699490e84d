import type { Migration } from '../migrate';

/**
 * Damage marked on the car's diagram at each hand-over: [{x, y, note}] in the diagram's own
 * 0–1000 coordinates, so check-in can show what is new since check-out.
 */
export const m0150DamageMarks: Migration = {
  version: 150,
  name: 'damage-marks',
  up(db) {
    db.exec(`ALTER TABLE handovers ADD COLUMN marks_json TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(marks_json));`);
  },
};
