import type { PostgresMigration } from '../postgresMigrations';

/** Same as SQLite's 0020: Stripe's signature header next to the exact body it signs. */
export const postgres0020Signature: PostgresMigration = {
  version: 20,
  name: 'signature',
  sql: `ALTER TABLE events ADD COLUMN signature TEXT;`,
};
