import { PosError } from '../../../shared/errors';
import type { LaterVersionsChoice, RateCardVersionView } from '../../../shared/contract/rateCardAdmin';
import type { Db } from '../../db/connection';
import { appendAudit } from '../../core/audit';
import type { CallContext } from '../../core/handlers';
import { badInput } from '../../core/errors';
import { formatShopTime } from '../../core/shopTime';
import type { LoadedCard, RateCardService } from './rateCards';

/**
 * Rate-card versions with an effective date (issue 15). A version saved with `schedule` takes
 * effect at its date; one saved with `saveNow` at once. The card in force is the version with the
 * latest effective time not after now (the newest version on a tie), cancelled versions left out,
 * so a price change can be entered today for the first of next month, and bookings made meanwhile
 * keep today's card.
 *
 * The rule for overlapping changes: a version that would take effect before one already
 * scheduled would silently be undone on that date. So saving it needs the manager's choice,
 * `laterVersions`: 'cancel' the scheduled versions (audited), or 'keep' them and accept they
 * replace this change on their dates. Without a choice nothing is written and the sentence names
 * both dates. The check and the write share one write-locking transaction.
 */
type Ctx = Pick<CallContext, 'staffId' | 'role'>;
type Upcoming = { id: string; version: number; effectiveFrom: string };

export type EffectiveRates = RateCardService & {
  saveNow(raw: unknown, ctx: Ctx, laterVersions?: LaterVersionsChoice): LoadedCard;
  schedule(raw: unknown, effectiveFrom: string, ctx: Ctx, laterVersions?: LaterVersionsChoice): LoadedCard & { effectiveFrom: string };
  /** Cancels a version that has not taken effect yet; audited. */
  cancelScheduled(input: { id: string; version: number; reason: string }, ctx: Ctx): void;
  /** Versions that take effect later than now, soonest first (cancelled ones left out). */
  upcoming(): Upcoming[];
  /** Every version, newest first, with what it is now: in force, scheduled, superseded or cancelled. */
  versions(): RateCardVersionView[];
  /** The number the next saved version of card `id` gets. */
  nextVersion(id: string): number;
};

type VersionRow = {
  id: string;
  version: number;
  name: string;
  created_at: string;
  saved_by: string | null;
  effective_from: string | null;
  cancelled_at: string | null;
  cancelled_by: string | null;
};

