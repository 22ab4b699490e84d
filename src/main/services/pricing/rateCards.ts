import type { z } from 'zod';
import { rateCardSchema } from '../../../shared/contract/pricing';
import type { ParsedRateCard, rateCardSummarySchema } from '../../../shared/contract/pricing';
import { PosError } from '../../../shared/errors';
import type { CurrencyCode } from '../../../shared/money';
import type { Db } from '../../db/connection';
import type { CallContext } from '../../core/handlers';
import { appendAudit } from '../../core/audit';
import { prepareRateCard } from './priceBooking';
import type { PreparedRateCard } from './priceBooking';
import { fallbackMessage, fromZodError } from './pricingError';
import { createRateCardRepo } from './rateCardRepo';
import type { RateCardRow } from './rateCardRepo';

export type RateCardSummary = z.output<typeof rateCardSummarySchema>;

export type LoadedCard = {
  id: string;
  version: number;
  card: PreparedRateCard;
  /** The card as stored: always a value that parsed, defaults filled in. */
  raw: ParsedRateCard;
  updatedAt: string;
};

export type RateCardService = {
  /** The card new bookings are priced with; 'configuration' error when none is set up. */
  current(): LoadedCard;
  currentOrNull(): LoadedCard | null;
  /** A stored version: bookings are re-priced with the card they were first quoted on. */
  version(id: string, version: number): LoadedCard;
  /**
   * Saves a new version of the card (version number assigned here); audited. The card is parsed
   * here again (the seed and other callers inside main skip dispatch) and only the parsed value
   * is stored: unknown keys, `__proto__` included, never reach the database.
   */
  save(raw: unknown, ctx: Pick<CallContext, 'staffId' | 'role'>): LoadedCard;
  /** The card as `save` would store it; 'invalid_input' naming each bad field. Writes nothing. */
  parse(raw: unknown): ParsedRateCard;
  /** The number the next saved version of card `id` gets. */
  nextVersion(id: string): number;
  summary(loaded: LoadedCard): RateCardSummary;
};

export function createRateCardService(deps: { db: Db; installId: string; now: () => Date }): RateCardService {
  const { db, installId, now } = deps;
  const repo = createRateCardRepo(db);
  // Stored versions never change (trigger), so a prepared card can be cached for good.
  const cache = new Map<string, LoadedCard>();

  function load(row: RateCardRow): LoadedCard {
    const key = `${row.id}@${row.version}`;
    let hit = cache.get(key);
    if (!hit) {
      const raw = JSON.parse(row.card_json) as ParsedRateCard;
      hit = { id: row.id, version: row.version, card: prepareRateCard(raw), raw, updatedAt: row.created_at };
      cache.set(key, hit);
    }
    return hit;
  }

  // Cards change only through save() on this connection, so the current one is read once.
  let currentCard: LoadedCard | null = null;

  function currentOrNull(): LoadedCard | null {
    if (currentCard) return currentCard;
    const row = repo.current();
    currentCard = row ? load(row) : null;
    return currentCard;
  }

  function current(): LoadedCard {
    const c = currentOrNull();
    if (!c) throw new PosError('configuration', 'No rate card is set up, so Keydesk cannot price bookings. Ask a manager to add one in Settings.');
    return c;
  }

  function version(id: string, v: number): LoadedCard {
    const row = repo.byVersion(id, v);
    if (!row) throw new PosError('configuration', `Rate card ${id} version ${v} is missing, so this booking cannot be re-priced. Call the office.`);
    return load(row);
  }

  function parse(raw: unknown): ParsedRateCard {
    const parsed = rateCardSchema.safeParse(raw, { error: fallbackMessage });
    if (!parsed.success) {
      const err = fromZodError(parsed.error, ['card']);
      throw new PosError('invalid_input', err.message, { fields: err.fields });
    }
    return parsed.data;
  }

  function save(raw: unknown, ctx: Pick<CallContext, 'staffId' | 'role'>): LoadedCard {
    const data = parse(raw);
    const saved = db.transaction(() => {
      const before = currentOrNull();
      const version = repo.latestVersion(data.id) + 1;
      const card: ParsedRateCard = { ...data, version };
      const at = now().toISOString();
      repo.insert({
        id: data.id,
        version,
        name: data.name,
        currency: data.currency,
        card_json: JSON.stringify(card),
        install_id: installId,
        created_by: ctx.staffId,
        created_at: at,
        updated_at: at,
      });
      appendAudit(db, installId, {
        actorId: ctx.staffId,
        actorRole: ctx.role,
        action: 'rates.update',
        entityType: 'rate_card',
        entityId: data.id,
        before: before ? { id: before.id, version: before.version } : null,
        after: { id: data.id, version },
      });
      const row = repo.byVersion(data.id, version);
      if (!row) throw new Error('rate card vanished while saving');
      return load(row);
    })();
    currentCard = saved;
    return saved;
  }

  function summary(l: LoadedCard): RateCardSummary {
    const c = l.card;
    const cur = c.currency as CurrencyCode;
    const m = (amount: number) => ({ amount, currency: cur });
    return {
      id: l.id,
      version: l.version,
      name: c.name,
      currency: cur,
      taxMode: c.tax.mode,
      taxRateBp: c.tax.rateBp,
      taxName: c.tax.name,
      classes: Object.entries(c.classes).map(([code, r]) => ({
        code,
        name: r.name,
        dailyRate: m(r.dailyRate),
        weekendDailyRate: r.weekendDailyRate === undefined ? null : m(r.weekendDailyRate),
        weeklyRate: r.weeklyRate === undefined ? null : m(r.weeklyRate),
      })),
      extras: Object.entries(c.extras).map(([code, e]) => ({ code, name: e.name, charge: e.charge, amount: m(e.amount), maxQuantity: e.maxQuantity })),
      fees: Object.entries(c.fees).map(([code, f]) => ({ code, name: f.name, amount: m(f.amount) })),
      minimumDriverAge: c.minimumDriverAge ?? null,
      youngDriverUnderAge: c.youngDriver?.underAge ?? null,
      updatedAt: l.updatedAt,
    };
  }

  return { current, currentOrNull, version, save, parse, nextVersion: (id) => repo.latestVersion(id) + 1, summary };
}
