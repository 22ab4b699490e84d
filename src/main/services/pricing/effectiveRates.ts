import type { Db } from '../../db/connection';
import { appendAudit } from '../../core/audit';
import type { CallContext } from '../../core/handlers';
import { badInput } from '../../core/errors';
import type { LoadedCard, RateCardService } from './rateCards';

/**
 * Rate-card versions with an effective date (issue 15). A version saved with `schedule` takes
 * effect at its date; one saved with `save` at once. The card in force is the version with the
 * latest effective time not after now (the newest version on a tie), so a price change can be
 * entered today for the first of next month, and bookings made meanwhile keep today's card.
 */
export type EffectiveRates = RateCardService & {
  schedule(raw: unknown, effectiveFrom: string, ctx: Pick<CallContext, 'staffId' | 'role'>): LoadedCard & { effectiveFrom: string };
  /** Versions that take effect later than now, soonest first. */
  upcoming(): { id: string; version: number; effectiveFrom: string }[];
};

export function withEffectiveDates(rates: RateCardService, deps: { db: Db; installId: string; now: () => Date }): EffectiveRates {
  const { db, installId, now } = deps;
  const inForce = db.prepare<{ now: string }, { id: string; version: number }>(
    `SELECT rc.id, rc.version FROM rate_cards rc LEFT JOIN rate_card_schedule s ON s.id = rc.id AND s.version = rc.version
     WHERE coalesce(s.effective_from, rc.created_at) <= @now
     ORDER BY coalesce(s.effective_from, rc.created_at) DESC, rc.version DESC LIMIT 1`,
  );
  const later = db.prepare<{ now: string }, { id: string; version: number; effective_from: string }>(
    'SELECT id, version, effective_from FROM rate_card_schedule WHERE effective_from > @now ORDER BY effective_from, version',
  );
  const insert = db.prepare(
    `INSERT INTO rate_card_schedule (id, version, effective_from, created_by, install_id, created_at)
     VALUES (@id, @version, @effective_from, @created_by, @install_id, @created_at)`,
  );

  function currentOrNull(): LoadedCard | null {
    const row = inForce.get({ now: now().toISOString() });
    return row ? rates.version(row.id, row.version) : null;
  }

  return {
    ...rates,
    currentOrNull,
    current() {
      // The inner service's sentence for a shop with no card yet.
      return currentOrNull() ?? rates.current();
    },
    schedule(raw, effectiveFrom, ctx) {
      const from = new Date(effectiveFrom).toISOString();
      if (from <= now().toISOString()) throw badInput('effectiveFrom', 'The date must be in the future; to change prices now, save without a date');
      return db.transaction(() => {
        const saved = rates.save(raw, ctx);
        insert.run({ id: saved.id, version: saved.version, effective_from: from, created_by: ctx.staffId, install_id: installId, created_at: now().toISOString() });
        appendAudit(db, installId, { actorId: ctx.staffId, actorRole: ctx.role, action: 'rates.schedule', entityType: 'rate_card', entityId: saved.id, after: { version: saved.version, effectiveFrom: from } });
        return { ...saved, effectiveFrom: from };
      })();
    },
    upcoming: () => later.all({ now: now().toISOString() }).map((r) => ({ id: r.id, version: r.version, effectiveFrom: r.effective_from })),
  };
}
