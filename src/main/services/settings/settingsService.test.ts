import { describe, expect, it } from 'vitest';
import { createBackend } from '../../backend';
import { memoryLogger } from '../../log';
import { verifyAuditChain } from '../../core/audit';
import type { AuditRow } from '../../core/audit';

const manager = { role: 'manager' as const, staffId: 'M1', transport: 'internal' as const };

describe('settings', () => {
  it('saves a change, audits who changed what, and pushes it to open screens', async () => {
    const b = createBackend({ dataDir: '/x', dbPath: ':memory:', version: '1', transport: 'http', log: memoryLogger() });
    const pushed: unknown[] = [];
    b.events.subscribe((name, payload) => name === 'settings.changed' && pushed.push(payload));
    const res = await b.call(manager, 'settings.update', { shopName: 'Airport Rentals', turnaroundMinutes: 90 });
    expect(res).toMatchObject({ ok: true, value: { shopName: 'Airport Rentals', turnaroundMinutes: 90 } });
    expect(pushed).toHaveLength(1);
    const rows = b.db.prepare("SELECT * FROM audit_log WHERE action = 'settings.update'").all() as AuditRow[];
    expect(rows).toHaveLength(1);
    expect(rows[0]?.actor_id).toBe('M1');
    expect(JSON.parse(rows[0]?.before_json ?? '{}')).toEqual({ shopName: 'Keydesk Demo Rentals', turnaroundMinutes: 60 });
    expect(JSON.parse(rows[0]?.after_json ?? '{}')).toEqual({ shopName: 'Airport Rentals', turnaroundMinutes: 90 });
    // Saving the same values again changes nothing and audits nothing.
    await b.call(manager, 'settings.update', { shopName: 'Airport Rentals' });
    expect(b.db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'settings.update'").get()).toEqual({ n: 1 });
    expect(verifyAuditChain(b.db)).toBeNull();
    b.close();
  });

  it('survives a restart', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'kd-set-'));
    const first = createBackend({ dataDir: dir, version: '1', transport: 'http', log: memoryLogger() });
    await first.call(manager, 'settings.update', { currency: 'jpy', refundPinThreshold: 5000 });
    const installId = first.info().installId;
    first.close();
    const second = createBackend({ dataDir: dir, version: '1', transport: 'http', log: memoryLogger() });
    const res = await second.call(manager, 'settings.get', {});
    expect(res).toMatchObject({ ok: true, value: { currency: 'JPY', refundPinThreshold: 5000 } });
    expect(second.info().installId).toBe(installId);
    second.close();
  });
});

describe('audit chain', () => {
  it('detects a row rewritten behind the app’s back', async () => {
    const b = createBackend({ dataDir: '/x', dbPath: ':memory:', version: '1', transport: 'http', log: memoryLogger() });
    await b.call(manager, 'settings.update', { shopName: 'One' });
    await b.call(manager, 'settings.update', { shopName: 'Two' });
    await b.call(manager, 'settings.update', { shopName: 'Three' });
    expect(verifyAuditChain(b.db)).toBeNull();
    b.db.exec('DROP TRIGGER audit_log_no_update');
    b.db.prepare("UPDATE audit_log SET after_json = '{\"shopName\":\"Forged\"}' WHERE seq = 2").run();
    expect(verifyAuditChain(b.db)).toBe(2);
    b.close();
  });
});
