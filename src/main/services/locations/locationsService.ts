import type { z } from 'zod';
import type { LocationDetail, OpeningHours, locationUpsertSchema } from '../../../shared/contract/locations';
import { PosError } from '../../../shared/errors';
import type { Db } from '../../db/connection';
import { appendAudit } from '../../core/audit';
import type { CallContext } from '../../core/handlers';
import { badInput, staleVersion } from '../../core/errors';
import { newId } from '../../core/ids';
import type { RateCardService } from '../pricing/index';

/**
 * Locations as the office sets them up (issue 15). The fleet module still answers
 * `locations.list` (id, code, name) for pickers; this one owns the rest of the row.
 */
/** A `locations` row as stored (locationTerms reads the same row). */
export type LocationSettingsRow = {
  id: string;
  code: string;
  name: string;
  is_home: number;
  address: string;
  time_zone: string;
  currency: string;
  opening_hours_json: string;
  turnaround_minutes: number | null;
  tax_name: string;
  tax_rate_bp: number | null;
  version: number;
};

export type LocationsService = {
  list(): LocationDetail[];
  upsert(input: z.output<typeof locationUpsertSchema>, ctx: Pick<CallContext, 'staffId' | 'role'>): LocationDetail;
};

export function createLocationsService(deps: { db: Db; installId: string; now: () => Date; rates?: Pick<RateCardService, 'currentOrNull'> }): LocationsService {
  const { db, installId, now } = deps;
  const all = db.prepare<[], LocationSettingsRow>('SELECT * FROM locations ORDER BY is_home DESC, name');
  const get = db.prepare<[string], LocationSettingsRow>('SELECT * FROM locations WHERE id = ?');
  const byCode = db.prepare<[string], LocationSettingsRow>('SELECT * FROM locations WHERE code = ?');
  const insert = db.prepare(
    `INSERT INTO locations (id, code, name, is_home, address, time_zone, currency, opening_hours_json, turnaround_minutes, tax_name, tax_rate_bp, install_id, created_at, updated_at)
     VALUES (@id, @code, @name, 0, @address, @time_zone, @currency, @opening_hours_json, @turnaround_minutes, @tax_name, @tax_rate_bp, @install_id, @at, @at)`,
  );
  const update = db.prepare(
    `UPDATE locations SET code = @code, name = @name, address = @address, time_zone = @time_zone, currency = @currency,
       opening_hours_json = @opening_hours_json, turnaround_minutes = @turnaround_minutes, tax_name = @tax_name, tax_rate_bp = @tax_rate_bp,
       version = version + 1, updated_at = @at
     WHERE id = @id`,
  );

  const view = (r: LocationSettingsRow): LocationDetail => ({
    id: r.id,
    code: r.code,
    name: r.name,
    isHome: r.is_home === 1,
    address: r.address,
    timeZone: r.time_zone,
    currency: r.currency,
    openingHours: JSON.parse(r.opening_hours_json) as OpeningHours,
    turnaroundMinutes: r.turnaround_minutes,
    taxName: r.tax_name,
    taxRateBp: r.tax_rate_bp,
    version: r.version,
  });

  return {
    list: () => all.all().map(view),
    upsert(input, ctx) {
      return db.transaction(() => {
        const clash = byCode.get(input.code);
        if (clash && clash.id !== input.id) {
          throw new PosError('conflict', `Code ${input.code} is already used by ${clash.name}; each location needs its own code.`, { fields: { code: `${input.code} is used by ${clash.name}` } });
        }
        // One rate card prices one currency: a location taking another could never be booked, so
        // it is refused here rather than at the first booking (empty: the card's currency).
        const cardCurrency = deps.rates?.currentOrNull()?.card.currency;
        if (input.currency !== '' && cardCurrency !== undefined && input.currency !== cardCurrency) {
          throw badInput(
            'currency',
            `The rate card prices in ${cardCurrency}, and one rate card prices one currency, so a location taking ${input.currency} could not be booked. Choose ${cardCurrency} or leave the currency empty.`,
          );
        }
        const fields = {
          code: input.code,
          name: input.name,
          address: input.address,
          time_zone: input.timeZone,
          currency: input.currency,
          opening_hours_json: JSON.stringify([...input.openingHours].sort((a, b) => a.day - b.day)),
          turnaround_minutes: input.turnaroundMinutes,
          tax_name: input.taxName,
          tax_rate_bp: input.taxRateBp,
        };
        const at = now().toISOString();
        let id = input.id;
        if (id === undefined) {
          id = newId();
          insert.run({ id, ...fields, install_id: installId, at });
          appendAudit(db, installId, { actorId: ctx.staffId, actorRole: ctx.role, action: 'location.create', entityType: 'location', entityId: id, after: fields });
        } else {
          const before = get.get(id);
          if (!before) throw badInput('id', 'No location with this id; reload the list');
          staleVersion(before.name, input.expectedVersion, before.version);
          update.run({ id, ...fields, at });
          appendAudit(db, installId, { actorId: ctx.staffId, actorRole: ctx.role, action: 'location.update', entityType: 'location', entityId: id, after: fields });
        }
        return view(get.get(id) as LocationSettingsRow);
      })();
    },
  };
}
