import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStreamClient, type RelayEvent } from '../../src/main/services/sync/streamClient';
import { addTestInstall, startTestRelay, TEST_SECRET, type TestRelay } from '../../src/relay/testing/testRelay';
import { waitFor } from '../../src/relay/testing/waitFor';
import { makeEvent, postWebhook, signatureHeader } from '../../src/relay/testing/webhooks';

/** Issue 17 #3: the till gets the exact bytes Stripe sent, with Stripe's signature, and can verify them. */
const stripe = new Stripe('sk_test_relay_byte_exact');

describe("Stripe's exact bytes, from the webhook to the till", () => {
  let t: TestRelay;
  let till: { id: string; token: string };

  beforeAll(async () => {
    t = await startTestRelay();
    till = await addTestInstall(t.store, 'Counter 1');
  });
  afterAll(() => t.cleanup());

  const received = (secrets: string[] | undefined, transport: 'sse' | 'long-poll') => {
    const got: RelayEvent[] = [];
    let cursor = 0;
    const client = createStreamClient({
      baseUrl: t.url,
      token: till.token,
      ...(secrets && { endpointSecrets: secrets }),
      apply: (batch, upTo) => {
        got.push(...batch);
        cursor = upTo;
      },
      loadCursor: () => cursor,
      backoff: { initialMs: 10, maxMs: 100, factor: 2 },
      // Long-poll: make SSE look unusable so the client falls back at once.
      ...(transport === 'long-poll' && {
        sseFailuresBeforeLongPoll: 1,
        fetchImpl: (async (url: string | URL | Request, init?: RequestInit) =>
          String(url).includes('/v1/stream') ? new Response('no', { status: 502 }) : fetch(url, init)) as typeof fetch,
        longPollWaitSec: 1,
      }),
    });
    client.start();
    return { got, client };
  };

  it('what the till receives verifies with stripe.webhooks.constructEvent on the pretty-printed body Stripe sent (SSE and long-poll)', async () => {
    const pretty = JSON.stringify(makeEvent({ id: 'evt_exact_1', installId: till.id, padTo: 900 }), null, 2) + '\n';
    // A body with CRLF line ends (allowed JSON whitespace) takes the base64 path and comes back exact too.
    const crlf = JSON.stringify(makeEvent({ id: 'evt_exact_2', installId: till.id }), null, 2).replaceAll('\n', '\r\n');
    const unicode = JSON.stringify({ ...makeEvent({ id: 'evt_exact_3', installId: till.id }), note: 'Zoë — 東京 \u2028 ✓' }, null, 2);
    const bodies = [pretty, crlf, unicode];
    const sigs = bodies.map((b) => signatureHeader(b, TEST_SECRET));
    for (let i = 0; i < bodies.length; i++) expect((await postWebhook(t.url, bodies[i]!, { signature: sigs[i]! })).status).toBe(200);

    for (const transport of ['sse', 'long-poll'] as const) {
      const { got, client } = received([TEST_SECRET], transport);
      await waitFor(() => got.length >= 3, 10_000, `three events over ${transport}`);
      await client.stop();
      expect(got.map((e) => e.raw)).toEqual(bodies);
      expect(got.map((e) => e.signature)).toEqual(sigs);
      expect(got.map((e) => e.trust)).toEqual(['stripe_signature', 'stripe_signature', 'stripe_signature']);
      for (const e of got) {
        const verified = stripe.webhooks.constructEvent(e.raw!, e.signature!, TEST_SECRET);
        expect(verified.id).toBe(e.event.id);
      }
    }
  });

  it('without the endpoint secret the till trusts the authenticated stream, and says so', async () => {
    const { got, client } = received(undefined, 'sse');
    await waitFor(() => got.length >= 3, 10_000, 'events');
    await client.stop();
    expect(got.every((e) => e.trust === 'relay_stream')).toBe(true);
  });

  it('a till holding a different secret refuses the events and applies none', async () => {
    const { got, client } = received(['whsec_some_other_endpoint'], 'sse');
    await waitFor(() => client.state.state === 'error', 10_000, 'the client to refuse');
    expect(client.state.error).toMatch(/does not carry a valid Stripe signature/);
    await client.stop();
    expect(got).toEqual([]);
  });
});
