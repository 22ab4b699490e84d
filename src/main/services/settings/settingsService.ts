import { DEFAULT_BOOKING_HORIZON_DAYS } from '../../../shared/contract/bookingHorizon';
import { settingsSchema } from '../../../shared/contract/settings';
import type { Settings } from '../../../shared/contract/settings';
import type { Db } from '../../db/connection';
import type { CallContext } from '../../core/handlers';
import { appendAudit } from '../../core/audit';
import { readSettingRows, writeSetting } from './settingsRepo';

/** Plain terms a shop starts from; a manager replaces them with the office's own in Settings. */
export const DEFAULT_RENTAL_TERMS = [
  '1. The renter returns the vehicle at the agreed time and place, with the same fuel level, in the condition shown on the damage diagram at check-out.',
  '2. Late returns, missing fuel, extra mileage and new damage are charged at the rates on this agreement.',
  '3. Only the drivers named on this agreement may drive the vehicle, each with a valid driving licence.',
  '4. The deposit is held on the renter\'s card and released or settled when the vehicle comes back.',
  '5. Traffic fines and tolls during the rental are the renter\'s responsibility.',
].join('\n');

export function defaultSettings(): Settings {
  return {
    shopName: 'Keydesk Demo Rentals',
    counterName: 'Counter 1',
    currency: 'EUR',
    locale: 'en-GB',
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
    turnaroundMinutes: 60,
    refundPinThreshold: 100_00,
    discountPinThresholdBp: 1000,
    relayUrl: '',
    receiptFooter: 'Thank you for renting with us.',
    rentalTerms: DEFAULT_RENTAL_TERMS,
    bookingHorizonDays: DEFAULT_BOOKING_HORIZON_DAYS,
    readerDriver: 'server-driven',
  };
}

const KEYS = Object.keys(settingsSchema.shape) as (keyof Settings)[];

export type SettingsService = {
  get(): Settings;
  update(patch: Partial<Settings>, ctx: CallContext): Settings;
};

/** `defaults` overrides the built-in defaults where they depend on the mode (demo: the simulated reader). */
export function createSettingsService(db: Db, installId: string, onChange: (s: Settings) => void, defaults: Partial<Settings> = {}): SettingsService {
  const defaultsHere = (): Settings => ({ ...defaultSettings(), ...defaults });
  // Settings change only through update() on this connection, so one read serves every call.
  let cached: Settings | null = null;

  function get(): Settings {
    cached ??= load();
    return cached;
  }

  function load(): Settings {
    const rows = readSettingRows(db);
    const merged: Record<string, unknown> = { ...defaultsHere() };
    for (const k of KEYS) if (rows.has(k)) merged[k] = rows.get(k);
    // A row written by an older version that no longer validates falls back to the default
    // for that key rather than locking the counter out of its own settings screen.
    const parsed = settingsSchema.safeParse(merged);
    if (parsed.success) return parsed.data;
    const fallback = defaultsHere() as Record<string, unknown>;
    for (const issue of parsed.error.issues) {
      const k = issue.path[0];
      if (typeof k === 'string') merged[k] = fallback[k];
    }
    return settingsSchema.parse(merged);
  }

  function update(patch: Partial<Settings>, ctx: CallContext): Settings {
    const result = db.transaction(() => {
      const before = load();
      const after = settingsSchema.parse({ ...before, ...patch });
      const changed = KEYS.filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
      if (changed.length === 0) return { after, changed };
      for (const k of changed) writeSetting(db, k, after[k], ctx.staffId);
      appendAudit(db, installId, {
        actorId: ctx.staffId,
        actorRole: ctx.role,
        action: 'settings.update',
        entityType: 'settings',
        entityId: null,
        before: Object.fromEntries(changed.map((k) => [k, before[k]])),
        after: Object.fromEntries(changed.map((k) => [k, after[k]])),
      });
      return { after, changed };
    })();
    cached = result.after;
    if (result.changed.length > 0) onChange(result.after);
    return result.after;
  }

  return { get, update };
}
