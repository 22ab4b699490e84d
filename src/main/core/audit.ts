import { createHash, randomBytes } from 'node:crypto';
import { ulid } from 'ulid';
import type { Db } from '../db/connection';

/**
 * The audit log: append-only and hash-chained (each row's hash covers the previous row's hash),
 * so an edit or a deleted row anywhere breaks the chain from that point on.
 *
 * Design — audit rows refer to people, they do not copy them (issue 15, erasure on request).
 * A chain that copies a customer's name, phone or licence can never forget them: erasing the
 * copy breaks every hash after it. So personal data an entry needs (a customer's details, a
 * booking's free-text notes) goes into `audit_personal`, one row per audit row and person
 * (`subject_id`, the customer id), as `payload_json` with a random 128-bit `salt` and
 * `digest = SHA-256(salt, subject, payload)`. The audit row stores only `personal_digest`, a
 * SHA-256 over its subjects' digests, and that is what the chained hash covers. Erasure sets
 * the payload and salt of the person's rows to NULL and keeps the digest: the chain still
 * verifies end to end (the digest is still there to hash), a payload that is present must still
 * match its digest (so it cannot be altered), and without the salt the digest cannot be tested
 * against a guessed name. Triggers allow no other change to `audit_personal`.
 * Migration 0170 moved the personal data already in older rows out this way and re-sealed the
 * chain once, recording in the chain (action `audit.resealed`) the old head hash and whether
 * the old chain verified before it was re-sealed.
 *
 * The rest of an erasure (customers/customerRecords.ts, erasureStorage.ts): the record and
 * records merged into it are overwritten, search segments merged, Stripe's stored events blanked
 * of the payer, signature files, old backups and log mentions deleted; secure_delete is always
 * on (db/connection.ts, cost in bench/secureDelete.bench.ts) and the WAL is truncated after.
 *
 * What is not treated as personal: ids (a customer id names a record, not a person once the
 * record is erased), staff names, the reasons staff type for cancellations, discounts, refunds
 * and overrides (the shop's decisions), and hand-over damage notes and photos (about the car).
 */

export type PersonalPart = {
  /** The customer the data is about. */
  subjectId: string;
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
};

export type AuditEntry = {
  actorId: string | null;
  actorRole: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  before?: unknown;
  after?: unknown;
  /** Personal data the entry needs, kept outside the chain (see above). */
  personal?: readonly PersonalPart[];
};

export type AuditRow = {
  seq: number;
  id: string;
  at: string;
  install_id: string;
  actor_id: string | null;
  actor_role: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  before_json: string | null;
  after_json: string | null;
  personal_digest: string | null;
  prev_hash: string;
  hash: string;
};

type PersonalRow = { audit_seq: number; subject_id: string; digest: string; salt: string | null; payload_json: string | null };

export const AUDIT_GENESIS = '0'.repeat(64);

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** The row's hash; rows without personal data hash exactly as they did before 0170. */
export function auditRowHash(r: Omit<AuditRow, 'seq' | 'hash'>): string {
  const fields: unknown[] = [r.prev_hash, r.id, r.at, r.install_id, r.actor_id, r.actor_role, r.action, r.entity_type, r.entity_id, r.before_json, r.after_json];
  if (r.personal_digest !== null) fields.push(r.personal_digest);
  return sha256(JSON.stringify(fields));
}

export function personalDigest(salt: string, subjectId: string, payloadJson: string): string {
  return sha256(JSON.stringify([salt, subjectId, payloadJson]));
}

/** One digest over every subject's digest, in subject order. */
export function combinedDigest(parts: readonly { subject_id: string; digest: string }[]): string {
  return sha256(JSON.stringify([...parts].sort((a, b) => (a.subject_id < b.subject_id ? -1 : 1)).map((p) => [p.subject_id, p.digest])));
}

/** Groups the parts by person and seals each payload with a fresh salt. */
export function sealPersonal(parts: readonly PersonalPart[]): Omit<PersonalRow, 'audit_seq'>[] {
  const bySubject = new Map<string, { before?: Record<string, unknown>; after?: Record<string, unknown> }>();
  for (const p of parts) {
    const cur = bySubject.get(p.subjectId) ?? {};
    if (p.before !== undefined) cur.before = { ...cur.before, ...p.before };
    if (p.after !== undefined) cur.after = { ...cur.after, ...p.after };
    bySubject.set(p.subjectId, cur);
  }
  return [...bySubject].map(([subject_id, payload]) => {
    const salt = randomBytes(16).toString('hex');
    const payload_json = JSON.stringify(payload);
    return { subject_id, salt, payload_json, digest: personalDigest(salt, subject_id, payload_json) };
  });
}

/**
 * Appends one audit row chained to the previous one. Call it inside the transaction that makes
 * the change, so the change and its audit row commit or roll back together.
 */
