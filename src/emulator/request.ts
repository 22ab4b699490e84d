import type { IncomingMessage } from 'node:http';
import { authenticationError, invalidRequest, type ApiError } from './errors';

const MAX_BODY_BYTES = 1024 * 1024;
const DROP_CONNECTION_BYTES = 16 * 1024 * 1024;

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

/** As Stripe masks it: the prefix, one asterisk per hidden character, the last four (sk_test_*****…*abcd). */
function maskKey(key: string): string {
  const cut = Math.min(key.indexOf('_', key.indexOf('_') + 1) + 1, Math.max(key.length - 4, 0));
  return `${key.slice(0, cut)}${'*'.repeat(Math.max(key.length - 4 - cut, 0))}${key.slice(-4)}`;
}

/**
 * Reads a body of at most 1 MiB. A larger one is refused with a 413 answer, not a reset: the rest
 * is read and dropped so the client, still sending, gets to read the error (Stripe answers so).
 * Past 16 MiB the connection is cut: nobody is owed a tidy answer for that.
 */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > DROP_CONNECTION_BYTES) {
        req.destroy();
        return;
      }
      if (size > MAX_BODY_BYTES) {
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) {
        reject(
          invalidRequest(`The request body is too large: ${size} bytes. The maximum is ${MAX_BODY_BYTES} bytes.`, { status: 413, cacheable: false }),
        );
        return;
      }
      resolve(chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
    req.on('close', () => {
      if (!req.complete) reject(new Error('The client closed the connection before sending the whole body.'));
    });
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function headerValue(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Stripe's 401s: no key at all, or one this account did not issue (a live key included). */
export function checkApiKey(authorization: string | undefined, accepts: (key: string) => boolean): ApiError | null {
  const key = apiKeyOf(authorization);
  if (!key) {
    return authenticationError(
      "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
    );
  }
  if (!accepts(key)) return authenticationError(`Invalid API Key provided: ${maskKey(key)}`);
  return null;
}
