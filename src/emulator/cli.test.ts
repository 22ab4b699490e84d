import { spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));

describe('npm run emulator (cli.ts)', () => {
  it('prints its URL and a test key, serves the stripe client, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', resolve(here, 'cli.ts'), '--port', '0'], { cwd: resolve(here, '../..'), stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const output = await new Promise<string>((resolveOut, reject) => {
        let text = '';
        const timer = setTimeout(() => reject(new Error(`no URL printed; got: ${text}`)), 15_000);
        child.stdout.on('data', (chunk: Buffer) => {
          text += chunk.toString();
          if (text.includes('API key')) {
            clearTimeout(timer);
            resolveOut(text);
          }
        });
        child.once('exit', (code) => reject(new Error(`exited early with ${code}`)));
      });
      const url = /listening on (http:\/\/127\.0\.0\.1:(\d+))/.exec(output);
      expect(url).not.toBeNull();
      const key = /API key: (sk_test_\w+)/.exec(output)?.[1];
      expect(key).toBeDefined();
      const stripe = new Stripe(key as string, { host: '127.0.0.1', port: Number(url?.[2]), protocol: 'http', maxNetworkRetries: 0 });
      expect((await stripe.customers.create({ name: 'cli' })).object).toBe('customer');
    } finally {
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });
});
