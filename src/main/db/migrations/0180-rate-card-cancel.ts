import type { Migration } from '../migrate';

/**
 * A scheduled rate-card version can be cancelled before its date (issue 15): the row keeps who
 * cancelled it and when, so the versions list can say so. A schedule row otherwise never
 * changes: its date is what the office agreed, and a cancellation is final.
 */
export const m0180RateCardCancel: Migration = {
  version: 180,
  name: 'rate-card-cancel',
  up(db) {
    db.exec(`
      ALTER TABLE rate_card_schedule ADD COLUMN cancelled_at TEXT;
      ALTER TABLE rate_card_schedule ADD COLUMN cancelled_by TEXT;
      CREATE TRIGGER rate_card_schedule_cancel_only BEFORE UPDATE ON rate_card_schedule
      WHEN OLD.cancelled_at IS NOT NULL OR NEW.cancelled_at IS NULL
        OR NEW.id IS NOT OLD.id OR NEW.version IS NOT OLD.version OR NEW.effective_from IS NOT OLD.effective_from
        OR NEW.created_by IS NOT OLD.created_by OR NEW.install_id IS NOT OLD.install_id OR NEW.created_at IS NOT OLD.created_at
      BEGIN SELECT RAISE(ABORT, 'a scheduled rate card can only be cancelled, once'); END;
      CREATE TRIGGER rate_card_schedule_no_delete BEFORE DELETE ON rate_card_schedule
      BEGIN SELECT RAISE(ABORT, 'scheduled rate cards are kept; cancel one instead'); END;
    `);
  },
};
