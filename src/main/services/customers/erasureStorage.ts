import { closeSync, existsSync, fsyncSync, lstatSync, openSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { STORED_FILE_REF } from '../../../shared/contract/fields';
import type { Db } from '../../db/connection';
import { PRIVATE_FILE_MODE } from '../../db/connection';
import { backupsDirFor, listBackups, takeBackup } from '../../db/backups';
import { backupHoldsCustomers } from '../../db/backupContents';
import type { Logger } from '../../log';

/**
 * What an erasure does outside the database (issue 15). The erase transaction deletes the rows
 * and queues, in `erasure_pending`, the files and backups still holding the person; this module
 * then clears them and checkpoints the WAL. A crash between the two leaves the queue, which the
 * next erasure or the next start (`erasure.finish` job) works off, so an erasure is retryable
 * and finishes by itself.
 *
 * - Signatures (`signatures/<bookingId>-….png`) are the person's: overwritten with zeros, then
 *   deleted. Photos of damage are about the car and stay (they are kept for claims).
 * - Backups (`backups/*.sqlite`) taken before the erasure still hold the person: a fresh backup
 *   is taken, then every backup with the person un-erased is deleted.
 * - Free space: secure_delete (always on, see db/connection.ts) zeroes what is deleted; a
 *   database from before it is VACUUMed once (queued by migration 0170, run by the first
 *   clean-up, at the start after the upgrade).
 * - Logs (`logs/*`): error sentences can name customers ("… for Jan Jansen"), so the erasure
 *   rewrites the log files with the person's details replaced before its transaction (after it,
 *   nothing is left to know what to replace; the queue never stores personal data).
 */
export type ErasureStorage = { dataDir: string | null; dbPath: string; log: Logger; now: () => Date };

type Pending = { customer_id: string; kind: 'file' | 'backups' | 'vacuum'; ref: string };

/** Signature files of these bookings: the refs their hand-overs keep, and any orphan a failed check-out left. */
export function signatureRefsOf(db: Db, dataDir: string | null, bookingIds: readonly string[]): string[] {
  if (bookingIds.length === 0) return [];
  const refs = new Set<string>();
  const byBooking = db.prepare<[string], { signature_ref: string | null }>('SELECT signature_ref FROM handovers WHERE booking_id = ? AND signature_ref IS NOT NULL');
  for (const id of bookingIds) for (const h of byBooking.all(id)) if (h.signature_ref) refs.add(h.signature_ref);
  const folder = dataDir === null ? null : join(dataDir, 'signatures');
  if (folder !== null && existsSync(folder)) {
    const ids = new Set(bookingIds);
    for (const name of readdirSync(folder)) {
      const dash = name.indexOf('-');
      if (dash > 0 && ids.has(name.slice(0, dash))) refs.add(`signatures/${name}`);
    }
  }
  return [...refs];
}

export function queueErasure(db: Db, customerId: string, kind: 'file' | 'backups', ref: string, at: string): void {
  db.prepare('INSERT OR IGNORE INTO erasure_pending (customer_id, kind, ref, queued_at) VALUES (?, ?, ?, ?)').run(customerId, kind, ref, at);
}

/** Overwrites a file with zeros before deleting it, so its bytes are not simply left in the folder's free space. */
function shred(path: string): void {
  if (zeroFill(path)) rmSync(path, { force: true });
}

/** Overwrites a regular file's bytes with zeros in place; false when there is no such file. */
function zeroFill(path: string): boolean {
  let st;
  try {
    st = lstatSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
  if (st.isFile()) {
    const fd = openSync(path, 'r+');
    try {
      const zeros = Buffer.alloc(Math.min(st.size, 1 << 20));
      for (let done = 0; done < st.size; done += zeros.length) writeSync(fd, zeros, 0, Math.min(zeros.length, st.size - done), done);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
  return true;
}

/** The text with each term (3 characters or more, any case) replaced by "[erased]". */
export function scrubText(text: string, terms: readonly string[]): string {
  const wanted = [...new Set(terms.filter((t) => t.trim().length >= 3))].sort((a, b) => b.length - a.length);
  return wanted.reduce((out, t) => out.replace(new RegExp(t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi'), '[erased]'), text);
}

/** Replaces each term (as written, and JSON-escaped) in every log file; returns how many files changed. */
export function scrubLogs(dataDir: string | null, terms: readonly string[]): number {
  const folder = dataDir === null ? null : join(dataDir, 'logs');
  const wanted = [...new Set(terms.filter((t) => t.trim().length >= 3).flatMap((t) => [t, JSON.stringify(t).slice(1, -1)]))].sort((a, b) => b.length - a.length);
  if (folder === null || wanted.length === 0 || !existsSync(folder)) return 0;
  let changed = 0;
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    if (!lstatSync(path).isFile()) continue;
    const text = readFileSync(path, 'utf8');
    let next = text;
    for (const t of wanted) next = next.split(t).join('[erased]');
    if (next === text) continue;
    // The logger opens the file for each line, so the cleaned copy renamed over it loses only a
    // line written between the read and the rename.
    const tmp = `${path}.erasing`;
    writeFileSync(tmp, next, { mode: PRIVATE_FILE_MODE });
    zeroFill(path);
    renameSync(tmp, path);
    changed++;
  }
  return changed;
}

export function createErasureFinisher(db: Db, storage: ErasureStorage) {
  const pending = db.prepare<[], Pending>('SELECT customer_id, kind, ref FROM erasure_pending ORDER BY queued_at, kind, ref');
  const done = db.prepare<[string, string, string]>('DELETE FROM erasure_pending WHERE customer_id = ? AND kind = ? AND ref = ?');
  // Runs one after another: a run asked for while one is going starts after it (and sees its rows).
  let chain: Promise<unknown> = Promise.resolve();

  async function work(): Promise<{ left: number }> {
    const rows = pending.all();
    let left = 0;
    for (const r of rows.filter((p) => p.kind === 'file')) {
      try {
        // Only a ref of the stored-file shape, inside the data folder; anything else is dropped from the queue.
        if (storage.dataDir !== null && STORED_FILE_REF.test(r.ref) && r.ref.startsWith('signatures/')) shred(join(storage.dataDir, r.ref));
        done.run(r.customer_id, r.kind, r.ref);
      } catch (err) {
        left++;
        storage.log.warn('customers.erase_file_failed', { ref: r.ref, error: err instanceof Error ? err.message : String(err) });
      }
    }
    // Once, on a database from before secure_delete (queued by migration 0170): rewrites every page,
    // so no free space keeps what earlier versions deleted. Before the backups are replaced.
    // Backups taken before it copied that free space too: when anyone was erased, all are replaced.
    let allBackups = false;
    for (const r of rows.filter((p) => p.kind === 'vacuum')) {
      try {
        db.exec('VACUUM');
        allBackups = (db.prepare('SELECT count(*) AS n FROM customers WHERE erased_at IS NOT NULL').get() as { n: number }).n > 0;
        // Done once the backups are replaced too (a retry vacuums again, which costs only time).
        if (!allBackups) done.run(r.customer_id, r.kind, r.ref);
      } catch (err) {
        left++;
        storage.log.warn('customers.erase_vacuum_failed', { error: err instanceof Error ? err.message : String(err) });
      }
    }
    const backups = rows.filter((p) => p.kind === 'backups');
    if (backups.length > 0 || allBackups) {
      try {
        await replaceBackups(backups.map((b) => b.ref || b.customer_id), allBackups);
        for (const b of backups) done.run(b.customer_id, b.kind, b.ref);
        if (allBackups) for (const r of rows.filter((p) => p.kind === 'vacuum')) done.run(r.customer_id, r.kind, r.ref);
      } catch (err) {
        left += backups.length;
        storage.log.warn('customers.erase_backups_failed', { error: err instanceof Error ? err.message : String(err) });
      }
    }
    // Old page images of the erased rows live in the WAL until it is checkpointed and truncated.
    if (storage.dbPath !== ':memory:') {
      try {
        const [cp] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
        if (cp && cp.busy !== 0) storage.log.warn('customers.erase_checkpoint_busy', {});
      } catch (err) {
        storage.log.warn('customers.erase_checkpoint_failed', { error: err instanceof Error ? err.message : String(err) });
      }
    }
    return { left };
  }

  async function replaceBackups(customerIds: string[], all: boolean): Promise<void> {
    if (storage.dbPath === ':memory:') return;
    const dir = backupsDirFor(storage.dbPath);
    for (const name of existsSync(dir) ? readdirSync(dir) : []) if (name.endsWith('.partial')) shred(join(dir, name));
    const stale = listBackups(dir).filter((b) => all || backupHoldsCustomers(b.path, customerIds));
    if (stale.length === 0) return;
    // A fresh copy first, so the counter is never left without a backup.
    const fresh = await takeBackup(db, dir, 'manual', storage.now());
    for (const b of stale) if (b.path !== fresh) shred(b.path);
  }

  return {
    /** Works off the queue; one run at a time. Never throws: what is left is logged and retried. */
    finish(): Promise<{ left: number }> {
      const run = chain.then(work);
      chain = run.catch(() => undefined);
      return run;
    },
    pendingCount: () => (db.prepare('SELECT count(*) AS n FROM erasure_pending').get() as { n: number }).n,
  };
}
