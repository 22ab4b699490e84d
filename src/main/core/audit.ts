import { createHash } from 'node:crypto';
import { ulid } from 'ulid';
import type { Db } from '../db/connection';

export type AuditEntry = {
  actorId: string | null;
  actorRole: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  before?: unknown;
  after?: unknown;
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
  prev_hash: string;
  hash: string;
};

const GENESIS = '0'.repeat(64);

function rowHash(r: Omit<AuditRow, 'seq' | 'hash'>): string {
  const material = JSON.stringify([
    r.prev_hash, r.id, r.at, r.install_id, r.actor_id, r.actor_role, r.action, r.entity_type, r.entity_id, r.before_json, r.after_json,
  ]);
  return createHash('sha256').update(material).digest('hex');
}

/**
 * Appends one audit row chained to the previous one. Call it inside the transaction that makes
 * the change, so the change and its audit row commit or roll back together.
 */
export function appendAudit(db: Db, installId: string, entry: AuditEntry, now = new Date()): AuditRow {
  const prev = db.prepare('SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { hash: string } | undefined;
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
    prev_hash: prev?.hash ?? GENESIS,
  };
  const hash = rowHash(row);
  const info = db
    .prepare(
      `INSERT INTO audit_log (id, at, install_id, actor_id, actor_role, action, entity_type, entity_id, before_json, after_json, prev_hash, hash)
       VALUES (@id, @at, @install_id, @actor_id, @actor_role, @action, @entity_type, @entity_id, @before_json, @after_json, @prev_hash, @hash)`,
    )
    .run({ ...row, hash });
  return { ...row, hash, seq: Number(info.lastInsertRowid) };
}

/** Walks the chain; returns the first broken row's seq, or null when the log is intact. */
export function verifyAuditChain(db: Db): number | null {
  let prev = GENESIS;
  for (const r of db.prepare('SELECT * FROM audit_log ORDER BY seq').iterate() as IterableIterator<AuditRow>) {
    if (r.prev_hash !== prev || rowHash(r) !== r.hash) return r.seq;
    prev = r.hash;
  }
  return null;
}

export function listAudit(db: Db, entityType: string, entityId: string): AuditRow[] {
  return db.prepare('SELECT * FROM audit_log WHERE entity_type = ? AND entity_id = ? ORDER BY seq').all(entityType, entityId) as AuditRow[];
}
