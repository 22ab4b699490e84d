import { chmodSync, lstatSync, mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { STORED_FILE_REF } from '../../../shared/contract/fields';
import { newId } from '../../core/ids';
import { badInput } from '../../core/errors';

/** Largest signature image kept; a pad's PNG is typically 10–40 KB. */
export const MAX_SIGNATURE_BYTES = 256 * 1024;

type Folder = 'signatures' | 'photos';
const FIELD: Record<Folder, string> = { signatures: 'signature', photos: 'photos' };
const WHAT: Record<Folder, string> = { signatures: 'signature', photos: 'photo' };

/**
 * True when `ref` names a regular file Keydesk stored in `<dataDir>/<folder>/`: the ref has the
 * stored-file shape (no absolute path, "..", backslash or drive), the file exists, is not a
 * link, and really lies inside the data folder.
 */
export function isStoredFile(dataDir: string | null, ref: string, folder: Folder): boolean {
  if (dataDir === null || !STORED_FILE_REF.test(ref) || !ref.startsWith(`${folder}/`)) return false;
  try {
    const abs = join(dataDir, ref);
    if (!lstatSync(abs).isFile()) return false;
    const rel = relative(realpathSync(dataDir), realpathSync(abs));
    return rel === ref.split('/').join(sep);
  } catch {
    return false;
  }
}

/** Refuses any ref that is not a file Keydesk stored (photos chosen at check-out, a saved signature). */
export function requireStoredFiles(dataDir: string | null, refs: readonly string[], folder: Folder): void {
  for (const ref of refs) {
    if (!isStoredFile(dataDir, ref, folder)) {
      throw badInput(FIELD[folder], `That ${WHAT[folder]} is not one Keydesk saved on this counter; take it again`);
    }
  }
}

/**
 * Saves a signature data URL as an owner-only file under `<dataDir>/signatures/` and returns
 * its ref relative to the data folder, which is what the booking stores. A ref given instead of
 * an image must name a signature this counter saved.
 */
export function storeSignature(dataDir: string | null, bookingId: string, signature: string): string {
  const m = /^data:image\/(png|jpeg);base64,([A-Za-z0-9+/=]+)$/.exec(signature);
  if (!m) {
    requireStoredFiles(dataDir, [signature], 'signatures');
    return signature;
  }
  const bytes = Buffer.from(m[2] ?? '', 'base64');
  if (bytes.length === 0) throw badInput('signature', 'Signature image is empty; ask the customer to sign again');
  if (bytes.length > MAX_SIGNATURE_BYTES) throw badInput('signature', 'Signature image is too large (at most 256 KB)');
  if (dataDir === null) throw badInput('signature', 'This counter has no folder to keep signatures in');
  const rel = `signatures/${bookingId}-${newId()}.${m[1] === 'png' ? 'png' : 'jpg'}`;
  mkdirSync(join(dataDir, 'signatures'), { recursive: true, mode: 0o700 });
  if (process.platform !== 'win32') chmodSync(join(dataDir, 'signatures'), 0o700); // folders made by older versions
  writeFileSync(join(dataDir, rel), bytes, { flag: 'wx', mode: 0o600 });
  return rel;
}
