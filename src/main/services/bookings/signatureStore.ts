import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newId } from '../../core/ids';
import { badInput } from '../../core/errors';

/** Largest signature image kept; a pad's PNG is typically 10–40 KB. */
export const MAX_SIGNATURE_BYTES = 256 * 1024;

/**
 * Saves a signature data URL as a file under `<dataDir>/signatures/` and returns its path relative
 * to the data folder, which is what the booking stores. A value that is already a ref is kept.
 */
export function storeSignature(dataDir: string | null, bookingId: string, signature: string): string {
  const m = /^data:image\/(png|jpeg);base64,([A-Za-z0-9+/=]+)$/.exec(signature);
  if (!m) return signature;
  const bytes = Buffer.from(m[2] ?? '', 'base64');
  if (bytes.length === 0) throw badInput('signature', 'Signature image is empty; ask the customer to sign again');
  if (bytes.length > MAX_SIGNATURE_BYTES) throw badInput('signature', 'Signature image is too large (at most 256 KB)');
  if (dataDir === null) throw badInput('signature', 'This counter has no folder to keep signatures in');
  const rel = `signatures/${bookingId}-${newId()}.${m[1] === 'png' ? 'png' : 'jpg'}`;
  mkdirSync(join(dataDir, 'signatures'), { recursive: true });
  writeFileSync(join(dataDir, rel), bytes, { flag: 'wx' });
  return rel;
}
