import type { IncomingMessage } from 'node:http';
import { authenticationError, invalidRequest, type ApiError } from './errors';

const MAX_BODY_BYTES = 1024 * 1024;
/** Any test-mode secret or restricted key; live keys are refused (the emulator is test mode only). */
const KEY_RE = /^(sk|rk)_test_[A-Za-z0-9_]+$/;

function apiKeyOf(header: string | undefined): string | null {
  if (!header) return null;
  const space = header.indexOf(' ');
  if (space === -1) return null;
  const scheme = header.slice(0, space).toLowerCase();
  const value = header.slice(space + 1).trim();
  if (scheme === 'bearer') return value;
  if (scheme === 'basic') return Buffer.from(value, 'base64').toString('utf8').split(':')[0] ?? '';
  return null;
}

function maskKey(key: string): string {
  const cut = key.indexOf('_', key.indexOf('_') + 1) + 1;
  return `${key.slice(0, cut)}${'*'.repeat(4)}${key.slice(-4)}`;
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(invalidRequest('Request body is too large.', { status: 413, cacheable: false }));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function headerValue(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Stripe's 401s: no key at all, or one it does not accept. */
export function checkApiKey(authorization: string | undefined): ApiError | null {
  const key = apiKeyOf(authorization);
  if (!key) {
    return authenticationError(
      "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
    );
  }
  if (!KEY_RE.test(key)) return authenticationError(`Invalid API Key provided: ${maskKey(key)}`);
  return null;
}
