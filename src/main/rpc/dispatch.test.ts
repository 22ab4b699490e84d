import { describe, expect, it } from 'vitest';
import { contract } from '../../shared/contract';
import type { MethodName } from '../../shared/contract';
import { createBackend } from '../backend';
import { memoryLogger } from '../log';
import { dispatch } from './dispatch';
import { joinHandlers } from '../core/handlers';
import type { CallContext, HandlerTable } from '../core/handlers';

const manager: CallContext = { role: 'manager', staffId: 'S1', transport: 'internal' };
const clerk: CallContext = { role: 'clerk', staffId: 'S2', transport: 'internal' };
const nobody: CallContext = { role: null, staffId: null, transport: 'internal' };

function backend() {
  return createBackend({ dataDir: '/nonexistent', dbPath: ':memory:', version: '9.9.9', transport: 'http', log: memoryLogger() });
}

describe('dispatch', () => {
  it('answers a known method with its validated output', async () => {
    const b = backend();
    const res = await b.call(manager, 'app.info', {});
    expect(res).toMatchObject({ ok: true, value: { name: 'Keydesk', version: '9.9.9', mode: 'demo', schemaVersion: expect.any(Number) } });
    b.close();
  });

  it('rejects an unknown method without calling anything', async () => {
    const log = memoryLogger();
    const b = backend();
    const res = await dispatch(b.handlers, manager, 'payments.chargeEverything', {}, log);
    expect(res).toEqual({ ok: false, error: expect.objectContaining({ code: 'unknown_method' }) });
    expect(log.records.some((r) => r.event === 'rpc.unknown_method')).toBe(true);
    // Names inherited from Object.prototype are not methods either.
    expect((await dispatch(b.handlers, manager, 'constructor', {}, log)).ok).toBe(false);
    expect((await dispatch(b.handlers, manager, 42, {}, log)).ok).toBe(false);
    b.close();
  });

  it('rejects bad input with the path of every bad field', async () => {
    const b = backend();
    const res = await b.call(manager, 'settings.update', { turnaroundMinutes: 12.5, locale: 'not a locale!!', relayUrl: 'ftp://x' });
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.error.code).toBe('invalid_input');
    expect(Object.keys(res.error.fields ?? {}).sort()).toEqual(['locale', 'relayUrl', 'turnaroundMinutes']);
    expect(res.error.fields?.turnaroundMinutes).toBe('Whole minutes only');
    // Nothing was written.
    const after = await b.call(manager, 'settings.get', {});
    expect(after.ok && after.value.turnaroundMinutes).toBe(60);
    b.close();
  });

  it('rejects unknown keys rather than silently dropping them', async () => {
    const b = backend();
    const res = await b.call(manager, 'settings.update', { shopName: 'A', isAdmin: true });
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.error.fields).toHaveProperty('(input)');
    b.close();
  });

  it('refuses a role that may not call the method, and a caller who is not signed in', async () => {
    const b = backend();
    const asClerk = await b.call(clerk, 'settings.update', { shopName: 'Clerk was here' });
    expect(asClerk).toEqual({ ok: false, error: expect.objectContaining({ code: 'forbidden' }) });
    const asNobody = await b.call(nobody, 'settings.get', {});
    expect(asNobody).toEqual({ ok: false, error: expect.objectContaining({ code: 'not_signed_in' }) });
    const settings = await b.call(manager, 'settings.get', {});
    expect(settings.ok && settings.value.shopName).not.toBe('Clerk was here');
    b.close();
  });

  it('rejects a handler answer that breaks the output schema, and logs it', async () => {
    const b = backend();
    const log = memoryLogger();
    const broken: HandlerTable = { ...b.handlers, 'app.info': () => ({ name: 'Keydesk', version: 3 }) as never };
    const res = await dispatch(broken, manager, 'app.info', {}, log);
    expect(res).toEqual({ ok: false, error: expect.objectContaining({ code: 'invalid_output' }) });
    expect(log.records.find((r) => r.event === 'rpc.invalid_output')?.level).toBe('error');
    b.close();
  });

  it('turns a crash inside a service into a clerk-readable error, detail only in the log', async () => {
    const b = backend();
    const log = memoryLogger();
    const crashing: HandlerTable = {
      ...b.handlers,
      'app.status': () => {
        throw new Error('SQLITE_CORRUPT: database disk image is malformed at sk_live_abcdefghijklmnop');
      },
    };
    const res = await dispatch(crashing, manager, 'app.status', {}, log);
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.error.code).toBe('internal');
    expect(res.error.message).not.toMatch(/SQLITE|sk_live/);
    const logged = JSON.stringify(log.records);
    expect(logged).toMatch(/SQLITE_CORRUPT/);
    expect(logged).not.toMatch(/sk_live_abcdefghijklmnop/);
    b.close();
  });

  it('survives hostile payloads', async () => {
    const b = backend();
    const hostile: unknown[] = [null, undefined, 'x', 7, [], { __proto__: { shopName: 'x' } }, JSON.parse('{"__proto__":{"polluted":1}}')];
    for (const input of hostile) {
      const res = await b.call(manager, 'settings.update', input);
      expect(typeof res.ok).toBe('boolean');
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    b.close();
  });
});

describe('handler tables', () => {
  it('refuse a method claimed twice and a contract method with no handler', () => {
    const names = Object.keys(contract) as MethodName[];
    const one = { 'app.info': () => ({}) as never };
    expect(() => joinHandlers([one, one], names)).toThrow(/Two handlers for rpc method app.info/);
    expect(() => joinHandlers([one], names)).toThrow(/No handler for rpc method/);
  });
});
