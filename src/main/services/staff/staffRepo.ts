import type { Db } from '../../db/connection';

export type StaffRow = {
  id: string;
  name: string;
  role: 'clerk' | 'manager' | 'admin';
  pin_hash: string;
  failed_attempts: number;
  locked_until: string | null;
  active: number;
  install_id: string;
  version: number;
  created_at: string;
  updated_at: string;
};

export type StaffRepo = ReturnType<typeof createStaffRepo>;

export function createStaffRepo(db: Db) {
  const list = db.prepare<[], StaffRow>("SELECT * FROM staff WHERE active = 1 ORDER BY role = 'manager' DESC, name");
  const get = db.prepare<[string], StaffRow>('SELECT * FROM staff WHERE id = ?');
  const insert = db.prepare<[StaffRow]>(
    `INSERT INTO staff (id, name, role, pin_hash, failed_attempts, locked_until, active, install_id, version, created_at, updated_at)
     VALUES (@id, @name, @role, @pin_hash, @failed_attempts, @locked_until, @active, @install_id, @version, @created_at, @updated_at)`,
  );
  const recordFailure = db.prepare<{ id: string; lockAfter: number; lockedUntil: string; now: string }>(
    `UPDATE staff SET
       failed_attempts = CASE WHEN failed_attempts + 1 >= @lockAfter THEN 0 ELSE failed_attempts + 1 END,
       locked_until    = CASE WHEN failed_attempts + 1 >= @lockAfter THEN @lockedUntil ELSE locked_until END,
       updated_at = @now
     WHERE id = @id`,
  );
  const recordSuccess = db.prepare<{ id: string; now: string }>(
    'UPDATE staff SET failed_attempts = 0, locked_until = NULL, updated_at = @now WHERE id = @id AND (failed_attempts > 0 OR locked_until IS NOT NULL)',
  );
  const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM staff');
  const firstManager = db.prepare<[], StaffRow>("SELECT * FROM staff WHERE role = 'manager' AND active = 1 ORDER BY created_at, id LIMIT 1");
  const names = db.prepare<[string], { id: string; name: string }>('SELECT id, name FROM staff WHERE id IN (SELECT value FROM json_each(?))');

  return {
    list: () => list.all(),
    get: (id: string) => get.get(id),
    insert: (row: StaffRow) => void insert.run(row),
    recordFailure: (id: string, lockAfter: number, lockedUntil: string, now: string) => void recordFailure.run({ id, lockAfter, lockedUntil, now }),
    recordSuccess: (id: string, now: string) => void recordSuccess.run({ id, now }),
    count: () => count.get()?.n ?? 0,
    firstManager: () => firstManager.get(),
    /** id → name for the given ids (audit trails, handovers). */
    names(ids: readonly string[]): Map<string, string> {
      if (ids.length === 0) return new Map();
      return new Map(names.all(JSON.stringify(ids)).map((r) => [r.id, r.name]));
    },
  };
}
