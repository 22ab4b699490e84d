import type { Db } from '../db/connection';

export type OutboxRow = {
  id: string;
  kind: string;
  entity_type: string;
  entity_id: string;
  payload_json: string;
  idempotency_key: string;
  status: 'pending' | 'in_flight' | 'done' | 'failed' | 'canceled';
  attempts: number;
  next_attempt_at: string;
  first_sent_at: string | null;
  last_error: string | null;
  attention_reason: string | null;
  attention_action: string | null;
  result_json: string | null;
  install_id: string;
  created_at: string;
  updated_at: string;
};

/** Plain SQL for the outbox; every write is called inside the caller's transaction. */
export function createOutboxRepo(db: Db) {
  const q = {
    insert: db.prepare(
      `INSERT INTO outbox (id, kind, entity_type, entity_id, payload_json, idempotency_key, status, attempts, next_attempt_at, install_id, created_at, updated_at)
       VALUES (@id, @kind, @entity_type, @entity_id, @payload_json, @idempotency_key, 'pending', 0, @at, @install_id, @at, @at)`,
    ),
    get: db.prepare('SELECT * FROM outbox WHERE id = ?'),
    byEntity: db.prepare('SELECT * FROM outbox WHERE entity_type = ? AND entity_id = ? ORDER BY created_at DESC LIMIT 1'),
    nextDue: db.prepare("SELECT * FROM outbox WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT 1"),
    earliest: db.prepare("SELECT min(next_attempt_at) FROM outbox WHERE status = 'pending'").pluck(),
    claim: db.prepare(
      "UPDATE outbox SET status = 'in_flight', attempts = attempts + 1, first_sent_at = coalesce(first_sent_at, @at), updated_at = @at WHERE id = @id AND status = 'pending'",
    ),
    restartWindow: db.prepare('UPDATE outbox SET first_sent_at = @at, updated_at = @at WHERE id = @id'),
    done: db.prepare("UPDATE outbox SET status = 'done', result_json = @result, last_error = NULL, updated_at = @at WHERE id = @id AND status = 'in_flight'"),
    retry: db.prepare("UPDATE outbox SET status = 'pending', next_attempt_at = @next, last_error = @error, updated_at = @at WHERE id = @id AND status = 'in_flight'"),
    fail: db.prepare(
      `UPDATE outbox SET status = 'failed', last_error = @error, attention_reason = @reason, attention_action = @action, updated_at = @at
       WHERE id = @id AND status = 'in_flight'`,
    ),
    cancel: db.prepare("UPDATE outbox SET status = 'canceled', updated_at = @at WHERE id = @id AND status IN ('pending', 'failed')"),
    requeue: db.prepare(
      "UPDATE outbox SET status = 'pending', next_attempt_at = @at, attention_reason = NULL, attention_action = NULL, updated_at = @at WHERE id = @id AND status = 'failed'",
    ),
    recover: db.prepare("UPDATE outbox SET status = 'pending', updated_at = @at WHERE status = 'in_flight'"),
    pullForward: db.prepare("UPDATE outbox SET next_attempt_at = @at WHERE status = 'pending' AND next_attempt_at > @at"),
    waiting: db.prepare("SELECT count(*) FROM outbox WHERE status IN ('pending', 'in_flight')").pluck(),
    attentionCount: db.prepare("SELECT count(*) FROM outbox WHERE status = 'failed'").pluck(),
    attention: db.prepare("SELECT * FROM outbox WHERE status = 'failed' ORDER BY updated_at DESC LIMIT ?"),
  };
  return {
    insert: (row: Pick<OutboxRow, 'id' | 'kind' | 'entity_type' | 'entity_id' | 'payload_json' | 'idempotency_key' | 'install_id'> & { at: string }) => q.insert.run(row),
    get: (id: string) => q.get.get(id) as OutboxRow | undefined,
    byEntity: (type: string, id: string) => q.byEntity.get(type, id) as OutboxRow | undefined,
    nextDue: (at: string) => q.nextDue.get(at) as OutboxRow | undefined,
    earliest: () => (q.earliest.get() as string | null) ?? null,
    claim: (id: string, at: string) => q.claim.run({ id, at }).changes === 1,
    restartWindow: (id: string, at: string) => q.restartWindow.run({ id, at }),
    done: (id: string, result: unknown, at: string) => q.done.run({ id, result: result === undefined ? null : JSON.stringify(result), at }).changes === 1,
    retry: (id: string, next: string, error: string, at: string) => q.retry.run({ id, next, error, at }).changes === 1,
    fail: (id: string, error: string, reason: string, action: string, at: string) => q.fail.run({ id, error, reason, action, at }).changes === 1,
    cancel: (id: string, at: string) => q.cancel.run({ id, at }).changes === 1,
    requeue: (id: string, at: string) => q.requeue.run({ id, at }).changes === 1,
    recover: (at: string) => q.recover.run({ at }).changes,
    pullForward: (at: string) => q.pullForward.run({ at }).changes,
    waiting: () => q.waiting.get() as number,
    attentionCount: () => q.attentionCount.get() as number,
    attention: (limit: number) => q.attention.all(limit) as OutboxRow[],
  };
}
export type OutboxRepo = ReturnType<typeof createOutboxRepo>;
