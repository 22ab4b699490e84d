import type { Db } from '../../db/connection';

export type CustomerRow = {
  seq?: number;
  id: string;
  first_name: string;
  last_name: string;
  email: string;
  phone: string;
  licence_number: string;
  licence_expiry: string;
  date_of_birth: string;
  notes: string;
  /** Absent on rows built before they were written (insert). */
  erased_at?: string | null;
  merged_into?: string | null;
  install_id: string;
  version: number;
  created_at: string;
  updated_at: string;
};

const COLUMNS =
  'seq, id, first_name, last_name, email, phone, licence_number, licence_expiry, date_of_birth, notes, erased_at, merged_into, install_id, version, created_at, updated_at';

export type CustomersRepo = ReturnType<typeof createCustomersRepo>;

export function createCustomersRepo(db: Db) {
  const get = db.prepare<[string], CustomerRow>(`SELECT ${COLUMNS} FROM customers WHERE id = ?`);
  const insert = db.prepare<[CustomerRow]>(
    `INSERT INTO customers (id, first_name, last_name, email, phone, licence_number, licence_expiry, date_of_birth, notes, install_id, version, created_at, updated_at)
     VALUES (@id, @first_name, @last_name, @email, @phone, @licence_number, @licence_expiry, @date_of_birth, @notes, @install_id, @version, @created_at, @updated_at)`,
  );
  const update = db.prepare<[CustomerRow]>(
    `UPDATE customers SET first_name = @first_name, last_name = @last_name, email = @email, phone = @phone,
       licence_number = @licence_number, licence_expiry = @licence_expiry, date_of_birth = @date_of_birth, notes = @notes,
       version = version + 1, updated_at = @updated_at
     WHERE id = @id`,
  );
  // FTS match then rank; the search module builds a safe MATCH expression.
  const search = db.prepare<{ match: string; limit: number }, CustomerRow>(
    `SELECT ${COLUMNS.split(', ').map((c) => `c.${c}`).join(', ')}
     FROM customers_fts f JOIN customers c ON c.seq = f.rowid
     WHERE customers_fts MATCH @match AND c.merged_into IS NULL AND c.erased_at IS NULL
     ORDER BY bm25(customers_fts, 4.0, 2.0, 3.0, 3.0), c.last_name, c.first_name
     LIMIT @limit`,
  );
  const recent = db.prepare<{ limit: number }, CustomerRow>(`SELECT ${COLUMNS} FROM customers WHERE merged_into IS NULL AND erased_at IS NULL ORDER BY seq DESC LIMIT @limit`);
  return {
    get: (id: string) => get.get(id),
    insert: (row: CustomerRow) => void insert.run(row),
    update: (row: CustomerRow) => void update.run(row),
    search: (match: string, limit: number) => search.all({ match, limit }),
    recent: (limit: number) => recent.all({ limit }),
  };
}
