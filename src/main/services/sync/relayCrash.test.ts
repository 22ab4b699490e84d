import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../../relay/store/sqlite';
import { spawnRelay, type SpawnedRelay } from '../../../relay/testing/spawnRelay';
import { freePort } from '../../../../test/support/freePort';
import { addTestInstall, TEST_SECRET } from '../../../relay/testing/testRelay';
import { deliverLikeStripe, makeEvent } from '../../../relay/testing/webhooks';
import { createStreamClient } from './streamClient';
import { expectExactlyOnceInOrder } from '../../testing/syncTestKit';
import { waitFor } from '../../../../test/support/waitFor';
import { createTestApplier } from '../../testing/testApplier';

describe('relay killed with SIGKILL mid-stream and restarted on the same data folder', () => {
  const dir = mkdtempSync(join(tmpdir(), 'relay-crash-'));
  let relay: SpawnedRelay | null = null;
  afterAll(async () => {
    if (relay) {
      relay.kill('SIGKILL');
      await relay.exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('loses nothing: every webhook Stripe got a 2xx for is delivered exactly once, in order, to the right till', async () => {
    const setup = openSqliteStore({ path: join(dir, 'relay.sqlite') });
    const a = await addTestInstall(setup, 'Counter A');
    const b = await addTestInstall(setup, 'Counter B');
    await setup.close();

    const port = await freePort();
    const env = { RELAY_PORT: String(port), RELAY_DATA_DIR: dir, RELAY_WEBHOOK_SECRETS: TEST_SECRET, RELAY_HEARTBEAT_MS: '200' };
    relay = await spawnRelay(env);
    const baseUrl = `http://127.0.0.1:${port}`;

    const appA = createTestApplier(join(dir, 'till-a.sqlite'));
    const appB = createTestApplier(join(dir, 'till-b.sqlite'));
    const opts = { baseUrl, backoff: { initialMs: 20, maxMs: 300, factor: 2 }, ackEveryMs: 50 };
    const ca = createStreamClient({ ...opts, token: a.token, apply: appA.apply, loadCursor: appA.loadCursor });
    const cb = createStreamClient({ ...opts, token: b.token, apply: appB.apply, loadCursor: appB.loadCursor });
    ca.start();
    cb.start();

    const events = Array.from({ length: 400 }, (_, i) => makeEvent({ id: `evt_k${String(i).padStart(3, '0')}`, installId: i % 3 === 0 ? b.id : a.id }));
    const deadline = Date.now() + 40_000;
    let next = 0;
    let retried = 0;
    // Eight webhooks in flight, as Stripe does; each retried until the relay answers 2xx.
    const sender = async () => {
      while (next < events.length) {
        const e = events[next++]!;
        const tries = await deliverLikeStripe(() => baseUrl, e, TEST_SECRET, deadline);
        if (tries > 1) retried += 1;
        if (next % 25 === 0) await new Promise((r) => setTimeout(r, 5)); // a steady stream, not one burst
      }
    };
    const sending = Promise.all(Array.from({ length: 8 }, sender));

    await waitFor(() => appA.count() >= 80, 20_000, 'till A well into the stream');
    relay.kill('SIGKILL');
    expect(await relay.exited).toBe(null); // killed by the signal, not a clean exit
    const appliedAtKill = appA.count() + appB.count();
    await new Promise((r) => setTimeout(r, 300)); // down for a moment: webhooks fail, tills go offline
    relay = await spawnRelay(env);

    await sending;
    const wantA = events.filter((e) => (e.data as { object: { metadata: { install_id: string } } }).object.metadata.install_id === a.id).map((e) => e.id as string);
    const wantB = events.filter((e) => !wantA.includes(e.id as string)).map((e) => e.id as string);
    await waitFor(() => appA.count() === wantA.length && appB.count() === wantB.length, 20_000, 'both tills caught up');
    await ca.stop();
    await cb.stop();

    expect(appliedAtKill).toBeLessThan(events.length); // the kill really was mid-stream
    expect(retried).toBeGreaterThan(0); // and some webhooks had to be retried
    const check = openSqliteStore({ path: join(dir, 'relay.sqlite') });
    const order = async (id: string) => (await check.readAfter(id, 0, 10_000)).map((r) => r.eventId);
    expectExactlyOnceInOrder(appA, wantA, await order(a.id));
    expectExactlyOnceInOrder(appB, wantB, await order(b.id));
    await check.close();
    appA.close();
    appB.close();
  }, 60_000);
});
