import { createHash, randomBytes } from 'node:crypto';
import { ulid } from 'ulid';
import type { Db } from '../connection';
import type { Migration } from '../migrate';

/**
 * Audit rows refer to people instead of copying them (issue 15, erasure on request; the design
 * is described at the top of `core/audit.ts`). Adds `audit_log.personal_digest`, the
 * `audit_personal` table (payloads an erasure can forget while the chain still verifies) and
 * `erasure_pending` (files and backups an erasure still has to clear, so a crash between the
 * transaction and the deletion is finished later). Then moves the personal data already in older rows (a
 * customer's details; a booking's notes) out of them and re-seals the chain once, appending an
 * `audit.resealed` row that records the old head hash and whether the old chain verified.
 *
 * The hashing here is a frozen copy of `core/audit.ts` as of this migration, so later changes
 * there cannot change what this step wrote.
 */
export const m0170AuditPersonal: Migration = {
  version: 170,
  name: 'audit-personal',
  up(db) {
    db.exec(`
      ALTER TABLE audit_log ADD COLUMN personal_digest TEXT;

      CREATE TABLE audit_personal (
        audit_seq    INTEGER NOT NULL REFERENCES audit_log (seq),
        subject_id   TEXT NOT NULL,
        digest       TEXT NOT NULL,
        salt         TEXT,
        payload_json TEXT CHECK (payload_json IS NULL OR json_valid(payload_json)),
        PRIMARY KEY (audit_seq, subject_id),
        CHECK ((salt IS NULL) = (payload_json IS NULL))
      ) STRICT;
      CREATE INDEX audit_personal_subject ON audit_personal (subject_id) WHERE payload_json IS NOT NULL;
      -- The only change allowed is forgetting a payload (erasure); the digest stays for the chain.
      CREATE TRIGGER audit_personal_erase_only BEFORE UPDATE ON audit_personal
      WHEN NEW.payload_json IS NOT NULL OR NEW.salt IS NOT NULL OR NEW.digest IS NOT OLD.digest
        OR NEW.subject_id IS NOT OLD.subject_id OR NEW.audit_seq IS NOT OLD.audit_seq
      BEGIN SELECT RAISE(ABORT, 'audit_personal rows can only be erased'); END;
      CREATE TRIGGER audit_personal_no_delete BEFORE DELETE ON audit_personal
      BEGIN SELECT RAISE(ABORT, 'audit_personal rows can only be erased'); END;

      -- What an erasure still has to do outside the database after its transaction committed: a
      -- file to delete ('file', ref relative to the data folder), backups still holding the person
      -- to replace ('backups', ref = the record's id), or one VACUUM of a database written before
      -- secure_delete was on ('vacuum'). Holds no personal data; emptied as each step is done.
      CREATE TABLE erasure_pending (
        customer_id TEXT NOT NULL,
        kind        TEXT NOT NULL CHECK (kind IN ('file', 'backups', 'vacuum')),
        ref         TEXT NOT NULL DEFAULT '',
        queued_at   TEXT NOT NULL,
        PRIMARY KEY (kind, ref, customer_id)
      ) STRICT;
    `);
    const now = new Date();
    // Free space written before secure_delete was on may still hold old details: one VACUUM rewrites it.
    const used = (db.prepare('SELECT (SELECT count(*) FROM customers) + (SELECT count(*) FROM audit_log) AS n').get() as { n: number }).n > 0;
    if (used) db.prepare("INSERT INTO erasure_pending (customer_id, kind, ref, queued_at) VALUES ('', 'vacuum', '', ?)").run(now.toISOString());
    resealWithoutPersonalData(db, now);
    finishEarlierErasures(db, now);
  },
};

/**
 * Customers erased before this migration: their records merged into them are erased too, their
 * audit payloads (just moved out of the chain) forgotten, and their signature files and the
 * backups still holding them queued for the clean-up that runs at start.
 */
function finishEarlierErasures(db: Db, now: Date): void {
  const erased = db
    .prepare(
      `WITH RECURSIVE m(id, root, at) AS (
         SELECT id, id, erased_at FROM customers WHERE erased_at IS NOT NULL
         UNION SELECT c.id, m.root, m.at FROM customers c JOIN m ON c.merged_into = m.id
       ) SELECT id, root, at FROM m`,
    )
    .all() as { id: string; root: string; at: string }[];
  if (erased.length === 0) return;
  const eraseRow = db.prepare(
    `UPDATE customers SET first_name = 'Erased', last_name = 'customer', email = '', phone = '000000', licence_number = 'ERASED',
       licence_expiry = '1900-01-01', date_of_birth = '1900-01-01', notes = '', erased_at = @at, version = version + 1, updated_at = @now
     WHERE id = @id AND erased_at IS NULL`,
  );
  const forget = db.prepare('UPDATE audit_personal SET payload_json = NULL, salt = NULL WHERE subject_id = ? AND payload_json IS NOT NULL');
  const queue = db.prepare('INSERT OR IGNORE INTO erasure_pending (customer_id, kind, ref, queued_at) VALUES (?, ?, ?, ?)');
  const signatures = db.prepare<[string], string>(
    'SELECT h.signature_ref FROM handovers h JOIN bookings b ON b.id = h.booking_id WHERE b.customer_id = ? AND h.signature_ref IS NOT NULL',
  );
  const stamp = now.toISOString();
  for (const e of erased) {
    eraseRow.run({ id: e.id, at: e.at, now: stamp });
    forget.run(e.id);
    queue.run(e.root, 'backups', e.id, stamp);
    for (const ref of signatures.pluck().all(e.id)) queue.run(e.root, 'file', ref, stamp);
  }
  db.exec("INSERT INTO customers_fts (customers_fts) VALUES ('optimize'); INSERT INTO bookings_fts (bookings_fts) VALUES ('optimize');");
}

