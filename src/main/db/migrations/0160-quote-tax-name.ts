import type { Migration } from '../migrate';

/**
 * The tax a quote was priced with, by name: a location may charge its own tax (issue 15), and a
 * booking keeps the tax it was quoted with when it is re-priced (modify, extend, return) even if
 * the location's tax changed since. NULL on quotes stored before: they used the card's tax.
 */
export const m0160QuoteTaxName: Migration = {
  version: 160,
  name: 'quote-tax-name',
  up(db) {
    db.exec(`ALTER TABLE booking_quotes ADD COLUMN tax_name TEXT CHECK (tax_name IS NULL OR length(tax_name) BETWEEN 1 AND 20);`);
  },
};
