// Migration 0170 on a long audit log: how long moving personal data out of old rows and
// re-sealing the chain takes (a one-time step at the first start after the upgrade), and how
// long verifying the chain takes afterwards. Old-style rows: one in ten a customer edit carrying
// personal data, the rest booking and payment rows. In memory. Prints one JSON line.
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { verifyAuditChain } from '../src/main/core/audit';
import { openDatabase } from '../src/main/db/connection';
import { migrate } from '../src/main/db/migrate';
import { MIGRATIONS } from '../src/main/db/migrations/index';
import { round } from './stats';

const ROWS = Number(process.env.BENCH_AUDIT_ROWS ?? 50_000);
const db = openDatabase(':memory:');
migrate(db, MIGRATIONS, 150);
const insert = db.prepare(
  'INSERT INTO audit_log (id, at, install_id, actor_id, actor_role, action, entity_type, entity_id, before_json, after_json, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
);
let prev = '0'.repeat(64);
db.transaction(() => {
  for (let i = 0; i < ROWS; i++) {
    const personal = i % 10 === 0;
    const r = [
      prev, `A${i}`, new Date(1_700_000_000_000 + i * 1000).toISOString(), 'I', 'S1', 'clerk',
      personal ? 'customer.update' : 'payment.cash', personal ? 'customer' : 'payment', `E${i % 500}`,
      personal ? JSON.stringify({ phone: `+31 6 ${1000 + i}` }) : null,
      personal ? JSON.stringify({ phone: `+31 6 ${2000 + i}` }) : JSON.stringify({ amount: 1000 + i, currency: 'EUR' }),
    ];
    const hash = createHash('sha256').update(JSON.stringify(r)).digest('hex');
    insert.run(r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], prev, hash);
    prev = hash;
  }
})();
const t0 = performance.now();
migrate(db, MIGRATIONS, 170);
const migrateMs = performance.now() - t0;
const t1 = performance.now();
const broken = verifyAuditChain(db);
const verifyMs = performance.now() - t1;
if (broken !== null) throw new Error(`chain broken at ${broken}`);
console.log(JSON.stringify({ bench: 'auditReseal', rows: ROWS, personalRows: Math.ceil(ROWS / 10), migrate0170Ms: round(migrateMs, 0), verifyMs: round(verifyMs, 0) }));
