// Test-only child process for erasureRaces.attack.test.ts: edits one customer again and again on
// its own connection to the shared database file, printing "ok <name>" or "refused <code> <field
// sentence>" after each, and stops after 20 refusals. Never imported by the app.
import { createBackend } from '../../backend';
import { memoryLogger } from '../../log';

const env = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};
const b = createBackend({ dataDir: env('DATA_DIR'), dbPath: env('DB_PATH'), version: 'race-test', transport: 'http', log: memoryLogger(), demoSeed: { full: false } });
const clerk = { role: 'clerk' as const, staffId: env('STAFF_ID'), transport: 'internal' as const };
// Bounded: a parent that never erases must not leave a process behind.
setTimeout(() => process.exit(3), 60_000).unref();
void (async () => {
  let refused = 0;
  for (let i = 0; i < 5_000 && refused < 20; i++) {
    const name = `Racerzed${i}`;
    const res = await b.call(clerk, 'customers.upsert', {
      id: env('CUSTOMER_ID'), firstName: name, lastName: 'Vrembrantz', email: `racer${i}@zz-erase.example`, phone: `+31 6 4717 ${String(1000 + (i % 9000))}`,
      licenceNumber: `QX9917${i}`, licenceExpiry: '2030-01-01', dateOfBirth: '1980-01-01', notes: `blueberrymuffins ${i}`,
    });
    if (res.ok) process.stdout.write(`ok ${name}\n`);
    else {
      refused++;
      process.stdout.write(`refused ${res.error.code} ${JSON.stringify(res.error.fields ?? {})}\n`);
    }
  }
  b.close();
  // Flush before leaving: process.exit() can drop what is still queued for the pipe (the parent
  // then saw the edits but not the refusals, under load).
  process.stdout.end(() => process.exit(0));
})();
