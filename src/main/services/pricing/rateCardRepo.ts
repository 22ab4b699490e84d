import type { Db } from '../../db/connection';

export type RateCardRow = {
  id: string;
  version: number;
  name: string;
  currency: string;
  card_json: string;
  install_id: string;
  created_by: string | null;
  created_at: string;
  updated_at: string;
};

export type RateCardRepo = ReturnType<typeof createRateCardRepo>;

export function createRateCardRepo(db: Db) {
  // The newest saved version of any card is the one in use.
  const current = db.prepare<[], RateCardRow>('SELECT * FROM rate_cards ORDER BY created_at DESC, rowid DESC LIMIT 1');
  const byVersion = db.prepare<[string, number], RateCardRow>('SELECT * FROM rate_cards WHERE id = ? AND version = ?');
  const latestVersion = db.prepare<[string], { v: number | null }>('SELECT max(version) AS v FROM rate_cards WHERE id = ?');
  const insert = db.prepare<[RateCardRow]>(
    `INSERT INTO rate_cards (id, version, name, currency, card_json, install_id, created_by, created_at, updated_at)
     VALUES (@id, @version, @name, @currency, @card_json, @install_id, @created_by, @created_at, @updated_at)`,
  );
  return {
    current: () => current.get(),
    byVersion: (id: string, version: number) => byVersion.get(id, version),
    latestVersion: (id: string) => latestVersion.get(id)?.v ?? 0,
    insert: (row: RateCardRow) => void insert.run(row),
  };
}
