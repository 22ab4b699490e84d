import { describe, expect, it } from 'vitest';
import { openTestShop } from '../testing/testShop';
import { createUpdateGate, shiftIsOpen } from './updateGate';

function openShift(db: Awaited<ReturnType<typeof openTestShop>>['b']['db'], id: string): void {
  // As the shifts capability writes it; the gate reads only `status`.
  db.prepare(
    "INSERT INTO shifts (id, status, opened_by, opened_at, opening_float, currency, install_id, created_at, updated_at) VALUES (?, 'open', 'staff-1', '2026-11-30T08:00:00Z', 10000, 'EUR', 'I1', '2026-11-30T08:00:00Z', '2026-11-30T08:00:00Z')",
  ).run(id);
}

describe('update gate', () => {
  it('waits while a shift is open and installs once it is closed', async () => {
    const shop = await openTestShop();
    const db = shop.b.db;
    const installed: string[] = [];
    openShift(db, 'S1');
    const gate = createUpdateGate({ shiftOpen: () => shiftIsOpen(db), install: (v) => installed.push(v) });
    expect(gate.downloaded('1.2.0')).toMatchObject({ kind: 'waiting', version: '1.2.0', why: expect.stringMatching(/shift is open/) });
    expect(gate.retry().kind).toBe('waiting');
    expect(installed).toEqual([]);
    db.prepare("UPDATE shifts SET status = 'closed', closed_by = 'staff-1', closed_at = '2026-11-30T18:00:00Z' WHERE id = 'S1'").run();
    expect(gate.retry()).toEqual({ kind: 'installing', version: '1.2.0' });
    expect(installed).toEqual(['1.2.0']);
    // Installing happens once, however often it is asked again.
    gate.retry();
    gate.downloaded('1.2.0');
    expect(installed).toEqual(['1.2.0']);
  });

  it('installs at once when no shift is open', async () => {
    const shop = await openTestShop();
    const db = shop.b.db;
    const installed: string[] = [];
    const gate = createUpdateGate({ shiftOpen: () => shiftIsOpen(db), install: (v) => installed.push(v) });
    expect(gate.downloaded('1.3.0').kind).toBe('installing');
    expect(installed).toEqual(['1.3.0']);
  });

  it('a newer download while waiting replaces the older one', async () => {
    const shop = await openTestShop();
    const db = shop.b.db;
    openShift(db, 'S2');
    const installed: string[] = [];
    const gate = createUpdateGate({ shiftOpen: () => shiftIsOpen(db), install: (v) => installed.push(v) });
    gate.downloaded('1.2.0');
    gate.downloaded('1.2.1');
    db.prepare("UPDATE shifts SET status = 'closed', closed_by = 'staff-1', closed_at = '2026-11-30T18:00:00Z'").run();
    gate.retry();
    expect(installed).toEqual(['1.2.1']);
  });

  it('never installs when it cannot tell whether a shift is open', () => {
    const installed: string[] = [];
    const gate = createUpdateGate({ shiftOpen: () => { throw new Error('database is closed'); }, install: (v) => installed.push(v) });
    expect(gate.downloaded('2.0.0').kind).toBe('waiting');
    expect(installed).toEqual([]);
  });
});
