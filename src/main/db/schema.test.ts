import { describe, expect, it } from 'vitest';
import { openDatabase } from './connection';
import { migrate } from './migrate';
import { MIGRATIONS } from './migrations/index';

/**
 * The whole schema after every migration, as text: columns (type, not null, default, key),
 * indexes and triggers. A change here must be a deliberate new migration, reviewed with its
 * snapshot diff (update with `npx vitest run src/main/db/schema.test.ts -u`).
 */
function describeSchema(): string {
  const db = openDatabase(':memory:');
  migrate(db, MIGRATIONS);
  const lines: string[] = [`user_version ${String(db.pragma('user_version', { simple: true }))}`];
  const objects = db
    .prepare("SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' AND name NOT LIKE '%_fts_%' ORDER BY tbl_name, type DESC, name")
    .all() as { type: string; name: string; tbl_name: string; sql: string | null }[];
  for (const o of objects) {
    if (o.type === 'table') {
      lines.push(`table ${o.name}${o.sql?.includes('VIRTUAL') ? ` ${o.sql.slice(o.sql.indexOf('USING')).replace(/\s+/g, ' ')}` : ''}`);
      const cols = db.prepare('SELECT name, type, "notnull", dflt_value, pk, hidden FROM pragma_table_xinfo(?)').all(o.name) as {
        name: string; type: string; notnull: number; dflt_value: string | null; pk: number; hidden: number;
      }[];
      if (o.sql?.includes('VIRTUAL')) continue;
      for (const c of cols) {
        lines.push(`  ${c.name} ${c.type}${c.notnull ? ' NOT NULL' : ''}${c.dflt_value !== null ? ` DEFAULT ${c.dflt_value}` : ''}${c.pk ? ` PK${c.pk}` : ''}${c.hidden ? ' GENERATED' : ''}`);
      }
    } else {
      lines.push(`${o.type} ${o.name} ON ${o.tbl_name}: ${(o.sql ?? '(auto)').replace(/\s+/g, ' ')}`);
    }
  }
  db.close();
  return `${lines.join('\n')}\n`;
}

describe('schema', () => {
  it('matches the committed snapshot', async () => {
    await expect(describeSchema()).toMatchFileSnapshot('./__snapshots__/schema.txt');
  });
});
