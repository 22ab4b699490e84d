import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRelay, type RunningRelay } from '../../../relay/server';
import { openPostgresStore } from '../../../relay/store/postgres';
import type { RelayStore } from '../../../relay/store/types';
import { startSwitchProxy, type SwitchProxy } from '../../../relay/testing/switchProxy';
import { addTestInstall, TEST_SECRET } from '../../../relay/testing/testRelay';
import { makeEvent, postWebhook } from '../../../relay/testing/webhooks';
import { createStreamClient } from './streamClient';
import { expectExactlyOnceInOrder, postAll } from '../../testing/syncTestKit';
import { createDatabase, findPostgresBin, postgresUnavailableReason, startTempPostgres, type TempPostgres } from '../../../../test/support/tempPostgres';
import { waitFor } from '../../../../test/support/waitFor';
import { createTestApplier } from '../../testing/testApplier';

const skipReason = postgresUnavailableReason();
const found = findPostgresBin();
if (skipReason) console.warn(`[sync] two-instance PostgreSQL scenario SKIPPED: ${skipReason}`);
else console.info(`[sync] two-instance PostgreSQL scenario uses ${'bin' in found ? found.bin : '?'}`);

describe.skipIf(skipReason !== null)('two relay instances on one PostgreSQL, the till moving between them', () => {
  let pg: TempPostgres;
  let storeA: RelayStore;
  let storeB: RelayStore;
  let relayA: RunningRelay;
  let relayB: RunningRelay;
  let lb: SwitchProxy;

  beforeAll(async () => {
    pg = await startTempPostgres();
    const url = await createDatabase(pg.url, `relay_lb_${process.pid}`);
    [storeA, storeB] = await Promise.all([openPostgresStore({ connectionString: url }), openPostgresStore({ connectionString: url })]);
    // Long heartbeats: only LISTEN/NOTIFY can wake a stream on one instance for a webhook stored by the other in time.
    [relayA, relayB] = await Promise.all([
      startRelay({ store: storeA, webhookSecrets: [TEST_SECRET], heartbeatMs: 30_000 }),
      startRelay({ store: storeB, webhookSecrets: [TEST_SECRET], heartbeatMs: 30_000 }),
    ]);
    lb = await startSwitchProxy(relayA.url);
  }, 60_000);
  afterAll(async () => {
    await lb?.close();
    await relayA?.close();
    await relayB?.close();
    await storeA?.close();
    await storeB?.close();
    await pg?.stop();
  });

  it('delivers every event exactly once, in commit order, to the right till, across instances and a move between them', async () => {
    const x = await addTestInstall(storeA, 'Till X');
    const y = await addTestInstall(storeA, 'Till Y');
    const appX = createTestApplier();
    const appY = createTestApplier();
    const opts = { baseUrl: lb.url, backoff: { initialMs: 20, maxMs: 300, factor: 2 }, ackEveryMs: 50 };
    const cx = createStreamClient({ ...opts, token: x.token, apply: appX.apply, loadCursor: appX.loadCursor });
    const cy = createStreamClient({ ...opts, token: y.token, apply: appY.apply, loadCursor: appY.loadCursor });
    cx.start();
    cy.start();
    await waitFor(() => cx.state.state === 'live' && cy.state.state === 'live', 5000, 'both tills live on A');

    const wantX: string[] = [];
    const wantY: string[] = [];
    const batch = (prefix: string, n: number) =>
      Array.from({ length: n }, (_, i) => {
        const toX = i % 2 === 0;
        const e = makeEvent({ id: `evt_${prefix}${String(i).padStart(3, '0')}`, installId: toX ? x.id : y.id });
        (toX ? wantX : wantY).push(e.id as string);
        return e;
      });
    // The load balancer spreads Stripe's webhooks over both instances.
    const spread = async (events: Record<string, unknown>[], targets: RunningRelay[]) => {
      const parts = targets.map((_, k) => events.filter((__, i) => i % targets.length === k));
      await Promise.all(parts.map((p, k) => postAll(targets[k]!.url, p, TEST_SECRET, 8)));
    };

    // Reordered: two charges of a PaymentIntent arrive before the event that names its till.
    const early = [
      makeEvent({ id: 'evt_early_1', type: 'charge.succeeded', paymentIntent: 'pi_reorder' }),
      makeEvent({ id: 'evt_early_2', type: 'charge.refunded', paymentIntent: 'pi_reorder' }),
    ];
    await spread(early, [relayA, relayB]);
    await spread(batch('one_', 120), [relayA, relayB]);
    const owner = makeEvent({ id: 'evt_owner', installId: y.id, paymentIntent: 'pi_reorder' });
    expect((await postWebhook(relayB.url, JSON.stringify(owner), { secret: TEST_SECRET })).status).toBe(200);
    wantY.push('evt_early_1', 'evt_early_2', 'evt_owner');
    // Duplicates hitting both instances at once are stored once.
    const dup = JSON.stringify(makeEvent({ id: 'evt_dup_both', installId: x.id }));
    const both = await Promise.all([relayA, relayB].map((r) => postWebhook(r.url, dup, { secret: TEST_SECRET })));
    expect(both.map((r) => r.status)).toEqual([200, 200]);
    expect(both.filter((r) => r.body.includes('duplicate'))).toHaveLength(1);
    wantX.push('evt_dup_both');
    await waitFor(() => appX.count() === wantX.length && appY.count() === wantY.length, 10_000, 'phase one applied via A');

    // The tills move to B (their streams dropped); they resume from their own cursors. An instance
    // killed under load is test/harness/relayPgFailover.test.ts.
    lb.setTarget(relayB.url);
    lb.dropAll();
    await spread(batch('two_', 120), [relayA, relayB]);
    await waitFor(() => appX.count() === wantX.length && appY.count() === wantY.length, 15_000, 'all applied via B');
    await cx.stop();
    await cy.stop();

    const order = async (id: string) => (await storeB.readAfter(id, 0, 10_000)).map((r) => r.eventId);
    expectExactlyOnceInOrder(appX, wantX, await order(x.id));
    expectExactlyOnceInOrder(appY, wantY, await order(y.id));
    // The early charges waited unassigned and reached Y just before the event that named Y.
    const ys = await order(y.id);
    const at = ys.indexOf('evt_owner');
    expect(ys.slice(at - 2, at + 1)).toEqual(['evt_early_1', 'evt_early_2', 'evt_owner']);
    expect((await storeB.getInstall(x.id))?.ackedSeq).toBe(wantX.length);
    appX.close();
    appY.close();
  }, 60_000);
});
