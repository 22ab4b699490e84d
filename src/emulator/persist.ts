import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
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
};

export function makeSnapshot(parts: { clockOffsetSeconds: number; state: State; events: Snapshot['events']; idempotency: Snapshot['idempotency'] }): Snapshot {
  return { version: 1, clockOffsetSeconds: parts.clockOffsetSeconds, state: dumpState(parts.state), events: parts.events, idempotency: parts.idempotency };
}

/** Written to a temporary file and renamed, so a crash never leaves half a snapshot. */
export function writeSnapshot(path: string, snapshot: Snapshot): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(snapshot));
  renameSync(tmp, path);
}

export function readSnapshot(path: string): Snapshot | null {
  if (!existsSync(path)) return null;
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<Snapshot>;
  if (parsed.version !== 1) throw new Error(`Emulator state file ${path} has an unknown version`);
  return parsed as Snapshot;
}
