import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './freePort';

const ROOT = '/usr/lib/postgresql';

/**
 * The PostgreSQL server binaries to use: `KEYDESK_PG_BIN` if set, else the newest major version
 * installed under /usr/lib/postgresql/<major>/bin (Debian and Ubuntu's layout), whatever it is.
 */
export function findPostgresBin(): { bin: string } | { missing: string } {
  const has = (bin: string) => existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'pg_ctl'));
  const fromEnv = process.env.KEYDESK_PG_BIN;
  if (fromEnv) return has(fromEnv) ? { bin: fromEnv } : { missing: `KEYDESK_PG_BIN=${fromEnv} has no initdb and pg_ctl` };
  let majors: string[] = [];
  try {
    majors = readdirSync(ROOT).filter((d) => /^\d+$/.test(d));
  } catch {
    return { missing: `no PostgreSQL server is installed (${ROOT} does not exist; install postgresql or set KEYDESK_PG_BIN)` };
  }
  const usable = majors.sort((a, b) => Number(b) - Number(a)).map((m) => join(ROOT, m, 'bin')).filter(has);
  if (usable.length === 0) return { missing: `no initdb and pg_ctl under ${ROOT}/*/bin (found versions: ${majors.join(', ') || 'none'})` };
  return { bin: usable[0]! };
}

/** Why a throwaway cluster cannot run here, or null when it can. */
export function postgresUnavailableReason(): string | null {
  const found = findPostgresBin();
  if ('missing' in found) return found.missing;
  if (process.getuid?.() !== 0) return 'not root, so initdb cannot be run as the postgres user';
  if (spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).status !== 0) return 'there is no postgres system user';
  return null;
}

export type TempPostgres = {
  url: string;
  port: number;
  bin: string;
  /** The postmaster's pid (its children are the backends, the WAL writer, …): for per-process CPU in benches. */
  postmasterPid(): number;
  /** The server's log (auto_explain output and the like while profiling); removed by stop(). */
  logFile: string;
  stop(): Promise<void>;
};

const asPostgres = (args: string[]) => {
  const r = spawnSync('runuser', ['-u', 'postgres', '--', ...args], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`${args[0]} failed: ${r.stderr || r.stdout}`);
};

/**
 * A throwaway cluster on a loopback port, its socket in the temp folder, fsync off unless
 * `durable` (the relay's benchmark commits to disk as production does).
 * Owned by `postgres` because the server refuses to run as root.
 */
export async function startTempPostgres(startOpts: { durable?: boolean; settings?: Record<string, string> } = {}): Promise<TempPostgres> {
  const found = findPostgresBin();
  if ('missing' in found) throw new Error(found.missing);
  const { bin } = found;
  const dir = mkdtempSync(join(tmpdir(), 'kd-pg-'));
  chmodSync(dir, 0o755);
  const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim());
  const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
  chownSync(dir, uid, gid);
  const data = join(dir, 'data');
  asPostgres([join(bin, 'initdb'), '-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  const port = await freePort();
  const sync = startOpts.durable ? '-c fsync=on -c synchronous_commit=on' : '-c fsync=off -c synchronous_commit=off -c full_page_writes=off';
  const extra = Object.entries(startOpts.settings ?? {})
    .map(([k, v]) => `-c ${k}=${v}`)
    .join(' ');
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 ${sync} -c max_connections=100 ${extra}`;
  asPostgres([join(bin, 'pg_ctl'), '-D', data, '-o', opts, '-w', '-t', '30', '-l', join(dir, 'log'), 'start']);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    bin,
    logFile: join(dir, 'log'),
    postmasterPid: () => Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]),
    async stop() {
      try {
        asPostgres([join(bin, 'pg_ctl'), '-D', data, '-m', 'immediate', '-w', '-t', '30', 'stop']);
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
