import { startEmulator } from './server';

/**
 * `npm run emulator -- [--port N] [--host H] [--state file.json] [--key sk_test_…]`; port also from
 * EMULATOR_PORT (default random), state from EMULATOR_STATE, an extra accepted key from EMULATOR_API_KEY.
 */
function arg(name: string): string | undefined {
  const argv = process.argv.slice(2);
  const i = argv.indexOf(`--${name}`);
  if (i !== -1) return argv[i + 1];
  const inline = argv.find((a) => a.startsWith(`--${name}=`));
  return inline?.slice(name.length + 3);
}

const portText = arg('port') ?? process.env.EMULATOR_PORT ?? '0';
const port = Number(portText);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`Invalid port: ${portText}\n`);
  process.exit(2);
}

const extraKey = arg('key') ?? process.env.EMULATOR_API_KEY;
const emulator = await startEmulator({
  port,
  host: arg('host') ?? '127.0.0.1',
  statePath: arg('state') ?? process.env.EMULATOR_STATE,
  ...(extraKey ? { apiKeys: [extraKey] } : {}),
});
process.stdout.write(
  [
    `Stripe emulator listening on ${emulator.url}`,
    `API key: ${emulator.apiKey} (restricted: ${emulator.restrictedKey}${extraKey ? `; also ${extraKey}` : ''}; other keys are refused)`,
    `stripe-node: new Stripe('${emulator.apiKey}', { host: '${emulator.stripeOptions.host}', port: ${emulator.port}, protocol: 'http' })`,
    `Terminal JS SDK (simulated reader): ${emulator.url}/terminal-js/v1`,
    `Admin: ${emulator.url}/_emulator/state, /_emulator/faults, /_emulator/clock/advance, /_emulator/reset`,
    '',
  ].join('\n'),
);

let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  emulator.close().then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`${String(err)}\n`);
      process.exit(1);
    },
  );
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
