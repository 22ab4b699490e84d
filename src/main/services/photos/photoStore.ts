import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_PHOTO_BYTES } from '../../../shared/contract/photos';
import { badInput, notFound } from '../../core/errors';
import { newId } from '../../core/ids';

const JPEG = [0xff, 0xd8, 0xff];
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const startsWith = (b: Buffer, magic: number[]) => b.length >= magic.length && magic.every((x, i) => b[i] === x);

/** What the bytes are, by their first bytes (never by the name or type the sender gave). */
export function imageKind(bytes: Buffer): 'jpg' | 'png' | null {
  if (startsWith(bytes, JPEG)) return 'jpg';
  if (startsWith(bytes, PNG)) return 'png';
  return null;
}

/**
 * Keeps a photo sent as a data URL in `<dataDir>/photos/<id>.jpg|png`, owner-only, and answers
 * its ref. Refuses anything that is not base64 image data, not a JPEG or PNG by its magic bytes,
 * or larger than MAX_PHOTO_BYTES; nothing is written then.
 */
export function savePhoto(dataDir: string | null, image: string, id: string = newId()): { ref: string; bytes: number } {
  const m = /^data:image\/(?:png|jpeg|jpg);base64,([A-Za-z0-9+/]+={0,2})$/.exec(image);
  if (!m) throw badInput('image', 'That is not a photo Keydesk can keep (a JPEG or PNG image); take it again or pick another file');
  const bytes = Buffer.from(m[1] ?? '', 'base64');
  if (bytes.length === 0) throw badInput('image', 'Photo is empty; take it again');
  if (bytes.length > MAX_PHOTO_BYTES) throw badInput('image', `Photo is too large (${Math.ceil(bytes.length / 1024)} KB; at most ${MAX_PHOTO_BYTES / 1024} KB)`);
  const kind = imageKind(bytes);
  if (!kind) throw badInput('image', 'That file is not a JPEG or PNG photo; pick a photo file');
  if (dataDir === null) throw badInput('image', 'This counter has no folder to keep photos in');
  const folder = join(dataDir, 'photos');
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  if (process.platform !== 'win32') chmodSync(folder, 0o700);
  const ref = `photos/${id}.${kind}`;
  // 'wx': never overwrite a photo already kept under this id.
  writeFileSync(join(dataDir, ref), bytes, { flag: 'wx', mode: 0o600 });
  return { ref, bytes: bytes.length };
}

/** A kept photo as a data URL; `isStored` has checked the ref names a file inside the data folder. */
export function readPhoto(dataDir: string | null, ref: string, isStored: (ref: string) => boolean): { ref: string; image: string } {
  if (dataDir === null || !isStored(ref)) throw notFound('That photo');
  const bytes = readFileSync(join(dataDir, ref));
  const kind = imageKind(bytes);
  if (!kind) throw notFound('That photo');
  return { ref, image: `data:image/${kind === 'jpg' ? 'jpeg' : 'png'};base64,${bytes.toString('base64')}` };
}