export function appendAudit(db: Db, installId: string, entry: AuditEntry, now = new Date()): AuditRow {
  const prev = db.prepare('SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { hash: string } | undefined;
  const sealed = sealPersonal((entry.personal ?? []).filter((p) => p.before !== undefined || p.after !== undefined));
  const row = {
    id: ulid(now.getTime()),
    at: now.toISOString(),
    install_id: installId,
    actor_id: entry.actorId,
    actor_role: entry.actorRole,
    action: entry.action,
    entity_type: entry.entityType,
    entity_id: entry.entityId,
    before_json: entry.before === undefined ? null : JSON.stringify(entry.before),
    after_json: entry.after === undefined ? null : JSON.stringify(entry.after),
    personal_digest: sealed.length > 0 ? combinedDigest(sealed) : null,
    prev_hash: prev?.hash ?? AUDIT_GENESIS,
  };
  const hash = auditRowHash(row);
  // A row without personal data names no personal_digest column: it also appends to a log older than 0170.
  const { personal_digest, ...plain } = row;
  const info =
    personal_digest === null
      ? db
          .prepare(
            `INSERT INTO audit_log (id, at, install_id, actor_id, actor_role, action, entity_type, entity_id, before_json, after_json, prev_hash, hash)
             VALUES (@id, @at, @install_id, @actor_id, @actor_role, @action, @entity_type, @entity_id, @before_json, @after_json, @prev_hash, @hash)`,
          )
          .run({ ...plain, hash })
      : db
          .prepare(
            `INSERT INTO audit_log (id, at, install_id, actor_id, actor_role, action, entity_type, entity_id, before_json, after_json, personal_digest, prev_hash, hash)
             VALUES (@id, @at, @install_id, @actor_id, @actor_role, @action, @entity_type, @entity_id, @before_json, @after_json, @personal_digest, @prev_hash, @hash)`,
          )
          .run({ ...row, hash });
  const seq = Number(info.lastInsertRowid);
  if (sealed.length > 0) {
    const insertPersonal = db.prepare('INSERT INTO audit_personal (audit_seq, subject_id, digest, salt, payload_json) VALUES (@audit_seq, @subject_id, @digest, @salt, @payload_json)');
    for (const p of sealed) insertPersonal.run({ ...p, audit_seq: seq });
  }
  return { ...row, hash, seq };
}

/**
 * Walks the chain; returns the first broken row's seq, or null when the log is intact. A row is
 * broken when its hash or link is wrong, when its personal rows no longer combine to its digest,
 * or when a payload still present does not match its own digest. Erased payloads verify.
 */
export function verifyAuditChain(db: Db): number | null {
  // A log older than migration 0170 has no personal rows (tests of older schemas verify it too).
  if (!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_personal'").get()) return verifyRows(db, null, null);
  const personalOf = db.prepare<[number], PersonalRow>('SELECT * FROM audit_personal WHERE audit_seq = ?');
  const strays = db.prepare<[], { audit_seq: number }>(
    'SELECT p.audit_seq FROM audit_personal p LEFT JOIN audit_log a ON a.seq = p.audit_seq WHERE a.personal_digest IS NULL ORDER BY p.audit_seq LIMIT 1',
  );
  return verifyRows(db, (seq) => personalOf.all(seq), strays.get()?.audit_seq ?? null);
}

function verifyRows(db: Db, personalOf: ((seq: number) => PersonalRow[]) | null, stray: number | null): number | null {
  let prev = AUDIT_GENESIS;
  for (const raw of db.prepare('SELECT * FROM audit_log ORDER BY seq').iterate() as IterableIterator<AuditRow>) {
    const r = { ...raw, personal_digest: raw.personal_digest ?? null };
    if (r.prev_hash !== prev || auditRowHash(r) !== r.hash || r.seq === stray) return r.seq;
    if (r.personal_digest !== null) {
      if (personalOf === null) return r.seq;
      const parts = personalOf(r.seq);
      if (parts.length === 0 || combinedDigest(parts) !== r.personal_digest) return r.seq;
      for (const p of parts) {
        if (p.payload_json !== null && personalDigest(p.salt ?? '', p.subject_id, p.payload_json) !== p.digest) return r.seq;
      }
    }
    prev = r.hash;
  }
  return stray;
}

export function listAudit(db: Db, entityType: string, entityId: string): AuditRow[] {
  return db.prepare('SELECT * FROM audit_log WHERE entity_type = ? AND entity_id = ? ORDER BY seq').all(entityType, entityId) as AuditRow[];
}

/** The personal data kept for one audit row, per person; `erased` once the person was erased. */
export function readAuditPersonal(db: Db, seq: number): ({ subjectId: string; erased: false; before?: Record<string, unknown>; after?: Record<string, unknown> } | { subjectId: string; erased: true })[] {
  const rows = db.prepare<[number], PersonalRow>('SELECT * FROM audit_personal WHERE audit_seq = ? ORDER BY subject_id').all(seq);
  return rows.map((p) =>
    p.payload_json === null ? { subjectId: p.subject_id, erased: true } : { subjectId: p.subject_id, erased: false, ...(JSON.parse(p.payload_json) as object) },
  );
}

/** Forgets every audit payload about these people (their digests stay, so the chain verifies). */
export function erasePersonalAudit(db: Db, subjectIds: readonly string[]): number {
  const forget = db.prepare<[string]>('UPDATE audit_personal SET payload_json = NULL, salt = NULL WHERE subject_id = ? AND payload_json IS NOT NULL');
  return subjectIds.reduce((n, id) => n + forget.run(id).changes, 0);
}
