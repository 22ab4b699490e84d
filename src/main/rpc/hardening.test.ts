import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend } from '../backend';
import type { Backend } from '../backend';
import { storageErrorCode } from '../../shared/errors';
import { memoryLogger } from '../log';
import { startHttpTransport } from './httpTransport';
import type { HttpTransport } from './httpTransport';

const TOKEN = 'test-token-0123456789abcdefghijklmnopqrstuv';
const customer = {
  firstName: 'Ada',
  lastName: 'Lovelace',
  phone: '+44 20 7946 0000',
  licenceNumber: 'LOVEL851215AB9CD',
  licenceExpiry: '2030-01-01',
  dateOfBirth: '1985-12-15',
};

let backend: Backend;
let http: HttpTransport;
let base: string;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kd-hard-'));
  backend = createBackend({ dataDir: dir, dbPath: ':memory:', version: '1', transport: 'http', log: memoryLogger(), demoSeed: { full: false } });
  http = await startHttpTransport({ backend, token: TOKEN });
  base = http.url.replace(/\/$/, '');
});

afterAll(async () => {
  await http.close();
  backend.close();
});

/** POST with a raw body: the test writes the JSON text itself, as an attacker would. */
function post(path: string, body: string): Promise<{ status: number; json: { ok: boolean; value?: unknown; error?: { code: string; message: string; fields?: Record<string, string> } } }> {
  const url = new URL(base + path);
  return new Promise((res, rej) => {
    const req = request(
      { host: url.hostname, port: url.port, path, method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` } },
      (r) => {
        let text = '';
        r.setEncoding('utf8');
        r.on('data', (c: string) => (text += c));
        r.on('end', () => res({ status: r.statusCode ?? 0, json: JSON.parse(text) as never }));
      },
    );
    req.on('error', rej);
    req.end(body);
  });
}

const customerCount = () => (backend.db.prepare('SELECT count(*) AS n FROM customers').get() as { n: number }).n;

describe('bad addresses', () => {
  it('a malformed percent-encoding in the method answers 400 with a sentence, not 500', async () => {
    const res = await post('/rpc/%E0%A4%A', '{}');
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ ok: false, error: { code: 'unknown_method', message: expect.stringContaining('not a Keydesk method') } });
  });
});

describe('prototype keys', () => {
  for (const key of ['__proto__', 'constructor', 'prototype']) {
    it(`"${key}" anywhere in a JSON body is refused for every method and nothing is stored`, async () => {
      const before = customerCount();
      const nested = `{"input":${JSON.stringify(customer).slice(0, -1)},"notes":"x","${key}":{"isAdmin":true,"notes":"${'A'.repeat(1000)}"}}}`;
      const res = await post('/rpc/customers.upsert', nested);
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ ok: false, error: { code: 'invalid_input', fields: { [key]: 'This name is not allowed as a key' } } });
      expect(customerCount()).toBe(before);

      const deep = await post('/rpc/rates.update', `{"input":{"card":{"classes":[{"code":"x","${key}":{"dailyRate":-100}}]}}}`);
      expect(deep.json).toMatchObject({ ok: false, error: { code: 'invalid_input', fields: { [`card.classes.0.${key}`]: expect.any(String) } } });
      // Even a method without input fields, and a public one.
      expect((await post('/rpc/app.info', `{"input":{"${key}":1}}`)).json).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    });
  }

  it('the same customer without the key is saved (the refusal is about the key alone)', async () => {
    const before = customerCount();
    const res = await post('/rpc/customers.upsert', JSON.stringify({ input: customer }));
    expect(res.json).toMatchObject({ ok: true });
    expect(customerCount()).toBe(before + 1);
  });
});

describe('a full disk', () => {
  it('SQLITE_FULL reaches the clerk as its own sentence, and nothing of the failed call is kept', async () => {
    const b = createBackend({ dataDir: mkdtempSync(join(tmpdir(), 'kd-full-')), dbPath: ':memory:', version: '1', transport: 'http', log: memoryLogger(), demoSeed: { full: false } });
    const pages = b.db.pragma('page_count', { simple: true }) as number;
    b.db.pragma(`max_page_count = ${pages}`);
    const ctx = { role: 'clerk' as const, staffId: null, transport: 'internal' as const };
    let failure: unknown = null;
    let saved = 0;
    for (let i = 0; i < 500 && failure === null; i++) {
      const res = await b.call(ctx, 'customers.upsert', { ...customer, lastName: `Full${i}`, notes: 'n'.repeat(1500) });
      if (res.ok) saved++;
      else failure = res.error;
    }
    expect(failure).toEqual({ code: 'disk_full', message: 'The disk is full: nothing was saved. Free space and try again.', retryable: true });
    expect((b.db.prepare('SELECT count(*) AS n FROM customers').get() as { n: number }).n).toBe(saved);
    b.close();
  });

  it('a read-only database and a disk I/O error each get their own sentence too', async () => {
    const b = createBackend({ dataDir: mkdtempSync(join(tmpdir(), 'kd-ro-')), dbPath: ':memory:', version: '1', transport: 'http', log: memoryLogger(), demoSeed: { full: false } });
    const ctx = { role: 'clerk' as const, staffId: null, transport: 'internal' as const };
    b.db.pragma('query_only = ON'); // SQLite answers SQLITE_READONLY to every write
    expect(await b.call(ctx, 'customers.upsert', customer)).toEqual({
      ok: false,
      error: { code: 'disk_read_only', message: 'Keydesk cannot write to its database (the disk or the file is read-only): nothing was saved. Call the office.', retryable: false },
    });
    b.close();
    expect(storageErrorCode('SQLITE_IOERR_WRITE')).toBe('disk_error');
    expect(storageErrorCode('SQLITE_IOERR_FSYNC')).toBe('disk_error');
    expect(storageErrorCode('ENOSPC')).toBe('disk_full');
    expect(storageErrorCode('SQLITE_CONSTRAINT')).toBeNull();
  });

  const canMount = process.platform === 'linux' && process.getuid?.() === 0;
  it.skipIf(!canMount)('on a real full filesystem (a small tmpfs) a save answers "The disk is full", and works again once space is freed', async () => {
    const mnt = mkdtempSync(join(tmpdir(), 'kd-tmpfs-'));
    let mounted = false;
    try {
      try {
        execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mnt]);
        mounted = true;
      } catch {
        return; // no CAP_SYS_ADMIN here: the max_page_count test above still covers the mapping
      }
      const dir = join(mnt, 'data');
      const b = createBackend({ dataDir: dir, version: '1', transport: 'http', log: memoryLogger(), demoSeed: { full: false } });
      const ctx = { role: 'clerk' as const, staffId: null, transport: 'internal' as const };
      // Fill the filesystem to the last byte.
      const filler = join(mnt, 'filler');
      try {
        execFileSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=4096'], { stdio: 'ignore' });
      } catch {
        // dd stops with ENOSPC: that is the point
      }
      let failure: unknown = null;
      for (let i = 0; i < 500 && failure === null; i++) {
        const res = await b.call(ctx, 'customers.upsert', { ...customer, lastName: `Tmpfs${i}`, notes: 'n'.repeat(1500) });
        if (!res.ok) failure = res.error;
      }
      expect(failure).toMatchObject({ code: 'disk_full', message: 'The disk is full: nothing was saved. Free space and try again.' });
      rmSync(filler);
      expect(await b.call(ctx, 'customers.upsert', { ...customer, lastName: 'AfterSpaceFreed' })).toMatchObject({ ok: true });
      b.close();
    } finally {
      if (mounted) execFileSync('umount', [mnt]);
      rmSync(mnt, { recursive: true, force: true });
    }
  });
});

describe('the last-resort handler', () => {
  it('keeps the process serving after a background write throws ENOSPC, and logs it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kd-lr-'));
    const script = join(dir, 'child.ts');
    const lastResort = resolve(__dirname, '../lastResort.ts');
    const logMod = resolve(__dirname, '../log.ts');
    writeFileSync(
      script,
      `import { installLastResort } from ${JSON.stringify(lastResort)};
import { createLogger } from ${JSON.stringify(logMod)};
const log = createLogger({ file: ${JSON.stringify(join(dir, 'main.log'))}, console: false });
if (process.argv[2] === 'guarded') installLastResort(process, log);
setTimeout(() => { const e = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }); throw e; }, 10);
setTimeout(() => { void Promise.reject(new Error('background write failed')); }, 20);
setTimeout(() => { process.stdout.write('still serving\\n'); process.exit(0); }, 200);
`,
    );
    const run = (arg: string) =>
      new Promise<{ code: number | null; out: string }>((res) => {
        const child = spawn(process.execPath, ['--import', 'tsx', script, arg], { cwd: resolve(__dirname, '../../..'), stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        child.stdout.on('data', (c: Buffer) => (out += c.toString()));
        child.on('close', (code) => res({ code, out }));
      });
    const bare = await run('bare');
    expect(bare).toMatchObject({ code: 1, out: '' });
    const guarded = await run('guarded');
    expect(guarded).toEqual({ code: 0, out: 'still serving\n' });
    const { readFileSync } = await import('node:fs');
    const lines = readFileSync(join(dir, 'main.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { event: string; code?: string });
    expect(lines.map((l) => l.event)).toEqual(['main.uncaught_exception', 'main.unhandled_rejection']);
    expect(lines[0]?.code).toBe('ENOSPC');
  }, 30_000);
});
