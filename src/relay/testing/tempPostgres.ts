import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = '/usr/lib/postgresql';

/** The newest installed major version's bin folder (/usr/lib/postgresql/<major>/bin), or null. */
export function findPostgresBin(root = ROOT): string | null {
  let majors: number[] = [];
  try {
    majors = readdirSync(root)
      .filter((d) => /^\d+$/.test(d))
      .map(Number)
      .sort((a, b) => b - a);
  } catch {
    return null;
  }
  for (const m of majors) {
    const bin = join(root, String(m), 'bin');
    if (existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'pg_ctl'))) return bin;
  }
  return null;
}

const BIN = findPostgresBin() ?? join(ROOT, 'NONE', 'bin');

export type TempPostgres = { url: string; port: number; stop(): Promise<void> };

/** Why a throwaway cluster cannot run here, or null when it can. */
export function postgresUnavailableReason(): string | null {
  if (!findPostgresBin()) return `no PostgreSQL server binaries (initdb, pg_ctl) in any ${ROOT}/<major>/bin`;
  if (process.getuid?.() !== 0) return 'not root: cannot run initdb as the postgres user';
  const id = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  if (id.status !== 0) return 'no postgres system user';
  return null;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

const asPostgres = (args: string[]) => {
  const r = spawnSync('runuser', ['-u', 'postgres', '--', ...args], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`${args[0]} failed: ${r.stderr || r.stdout}`);
};

/**
 * A throwaway cluster on a loopback port, its socket in the temp folder, fsync off unless `durable`.
 * Owned by `postgres` because the server refuses to run as root.
 */
export async function startTempPostgres(opts: { durable?: boolean } = {}): Promise<TempPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'relay-pg-'));
  chmodSync(dir, 0o755);
  const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim());
  const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
  chownSync(dir, uid, gid);
  const data = join(dir, 'data');
  asPostgres([join(BIN, 'initdb'), '-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  const port = await freePort();
  // Tests run without fsync; the benchmark (durable) commits to disk as production does.
  const sync = opts.durable ? '-c fsync=on -c synchronous_commit=on' : '-c fsync=off -c synchronous_commit=off -c full_page_writes=off';
  const serverOpts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 ${sync} -c max_connections=100`;
  asPostgres([join(BIN, 'pg_ctl'), '-D', data, '-o', serverOpts, '-w', '-t', '30', '-l', join(dir, 'log'), 'start']);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    async stop() {
      try {
        asPostgres([join(BIN, 'pg_ctl'), '-D', data, '-m', 'immediate', '-w', '-t', '30', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** A fresh database per test file, so files sharing a cluster never see each other's rows. */
export async function createDatabase(adminUrl: string, name: string): Promise<string> {
  const { default: pg } = await import('pg');
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    await c.query(`CREATE DATABASE ${name.replace(/[^a-z0-9_]/g, '_')}`);
  } finally {
    await c.end();
  }
  return adminUrl.replace(/\/[^/]*$/, `/${name}`);
}
