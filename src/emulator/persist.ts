import { chmodSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { IssuedKeys } from './apiKeys';
import type { StoredResponse } from './idempotency';
import { dumpState } from './state';
import type { State } from './state';
import type { StripeEvent } from './types';

export type Snapshot = {
  version: 1;
  clockOffsetSeconds: number;
  state: ReturnType<typeof dumpState>;
  events: { events: StripeEvent[]; undelivered: [string, string[]][] };
  idempotency: [string, StoredResponse][];
  /** The account's keys; absent in files from before keys were issued (new ones are made then). */
  keys?: IssuedKeys;
};

/** The two file operations a snapshot write needs; tests swap in a failing disk. */
export type SnapshotIo = {
  /** Creates or truncates `path` with `mode`, writes `data` and flushes it to the disk. */
  writeFile(path: string, data: string, mode: number): void;
  rename(from: string, to: string): void;
};

export const nodeSnapshotIo: SnapshotIo = {
  writeFile(path, data, mode) {
    const fd = openSync(path, 'w', mode);
    try {
      // A nearly full disk takes part of a write without an error; the next write then fails.
      const bytes = Buffer.from(data, 'utf8');
      for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  },
  rename: renameSync,
};

/** Holds the webhook secret and customer data: readable by this user only. */
const FILE_MODE = 0o600;
const DIR_MODE = 0o700;

export function makeSnapshot(parts: {
  clockOffsetSeconds: number;
  state: State;
  events: Snapshot['events'];
  idempotency: Snapshot['idempotency'];
  keys?: IssuedKeys;
}): Snapshot {
  const snap: Snapshot = { version: 1, clockOffsetSeconds: parts.clockOffsetSeconds, state: dumpState(parts.state), events: parts.events, idempotency: parts.idempotency };
  if (parts.keys) snap.keys = parts.keys;
  return snap;
}

/**
 * Written to a temporary file, flushed and renamed, so a crash or a full disk never leaves half a
 * snapshot: on any failure the previous file stays as it was, the temporary file is removed and
 * the error is thrown for the caller to report.
 */
export function writeSnapshot(path: string, snapshot: Snapshot, io: SnapshotIo = nodeSnapshotIo): void {
  const dir = dirname(path);
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: DIR_MODE });
  // The folder holds the webhook secret too (the .tmp on its way): narrowed if someone made it wider.
  const dirMode = statSync(dir).mode & 0o777;
  if ((dirMode & 0o077) !== 0) chmodSync(dir, dirMode & DIR_MODE);
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    io.writeFile(tmp, JSON.stringify(snapshot), FILE_MODE);
    io.rename(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

export function readSnapshot(path: string): Snapshot | null {
  if (!existsSync(path)) return null;
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<Snapshot>;
  if (parsed.version !== 1) throw new Error(`Emulator state file ${path} has an unknown version`);
  // Files written before 0600 was the rule are narrowed when first read.
  chmodSync(path, FILE_MODE);
  return parsed as Snapshot;
}
