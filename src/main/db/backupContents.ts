import Database from 'better-sqlite3';

/**
 * True when a backup file still holds one of these customers un-erased, or cannot be read (then
 * it is not trusted to be clean). Used by erasure to decide which backups must be replaced.
 */
export function backupHoldsCustomers(path: string, customerIds: readonly string[]): boolean {
  let db: Database.Database | null = null;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    const hasErased = (db.prepare("SELECT count(*) AS n FROM pragma_table_info('customers') WHERE name = 'erased_at'").get() as { n: number }).n > 0;
    const sql = `SELECT count(*) AS n FROM customers WHERE id IN (SELECT value FROM json_each(?))${hasErased ? ' AND erased_at IS NULL' : ''}`;
    return (db.prepare(sql).get(JSON.stringify(customerIds)) as { n: number }).n > 0;
  } catch {
    return true;
  } finally {
    db?.close();
  }
}