export function withEffectiveDates(rates: RateCardService, deps: { db: Db; installId: string; now: () => Date; shop: () => { timeZone: string; locale: string } }): EffectiveRates {
  const { db, installId, now } = deps;
  const inForce = db.prepare<{ now: string }, { id: string; version: number }>(
    `SELECT rc.id, rc.version FROM rate_cards rc LEFT JOIN rate_card_schedule s ON s.id = rc.id AND s.version = rc.version
     WHERE coalesce(s.effective_from, rc.created_at) <= @now AND s.cancelled_at IS NULL
     ORDER BY coalesce(s.effective_from, rc.created_at) DESC, rc.version DESC LIMIT 1`,
  );
  const later = db.prepare<{ after: string }, { id: string; version: number; effective_from: string }>(
    'SELECT id, version, effective_from FROM rate_card_schedule WHERE effective_from > @after AND cancelled_at IS NULL ORDER BY effective_from, version',
  );
  const sameTime = db.prepare<{ at: string }, { version: number }>('SELECT version FROM rate_card_schedule WHERE effective_from = @at AND cancelled_at IS NULL');
  const scheduleRow = db.prepare<[string, number], { effective_from: string; cancelled_at: string | null }>('SELECT effective_from, cancelled_at FROM rate_card_schedule WHERE id = ? AND version = ?');
  const insert = db.prepare(
    `INSERT INTO rate_card_schedule (id, version, effective_from, created_by, install_id, created_at)
     VALUES (@id, @version, @effective_from, @created_by, @install_id, @created_at)`,
  );
  const cancel = db.prepare<{ id: string; version: number; at: string; by: string | null }>(
    'UPDATE rate_card_schedule SET cancelled_at = @at, cancelled_by = @by WHERE id = @id AND version = @version AND cancelled_at IS NULL AND effective_from > @at',
  );
  const all = db.prepare<[], VersionRow>(
    `SELECT rc.id, rc.version, rc.name, rc.created_at, st.name AS saved_by, s.effective_from, s.cancelled_at, cs.name AS cancelled_by
       FROM rate_cards rc
       LEFT JOIN rate_card_schedule s ON s.id = rc.id AND s.version = rc.version
       LEFT JOIN staff st ON st.id = rc.created_by
       LEFT JOIN staff cs ON cs.id = s.cancelled_by`,
  );

  const fmt = (iso: string) => formatShopTime(iso, deps.shop().timeZone, deps.shop().locale);

  function currentOrNull(): LoadedCard | null {
    const row = inForce.get({ now: now().toISOString() });
    return row ? rates.version(row.id, row.version) : null;
  }

  function upcoming(after = now().toISOString()): Upcoming[] {
    return later.all({ after }).map((r) => ({ id: r.id, version: r.version, effectiveFrom: r.effective_from }));
  }

  function cancelOne(u: Upcoming, reason: string, ctx: Ctx, at: string): void {
    if (cancel.run({ id: u.id, version: u.version, at, by: ctx.staffId }).changes !== 1) {
      throw new PosError('conflict', `Version ${u.version} took effect or was cancelled at the same moment. Look at the list of versions again.`);
    }
    appendAudit(db, installId, { actorId: ctx.staffId, actorRole: ctx.role, action: 'rates.cancel_schedule', entityType: 'rate_card', entityId: u.id, before: { version: u.version, effectiveFrom: u.effectiveFrom }, after: { version: u.version, cancelled: true, reason } });
  }

  /**
   * Versions scheduled after `from` would replace the change being saved on their dates: without
   * the manager's choice nothing is written; with 'cancel' they are cancelled here, in the save's
   * transaction. Returns what was kept or cancelled, for the save's audit row.
   */
  function settleLater(from: string, nowIso: string, choice: LaterVersionsChoice | undefined, ctx: Ctx, newVersion: number): { kept: number[]; cancelled: number[] } {
    const pending = upcoming(from);
    if (pending.length === 0) return { kept: [], cancelled: [] };
    if (choice === undefined) {
      const when = from === nowIso ? `now (${fmt(from)})` : `from ${fmt(from)}`;
      const list = pending.map((p) => `version ${p.version} from ${fmt(p.effectiveFrom)}`).join(' and ');
      const sentence =
        `Version ${newVersion} would apply ${when}, but ${list} ${pending.length === 1 ? 'is' : 'are'} already scheduled and would replace it on ${pending.length === 1 ? 'that date' : 'those dates'}. ` +
        `Choose: cancel the scheduled ${pending.length === 1 ? 'version' : 'versions'}, or keep ${pending.length === 1 ? 'it' : 'them'} and accept your change lasts only until ${fmt(pending[0]?.effectiveFrom ?? from)}.`;
      throw new PosError('conflict', sentence, { fields: { laterVersions: sentence } });
    }
    if (choice === 'keep') return { kept: pending.map((p) => p.version), cancelled: [] };
    for (const p of pending) cancelOne(p, `Replaced by version ${newVersion}`, ctx, nowIso);
    return { kept: [], cancelled: pending.map((p) => p.version) };
  }

  function saveNow(raw: unknown, ctx: Ctx, choice?: LaterVersionsChoice): LoadedCard {
    return db
      .transaction(() => {
        const at = now().toISOString();
        const card = rates.parse(raw);
        const settled = settleLater(at, at, choice, ctx, rates.nextVersion(card.id));
        const saved = rates.save(card, ctx);
        if (settled.kept.length > 0 || settled.cancelled.length > 0) {
          appendAudit(db, installId, { actorId: ctx.staffId, actorRole: ctx.role, action: 'rates.later_versions', entityType: 'rate_card', entityId: saved.id, after: { version: saved.version, ...settled } });
        }
        return saved;
      })
      .immediate();
  }

  function schedule(raw: unknown, effectiveFrom: string, ctx: Ctx, choice?: LaterVersionsChoice): LoadedCard & { effectiveFrom: string } {
    const from = new Date(effectiveFrom).toISOString();
    return db
      .transaction(() => {
        const at = now().toISOString();
        const card = rates.parse(raw);
        if (from <= at) throw badInput('effectiveFrom', 'The date must be in the future; to change prices now, save without a date');
        const clash = sameTime.get({ at: from });
        if (clash) throw badInput('effectiveFrom', `Version ${clash.version} already takes effect at ${fmt(from)}; choose another time, or cancel version ${clash.version} first`);
        const settled = settleLater(from, at, choice, ctx, rates.nextVersion(card.id));
        const saved = rates.save(card, ctx);
        insert.run({ id: saved.id, version: saved.version, effective_from: from, created_by: ctx.staffId, install_id: installId, created_at: at });
        appendAudit(db, installId, { actorId: ctx.staffId, actorRole: ctx.role, action: 'rates.schedule', entityType: 'rate_card', entityId: saved.id, after: { version: saved.version, effectiveFrom: from, ...settled } });
        return { ...saved, effectiveFrom: from };
      })
      .immediate();
  }

  function cancelScheduled(input: { id: string; version: number; reason: string }, ctx: Ctx): void {
    db.transaction(() => {
      const at = now().toISOString();
      const row = scheduleRow.get(input.id, input.version);
      if (!row) throw badInput('version', `Version ${input.version} was not saved with a date; it took effect when it was saved. Save a new version to change prices`);
      if (row.cancelled_at) throw badInput('version', `Version ${input.version} was already cancelled on ${fmt(row.cancelled_at)}`);
      if (row.effective_from <= at) throw badInput('version', `Version ${input.version} took effect on ${fmt(row.effective_from)}, so it can no longer be cancelled. Save a new version to change prices`);
      cancelOne({ id: input.id, version: input.version, effectiveFrom: row.effective_from }, input.reason, ctx, at);
    }).immediate();
  }

  function versions(): RateCardVersionView[] {
    const at = now().toISOString();
    const rows = all.all().map((r) => ({ ...r, from: r.effective_from ?? r.created_at }));
    // The order in which versions take over: by effective time, the newer version on a tie.
    const live = rows.filter((r) => r.cancelled_at === null).sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : a.version - b.version));
    const current = live.filter((r) => r.from <= at).at(-1);
    const views = rows.map((r): RateCardVersionView => {
      const i = live.indexOf(r);
      const next = i >= 0 ? live[i + 1] : undefined;
      const state = r.cancelled_at !== null ? 'cancelled' : r === current ? 'in_force' : r.from > at ? 'scheduled' : 'superseded';
      return {
        id: r.id,
        version: r.version,
        name: r.name,
        savedAt: r.created_at,
        savedBy: r.saved_by,
        effectiveFrom: r.from,
        state,
        replacedBy: state === 'cancelled' || !next ? null : { version: next.version, at: next.from },
        cancelledAt: r.cancelled_at,
        cancelledBy: r.cancelled_by,
      };
    });
    return views.sort((a, b) => (a.savedAt < b.savedAt ? 1 : a.savedAt > b.savedAt ? -1 : b.version - a.version));
  }

  return {
    ...rates,
    currentOrNull,
    current() {
      // The inner service's sentence for a shop with no card yet.
      return currentOrNull() ?? rates.current();
    },
    saveNow,
    schedule,
    cancelScheduled,
    upcoming: () => upcoming(),
    versions,
    nextVersion: rates.nextVersion,
  };
}
