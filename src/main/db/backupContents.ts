import Database from 'better-sqlite3';

/**
 * True when a backup file still holds one of these customers: their record not erased, or (once
 * erased) their details still readable in its audit log; a backup from before migration 0170
 * copied details into the chain itself, so one that knows the customer at all holds them. A
 * backup that cannot be read is not trusted to be clean. Used by erasure to pick the backups to
 * replace.
 */
export function backupHoldsCustomers(path: string, customerIds: readonly string[]): boolean {
  let db: Database.Database | null = null;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    const ids = JSON.stringify(customerIds);
    const has = (sql: string) => (db?.prepare(sql).get(ids) as { n: number }).n > 0;
    const column = (table: string, name: string) => (db?.prepare(`SELECT count(*) AS n FROM pragma_table_info('${table}') WHERE name = ?`).get(name) as { n: number }).n > 0;
    const known = 'SELECT count(*) AS n FROM customers WHERE id IN (SELECT value FROM json_each(?))';
    if (!column('customers', 'erased_at')) return has(known);
    if (has(`${known} AND erased_at IS NULL`)) return true;
    if (!column('audit_personal', 'payload_json')) return has(known);
    return has('SELECT count(*) AS n FROM audit_personal WHERE subject_id IN (SELECT value FROM json_each(?)) AND payload_json IS NOT NULL');
  } catch {
    return true;
  } finally {
    db?.close();
  }
}
