import { ulid } from 'ulid';
import type { Db } from '../../db/connection';
import { readSettingRows, writeSetting } from '../settings/index';

const KEY = 'install.id';

/** This till's identity, made once on first start; every shared record carries it. */
export function ensureInstallId(db: Db): string {
  const existing = readSettingRows(db).get(KEY);
  if (typeof existing === 'string') return existing;
  const id = ulid();
  writeSetting(db, KEY, id, null);
  return id;
}

/**
 * A new database takes the install id the office relay knows this counter by (from setup's
 * relay check), so the PaymentIntents it tags route back to it. Only before anything is written.
 */
export function adoptInstallId(db: Db, id: string): void {
  if (readSettingRows(db).has(KEY)) throw new Error('adoptInstallId: this database already has an install id');
  writeSetting(db, KEY, id, null);
}
