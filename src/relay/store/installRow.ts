import type { InstallRow } from './types';

/** An `installs` row as both stores read it (same column names in SQLite and PostgreSQL). */
export type InstallDbRow = {
  id: string;
  name: string;
  location_id: string | null;
  created_at: number;
  revoked_at: number | null;
  last_seq: number;
  acked_seq: number;
};

export const toInstall = (r: InstallDbRow): InstallRow => ({
  id: r.id,
  name: r.name,
  locationId: r.location_id,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
  lastSeq: r.last_seq,
  ackedSeq: r.acked_seq,
});
