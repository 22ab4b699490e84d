import { startEmulator, TEST_API_KEY } from './server';

/** `npm run emulator -- [--port N] [--host H] [--state file.json]`; port also from EMULATOR_PORT, default random. */
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

const emulator = await startEmulator({ port, host: arg('host') ?? '127.0.0.1', statePath: arg('state') ?? process.env.EMULATOR_STATE });
process.stdout.write(
  [
    `Stripe emulator listening on ${emulator.url}`,
    `API key: ${TEST_API_KEY} (any sk_test_ key works)`,
    `stripe-node: new Stripe('${TEST_API_KEY}', { host: '${emulator.stripeOptions.host}', port: ${emulator.port}, protocol: 'http' })`,
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
