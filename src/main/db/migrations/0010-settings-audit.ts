import type { Migration } from '../migrate';

export const m0010SettingsAudit: Migration = {
  version: 10,
  name: 'settings-audit',
  up(db) {
    db.exec(`
      CREATE TABLE settings (
        key        TEXT PRIMARY KEY,
        value      TEXT NOT NULL CHECK (json_valid(value)),
        updated_at TEXT NOT NULL,
        updated_by TEXT
      ) STRICT;

      -- Append-only, hash-chained: each row's hash covers the previous row's hash, so an edit
      -- or a deleted row anywhere breaks the chain from that point on.
      CREATE TABLE audit_log (
        seq         INTEGER PRIMARY KEY,
        id          TEXT NOT NULL UNIQUE,
        at          TEXT NOT NULL,
        install_id  TEXT NOT NULL,
        actor_id    TEXT,
        actor_role  TEXT,
        action      TEXT NOT NULL,
        entity_type TEXT NOT NULL,
        entity_id   TEXT,
        before_json TEXT CHECK (before_json IS NULL OR json_valid(before_json)),
        after_json  TEXT CHECK (after_json IS NULL OR json_valid(after_json)),
        prev_hash   TEXT NOT NULL,
        hash        TEXT NOT NULL
      ) STRICT;
      CREATE INDEX audit_log_entity ON audit_log (entity_type, entity_id);

      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
    `);
  },
};
