import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ulid } from 'ulid';
import { startRelay, type RelayOptions, type RunningRelay } from '../server';
import { openSqliteStore } from '../store/sqlite';
import type { RelayStore } from '../store/types';
import { hashToken, newToken } from '../tokens';

export const TEST_SECRET = 'whsec_test_primary';

export async function addTestInstall(store: RelayStore, name: string, locationId: string | null = null): Promise<{ id: string; token: string }> {
  const id = ulid();
  const token = newToken('install');
  await store.addInstall({ id, name, locationId, tokenHash: hashToken(token), now: Date.now() });
  return { id, token };
}

export async function addTestAdmin(store: RelayStore): Promise<string> {
  const token = newToken('admin');
  await store.addAdmin({ id: ulid(), name: 'test admin', tokenHash: hashToken(token), now: Date.now() });
  return token;
}

export type TestRelay = { relay: RunningRelay; store: RelayStore; dir: string; url: string; cleanup(): Promise<void> };

/** An in-process relay on port 0 over a SQLite file in a temp folder. */
export async function startTestRelay(opts: Partial<RelayOptions> = {}): Promise<TestRelay> {
  const dir = mkdtempSync(join(tmpdir(), 'relay-test-'));
  const store = opts.store ?? openSqliteStore({ path: join(dir, 'relay.sqlite'), watchEveryMs: 50 });
  const relay = await startRelay({ webhookSecrets: [TEST_SECRET], heartbeatMs: 1000, ...opts, store });
  return {
    relay,
    store,
    dir,
    url: relay.url,
    async cleanup() {
      await relay.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