type OldRow = {
  seq: number; id: string; at: string; install_id: string; actor_id: string | null; actor_role: string | null; action: string;
  entity_type: string; entity_id: string | null; before_json: string | null; after_json: string | null; prev_hash: string; hash: string;
};
type Sealed = { subject_id: string; digest: string; salt: string; payload_json: string };

const GENESIS = '0'.repeat(64);
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

function rowHash(r: Omit<OldRow, 'seq' | 'hash'> & { personal_digest: string | null }): string {
  const fields: unknown[] = [r.prev_hash, r.id, r.at, r.install_id, r.actor_id, r.actor_role, r.action, r.entity_type, r.entity_id, r.before_json, r.after_json];
  if (r.personal_digest !== null) fields.push(r.personal_digest);
  return sha256(JSON.stringify(fields));
}

function seal(subject_id: string, payload: object): Sealed {
  const salt = randomBytes(16).toString('hex');
  const payload_json = JSON.stringify(payload);
  return { subject_id, salt, payload_json, digest: sha256(JSON.stringify([salt, subject_id, payload_json])) };
}

const combined = (parts: Sealed[]) =>
  sha256(JSON.stringify([...parts].sort((a, b) => (a.subject_id < b.subject_id ? -1 : 1)).map((p) => [p.subject_id, p.digest])));

/** Every key a customer row or form carries about the person (both spellings ever written). */
const CUSTOMER_KEYS = new Set([
  'first_name', 'last_name', 'email', 'phone', 'licence_number', 'licence_expiry', 'date_of_birth', 'notes',
  'firstName', 'lastName', 'licenceNumber', 'licenceExpiry', 'dateOfBirth', 'name',
]);
/** On a booking: its free-text notes, and any customer detail an older row may have copied. */
const BOOKING_KEYS = new Set(['notes', 'customerName', 'email', 'phone', 'licenceNumber', 'licence_number', 'dateOfBirth', 'date_of_birth']);

type Obj = Record<string, unknown>;
const parse = (s: string | null): Obj | null => {
  if (s === null) return null;
  const v = JSON.parse(s) as unknown;
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : null;
};

/** Splits one object into what stays in the chain and what is personal. */
function split(o: Obj | null, keys: Set<string>): { kept: Obj | null; personal: Obj | undefined } {
  if (o === null) return { kept: null, personal: undefined };
  const kept: Obj = {};
  const personal: Obj = {};
  for (const [k, v] of Object.entries(o)) (keys.has(k) ? personal : kept)[k] = v;
  return Object.keys(personal).length === 0 ? { kept: o, personal: undefined } : { kept, personal };
}

/** What an older row holds about whom, in the shape the services now write. */
function moveOut(r: OldRow, bookingCustomer: (id: string) => string | null) {
  const before = parse(r.before_json);
  const after = parse(r.after_json);
  const keys = r.entity_type === 'customer' ? CUSTOMER_KEYS : r.entity_type === 'booking' ? BOOKING_KEYS : null;
  if (keys === null || (before === null && after === null)) return null;
  const b = split(before, keys);
  const a = split(after, keys);
  if (!b.personal && !a.personal) return null;
  const parts: { subject: string; side: 'before' | 'after'; data: Obj }[] = [];
  if (r.entity_type === 'customer') {
    const subject = r.entity_id ?? '';
    if (b.personal) parts.push({ subject, side: 'before', data: b.personal });
    if (a.personal) parts.push({ subject, side: 'after', data: a.personal });
  } else {
    // A booking's notes are about its customer at the time: the id in the row, else its customer now.
    const now = r.entity_id ? bookingCustomer(r.entity_id) : null;
    const id = (o: Obj | null) => (o && typeof o.customerId === 'string' ? o.customerId : null);
    if (b.personal) parts.push({ subject: id(before) ?? id(after) ?? now ?? 'unknown', side: 'before', data: b.personal });
    if (a.personal) parts.push({ subject: id(after) ?? id(before) ?? now ?? 'unknown', side: 'after', data: a.personal });
  }
  const bySubject = new Map<string, Obj>();
  for (const p of parts) bySubject.set(p.subject, { ...bySubject.get(p.subject), [p.side]: p.data });
  const sealed = [...bySubject].map(([s, payload]) => seal(s, payload));
  let keptAfter = a.kept !== null && Object.keys(a.kept).length === 0 ? null : a.kept;
  if (r.entity_type === 'customer' && r.action === 'customer.update') keptAfter = { ...keptAfter, changed: Object.keys(a.personal ?? b.personal ?? {}) };
  return {
    before_json: b.kept === null || Object.keys(b.kept).length === 0 ? null : JSON.stringify(b.kept),
    after_json: keptAfter === null ? null : JSON.stringify(keptAfter),
    sealed,
  };
}

