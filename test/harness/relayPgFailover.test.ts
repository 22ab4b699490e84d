import { afterAll, describe, expect, it } from 'vitest';
import { createStreamClient } from '../../src/main/services/sync/streamClient';
import { expectExactlyOnceInOrder } from '../../src/main/testing/syncTestKit';
import { waitFor as waitUntil } from '../support/waitFor';
import { createTestApplier } from '../../src/main/testing/testApplier';
import { openPostgresStore } from '../../src/relay/store/postgres';
import { spawnRelay, type SpawnedRelay } from '../../src/relay/testing/spawnRelay';
import { startSwitchProxy, type SwitchProxy } from '../../src/relay/testing/switchProxy';
import { createDatabase, freePort, postgresUnavailableReason, startTempPostgres, type TempPostgres } from '../../src/relay/testing/tempPostgres';
import { addTestInstall, TEST_SECRET } from '../../src/relay/testing/testRelay';
import { deliverLikeStripe, makeEvent } from '../../src/relay/testing/webhooks';

/**
 * Issue 17: two relay processes on one PostgreSQL, webhooks spread over both, one SIGKILLed under
 * load. Stripe retries what was not acknowledged (here: on the other instance, as a load balancer
 * would send it); the tills follow the balancer to the survivor. Nothing acknowledged is lost,
 * nothing is applied twice, and each till gets its events in the relay's commit order.
 */
const skipReason = postgresUnavailableReason();
if (skipReason) console.warn(`[relay] two-instance PostgreSQL SIGKILL test skipped: ${skipReason}`);

describe.skipIf(skipReason !== null)('two relay instances on PostgreSQL, one SIGKILLed under load', () => {
  let pg: TempPostgres | null = null;
  const relays: SpawnedRelay[] = [];
  let lb: SwitchProxy | null = null;
  afterAll(async () => {
    await lb?.close();
    for (const r of relays) {
      r.kill('SIGKILL');
      await r.exited;
    }
    await pg?.stop();
  });

  it('loses nothing Stripe got a 2xx for, applies each event once, in order per till', async () => {
    pg = await startTempPostgres();
    const url = await createDatabase(pg.url, `relay_kill_${process.pid}`);
    const setup = await openPostgresStore({ connectionString: url });
    const x = await addTestInstall(setup, 'Till X');
    const y = await addTestInstall(setup, 'Till Y');
    const ports = [await freePort(), await freePort()];
    const env = (port: number) => ({ RELAY_PORT: String(port), RELAY_DATABASE_URL: url, RELAY_WEBHOOK_SECRETS: TEST_SECRET, RELAY_HEARTBEAT_MS: '500' });
    const [a, b] = await Promise.all(ports.map((p) => spawnRelay(env(p))));
    relays.push(a!, b!);
    const urls = ports.map((p) => `http://127.0.0.1:${p}`);
    lb = await startSwitchProxy(urls[0]!);

    const appX = createTestApplier();
    const appY = createTestApplier();
    const opts = { baseUrl: lb.url, backoff: { initialMs: 20, maxMs: 300, factor: 2 }, ackEveryMs: 50 };
    const cx = createStreamClient({ ...opts, token: x.token, apply: appX.apply, loadCursor: appX.loadCursor });
    const cy = createStreamClient({ ...opts, token: y.token, apply: appY.apply, loadCursor: appY.loadCursor });
    cx.start();
    cy.start();

    const events = Array.from({ length: 400 }, (_, i) => makeEvent({ id: `evt_pk${String(i).padStart(3, '0')}`, installId: i % 3 === 0 ? y.id : x.id }));
    const deadline = Date.now() + 45_000;
    let rr = 0;
    // The balancer: each try goes to the next instance, so a retry after a failure lands on the other.
    const pick = () => urls[rr++ % 2]!;
    let next = 0;
    let retried = 0;
    const sender = async () => {
      while (next < events.length) {
        const e = events[next++]!;
        if ((await deliverLikeStripe(pick, e, TEST_SECRET, deadline)) > 1) retried += 1;
        if (next % 25 === 0) await new Promise((r) => setTimeout(r, 5)); // a steady stream, not one burst
      }
    };
    const sending = Promise.all(Array.from({ length: 16 }, sender));

    await waitUntil(() => appX.count() >= 60, 20_000, 'till X well into the stream');
    a!.kill('SIGKILL');
    expect(await a!.exited).toBe(null);
    const appliedAtKill = appX.count() + appY.count();
    lb.setTarget(urls[1]!);
    lb.dropAll();

    await sending;
    const wantX = events.filter((_, i) => i % 3 !== 0).map((e) => e.id as string);
    const wantY = events.filter((_, i) => i % 3 === 0).map((e) => e.id as string);
    await waitUntil(() => appX.count() === wantX.length && appY.count() === wantY.length, 20_000, 'both tills caught up via the survivor');
    await cx.stop();
    await cy.stop();

    expect(appliedAtKill).toBeLessThan(events.length); // the kill really was under load
    expect(retried).toBeGreaterThan(0); // some webhooks met the dead instance and were retried
    const order = async (id: string) => (await setup.readAfter(id, 0, 10_000)).map((r) => r.eventId);
    expectExactlyOnceInOrder(appX, wantX, await order(x.id));
    expectExactlyOnceInOrder(appY, wantY, await order(y.id));
    await setup.close();
    appX.close();
    appY.close();
  }, 90_000);
});
