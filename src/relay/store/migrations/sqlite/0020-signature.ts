import type { SqliteMigration } from '../sqliteMigrations';

/**
 * Stripe's `Stripe-Signature` header, kept with the exact body it signs (`payload`), so a till
 * that holds the endpoint secret can verify the event itself. NULL for backfilled events.
 */
export const sqlite0020Signature: SqliteMigration = {
  version: 20,
  name: 'signature',
  up: (db) => {
    db.exec('ALTER TABLE events ADD COLUMN signature TEXT');
  },
};