/** Pages of the log in seq order, so a long log is never held in memory whole. */
function* pages(db: Db, startAfter = 0, size = 2000): Generator<OldRow[]> {
  const page = db.prepare<[number, number], OldRow>(
    'SELECT seq, id, at, install_id, actor_id, actor_role, action, entity_type, entity_id, before_json, after_json, prev_hash, hash FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?',
  );
  for (let after = startAfter; ; ) {
    const rows = page.all(after, size);
    if (rows.length === 0) return;
    yield rows;
    after = (rows.at(-1) as OldRow).seq;
  }
}

export function resealWithoutPersonalData(db: Db, now: Date): void {
  const head = db.prepare('SELECT seq, install_id, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as Pick<OldRow, 'seq' | 'install_id' | 'hash'> | undefined;
  if (!head) return;
  const customerOf = db.prepare<[string], { customer_id: string }>('SELECT customer_id FROM bookings WHERE id = ?');
  // First pass: whether the chain as it stood verified (re-sealing must not hide an earlier
  // break), and which rows hold personal data (few: customers' rows and booking notes).
  let prev = GENESIS;
  let firstBroken: number | null = null;
  let first: number | null = null;
  let movedCount = 0;
  for (const rows of pages(db)) {
    for (const r of rows) {
      if (firstBroken === null && (r.prev_hash !== prev || rowHash({ ...r, personal_digest: null }) !== r.hash)) firstBroken = r.seq;
      prev = r.hash;
      if (moveOut(r, () => null) !== null) {
        first ??= r.seq;
        movedCount++;
      }
    }
  }
  if (first === null) return;

  const trigger = (db.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'audit_log_no_update'").get() as { sql: string } | undefined)?.sql;
  db.exec('DROP TRIGGER IF EXISTS audit_log_no_update');
  const update = db.prepare('UPDATE audit_log SET before_json = @before_json, after_json = @after_json, personal_digest = @personal_digest, prev_hash = @prev_hash, hash = @hash WHERE seq = @seq');
  const insertPersonal = db.prepare('INSERT INTO audit_personal (audit_seq, subject_id, digest, salt, payload_json) VALUES (@audit_seq, @subject_id, @digest, @salt, @payload_json)');
  // Second pass, from the first row that changes: move the data out and re-chain every row after it.
  prev = (db.prepare('SELECT hash FROM audit_log WHERE seq < ? ORDER BY seq DESC LIMIT 1').pluck().get(first) as string | undefined) ?? GENESIS;
  for (const rows of pages(db, first - 1)) {
    for (const r of rows) {
      const m = moveOut(r, (id) => customerOf.get(id)?.customer_id ?? null);
      const next = {
        ...r,
        before_json: m ? m.before_json : r.before_json,
        after_json: m ? m.after_json : r.after_json,
        personal_digest: m ? combined(m.sealed) : null,
        prev_hash: prev,
      };
      const hash = rowHash(next);
      update.run({ seq: r.seq, before_json: next.before_json, after_json: next.after_json, personal_digest: next.personal_digest, prev_hash: prev, hash });
      for (const p of m?.sealed ?? []) insertPersonal.run({ ...p, audit_seq: r.seq });
      prev = hash;
    }
  }
  db.exec(trigger ?? "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END");

  const row = {
    id: ulid(now.getTime()),
    at: now.toISOString(),
    install_id: head.install_id,
    actor_id: null,
    actor_role: 'migration',
    action: 'audit.resealed',
    entity_type: 'audit_log',
    entity_id: null,
    before_json: JSON.stringify({ headSeq: head.seq, headHash: head.hash }),
    after_json: JSON.stringify({ migration: 170, oldHeadHash: head.hash, oldChainVerified: firstBroken === null, firstBrokenSeq: firstBroken, rowsMoved: movedCount, firstResealedSeq: first }),
    personal_digest: null,
    prev_hash: prev,
  };
  db.prepare(
    `INSERT INTO audit_log (id, at, install_id, actor_id, actor_role, action, entity_type, entity_id, before_json, after_json, personal_digest, prev_hash, hash)
     VALUES (@id, @at, @install_id, @actor_id, @actor_role, @action, @entity_type, @entity_id, @before_json, @after_json, @personal_digest, @prev_hash, @hash)`,
  ).run({ ...row, hash: rowHash(row) });
}
