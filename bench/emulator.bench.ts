/**
 * PaymentIntent create + confirm through the real stripe client against the emulator.
 * Reports the two-call flow (create, then confirm): per-flow p50/p99 ms and API requests/s,
 * sequentially and with 16 flows in flight; plus the one-call flow (confirm: true) sequentially, and
 * the two-call flow over a bare node:http client (the emulator's own capacity).
 * Prints ONE JSON line. Run: npx tsx bench/emulator.bench.ts [iterations]
 */
import { Agent, request } from 'node:http';
import Stripe from 'stripe';
import { startEmulator } from '../src/emulator/server';

const ITERATIONS = Number(process.argv[2] ?? 2000);
const CONCURRENCY = 16;
const WARMUP = 200;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] as number;
}

const round = (n: number): number => Math.round(n * 1000) / 1000;

type Flow = (stripe: Stripe) => Promise<number>;

/** Two calls: create, then confirm with the test card. Returns the number of API requests made. */
const twoCall: Flow = async (stripe) => {
  const pi = await stripe.paymentIntents.create({ amount: 2000, currency: 'usd', allowed_payment_method_types: ['card'] });
  const confirmed = await stripe.paymentIntents.confirm(pi.id, { payment_method: 'pm_card_visa' });
  if (confirmed.status !== 'succeeded') throw new Error(`unexpected status ${confirmed.status}`);
  return 2;
};

const oneCall: Flow = async (stripe) => {
  const pi = await stripe.paymentIntents.create({ amount: 2000, currency: 'usd', allowed_payment_method_types: ['card'], payment_method: 'pm_card_visa', confirm: true });
  if (pi.status !== 'succeeded') throw new Error(`unexpected status ${pi.status}`);
  return 1;
};

async function run(stripe: Stripe, flow: Flow, iterations: number, concurrency: number): Promise<{ p50: number; p99: number; rps: number; flowsPerSec: number }> {
  const latencies: number[] = [];
  let requests = 0;
  let next = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (next < iterations) {
      next++;
      const t0 = performance.now();
      const made = await flow(stripe);
      requests += made;
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { p50: round(percentile(latencies, 50)), p99: round(percentile(latencies, 99)), rps: Math.round(requests / seconds), flowsPerSec: Math.round(iterations / seconds) };
}

/**
 * The same two-call flow over a bare keep-alive node:http client, to show how much of the time
 * is the emulator's: stripe-node's own per-request work dominates the figures above.
 */
async function rawTwoCall(port: number, apiKey: string, iterations: number): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const post = (path: string, body: string): Promise<string> =>
    new Promise((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port, path, method: 'POST', agent, headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve(Buffer.concat(chunks).toString()));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const started = performance.now();
  for (let i = 0; i < iterations; i++) {
    const pi = JSON.parse(await post('/v1/payment_intents', 'amount=2000&currency=usd&allowed_payment_method_types[0]=card')) as { id: string };
    await post(`/v1/payment_intents/${pi.id}/confirm`, 'payment_method=pm_card_visa');
  }
  agent.destroy();
  return Math.round((iterations * 2) / ((performance.now() - started) / 1000));
}

const emulator = await startEmulator();
try {
  const stripe = new Stripe(emulator.apiKey, { ...emulator.stripeOptions, maxNetworkRetries: 0, telemetry: false });
  await run(stripe, twoCall, WARMUP, 1);
  await run(stripe, oneCall, WARMUP, 1);
  emulator.reset();
  const seq = await run(stripe, twoCall, ITERATIONS, 1);
  const conc = await run(stripe, twoCall, ITERATIONS, CONCURRENCY);
  const single = await run(stripe, oneCall, ITERATIONS, 1);
  const bare = await rawTwoCall(emulator.port, emulator.apiKey, ITERATIONS);
  process.stdout.write(
    `${JSON.stringify({
      bench: 'emulator',
      flow: 'payment_intent create then confirm (pm_card_visa), stripe-node 23.1.0',
      iterations: ITERATIONS,
      sequential_p50_ms: seq.p50,
      sequential_p99_ms: seq.p99,
      sequential_req_per_s: seq.rps,
      sequential_flows_per_s: seq.flowsPerSec,
      concurrency: CONCURRENCY,
      concurrent_p50_ms: conc.p50,
      concurrent_p99_ms: conc.p99,
      concurrent_req_per_s: conc.rps,
      concurrent_flows_per_s: conc.flowsPerSec,
      one_call_confirm_true_p50_ms: single.p50,
      one_call_confirm_true_p99_ms: single.p99,
      one_call_confirm_true_req_per_s: single.rps,
      bare_http_client_sequential_req_per_s: bare,
    })}\n`,
  );
} finally {
  await emulator.close();
}
