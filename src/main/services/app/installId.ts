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
