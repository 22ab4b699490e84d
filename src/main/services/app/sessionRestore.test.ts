import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createBackend } from '../../backend';
import type { Backend } from '../../backend';
import { memoryLogger } from '../../log';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function demoAt(dir: string): Backend {
  return createBackend({ dataDir: dir, dbPath: join(dir, 'keydesk.sqlite'), version: '1', transport: 'http', log: memoryLogger(), demoSeed: { full: false } });
}

async function signIn(b: Backend, name: string, pin: string) {
  const staff = await b.call(b.session.context('internal'), 'staff.list', {});
  if (!staff.ok) throw new Error(staff.error.message);
  const member = (staff.value as { staff: { id: string; name: string }[] }).staff.find((s) => s.name === name);
  const res = await b.call(b.session.context('internal'), 'session.signIn', { staffId: member?.id ?? '', pin });
  if (!res.ok) throw new Error(res.error.message);
}

describe('demo start-up session across restarts', () => {
  it('the first start opens as the demo manager; after the clerk signs in, a restart opens as the clerk, never the manager', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kd-session-'));
    dirs.push(dir);
    const first = demoAt(dir);
    expect(first.session.current()).toMatchObject({ name: 'Demo manager', role: 'manager' });
    await first.call(first.session.context('internal'), 'session.signOut', {});
    await signIn(first, 'Demo clerk', '0000');
    expect(first.session.current()).toMatchObject({ name: 'Demo clerk', role: 'clerk' });
    first.close();

    const second = demoAt(dir);
    expect(second.session.current()).toMatchObject({ name: 'Demo clerk', role: 'clerk' });
    const refused = await second.call(second.session.context('internal'), 'settings.update', { shopName: 'Elevated' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    second.close();
  });

  it('a counter signed out when it stopped starts signed out', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kd-session-'));
    dirs.push(dir);
    const first = demoAt(dir);
    await first.call(first.session.context('internal'), 'session.signOut', {});
    first.close();
    const second = demoAt(dir);
    expect(second.session.current()).toEqual({ staffId: null, name: '', role: null });
    second.close();
  });
});
